package dev.prepsweep.app.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a page in headless Chromium (Debian package {@code chromium}) and reads back what the
 * report's self-check script recorded: how many charts there are, how many drew their data, and
 * every console error, uncaught error and blocked resource.
 */
final class HeadlessChromium {

  static final Path BINARY = Path.of(System.getenv().getOrDefault("PREPSWEEP_CHROMIUM", "/usr/bin/chromium"));
  private static final Pattern STATUS = Pattern.compile(
      "<pre id=\"report-status\"[^>]*?data-charts=\"(\\d+)\" data-charts-ok=\"(\\d+)\" data-errors=\"(\\d+)\">(.*?)</pre>",
      Pattern.DOTALL);

  /** What the page reported after loading. */
  record Loaded(String dom, int charts, int chartsOk, int errors, String errorText) {}

  static boolean available() {
    return Files.isExecutable(BINARY);
  }

  /** Loads the page, lets its scripts run, and parses the self-check results out of the DOM. */
  static Loaded load(Path page, Path work) throws IOException, InterruptedException {
    String dom = run(page, work, List.of("--dump-dom"));
    Matcher m = STATUS.matcher(dom);
    if (!m.find()) {
      throw new AssertionError("the page did not finish its self-check (no data-charts on #report-status);"
          + " did it load? DOM starts: " + dom.substring(0, Math.min(600, dom.length())));
    }
    return new Loaded(dom, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
        m.group(4));
  }

  /** A full-page screenshot for people to look at. */
  static void screenshot(Path page, Path work, Path png, int height) throws IOException, InterruptedException {
    run(page, work, List.of("--hide-scrollbars", "--window-size=1280," + height, "--screenshot=" + png.toAbsolutePath()));
  }

  private static String run(Path page, Path work, List<String> mode) throws IOException, InterruptedException {
    Files.createDirectories(work);
    List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--user-data-dir=" + work.resolve("profile").toAbsolutePath()));
    cmd.addAll(mode);
    cmd.add(page.toAbsolutePath().toUri().toString());
    Path out = work.resolve("stdout.txt");
    Path err = work.resolve("stderr.txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 120 s: " + String.join(" ", cmd));
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("chromium exited with " + p.exitValue() + ": " + Files.readString(err));
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private HeadlessChromium() {}
}
