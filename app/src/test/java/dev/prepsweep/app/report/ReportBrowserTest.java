package dev.prepsweep.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.app.report.HeadlessChromium.Loaded;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every report opened in headless Chromium: it loads, every chart draws its data, and the console
 * stays free of errors. The browser is a test package that the build installs ({@code bin/install-deps.sh
 * test}); without it these tests fail and say how to install it.
 */
class ReportBrowserTest {

  /** Reports and screenshots are kept here for people to look at. */
  static final Path OUT = Path.of("target/report-browser-test").toAbsolutePath();

  @BeforeAll
  static void needsChromium() {
    assertThat(HeadlessChromium.available())
        .as("headless Chromium at %s: install the test packages as root with `bin/install-deps.sh test`"
            + " (`mvn -B verify` runs it itself when it runs as root), or"
            + " `apt-get update && apt-get install -y chromium`", HeadlessChromium.BINARY).isTrue();
  }

  /** Opens a report and checks that it loaded, drew every chart it has, and logged no error. */
  static Loaded assertRendersCleanly(String name, String html, int expectedCharts) throws Exception {
    Files.createDirectories(OUT);
    Path page = OUT.resolve(name + ".html");
    Files.writeString(page, html);
    Loaded loaded = HeadlessChromium.load(page, OUT.resolve("chromium-" + name));
    assertThat(loaded.errors()).as("errors in the console of %s: %s", name, loaded.errorText()).isZero();
    assertThat(loaded.charts()).as("charts in %s", name).isEqualTo(expectedCharts);
    assertThat(loaded.chartsOk()).as("charts of %s that drew their data", name).isEqualTo(expectedCharts);
    assertThat(loaded.dom()).contains("data-report-ready=\"true\"");
    Matcher rendered = Pattern.compile("data-rendered=\"ok\" data-marks=\"(\\d+)\"").matcher(loaded.dom());
    while (rendered.find()) {
      assertThat(Integer.parseInt(rendered.group(1))).isPositive();
    }
    return loaded;
  }

  @Test
  void sweepReportWithItsPrepRunRendersEveryChart() throws Exception {
    String html = HtmlReport.sweep(ReportFixtures.singleObjective(), ReportFixtures.prep(), "test");
    assertRendersCleanly("sweep-single", html, 6);
    HeadlessChromium.screenshot(OUT.resolve("sweep-single.html"), OUT.resolve("chromium-shot"),
        OUT.resolve("sweep-single.png"), 2400);
    assertThat(Files.size(OUT.resolve("sweep-single.png"))).isGreaterThan(10_000);
  }

  @Test
  void multiObjectiveReportRendersTheParetoFront() throws Exception {
    Loaded loaded = assertRendersCleanly("sweep-two-objectives",
        HtmlReport.sweep(ReportFixtures.twoObjectives(), null, "test"), 5);
    assertThat(loaded.dom()).contains("data-chart=\"pareto\" ");
  }

  @Test
  void prepReportRendersItsCharts() throws Exception {
    assertRendersCleanly("prep", HtmlReport.prep(ReportFixtures.prep(), "test"), 2);
  }

  @Test
  void theCheckCatchesConsoleErrorsBlockedResourcesAndBlankCharts() throws Exception {
    String good = HtmlReport.prep(ReportFixtures.prep(), "test");
    // One chart whose marks have no size, an error logged by a script, and an image from the network.
    String broken = blankChart(good, "classes").replace("</main>",
        "<script>console.error('broken on purpose')</script><img src=\"https://example.invalid/x.png\" alt=\"\"></main>");
    assertThatThrownBy(() -> assertRendersCleanly("broken", broken, 2))
        .hasMessageContaining("broken on purpose");
    Loaded loaded = HeadlessChromium.load(OUT.resolve("broken.html"), OUT.resolve("chromium-broken"));
    assertThat(loaded.errorText()).contains("broken on purpose").contains("example.invalid");
    assertThat(loaded.chartsOk()).isEqualTo(1);
  }

  /** The page with every data mark of one chart collapsed to nothing. */
  private static String blankChart(String html, String chart) {
    int start = html.indexOf("data-chart=\"" + chart + "\"");
    int end = html.indexOf("</svg>", start);
    String svg = html.substring(start, end).replaceAll("width=\"[0-9.]+\" height=\"[0-9.]+\" fill", "width=\"0\" height=\"0\" fill");
    return html.substring(0, start) + svg + html.substring(end);
  }
}
