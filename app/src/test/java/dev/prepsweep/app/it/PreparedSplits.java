package dev.prepsweep.app.it;

import dev.prepsweep.app.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Split tables prepped once per test JVM from the 1,000-message sample and copied into each
 * test's own warehouse (a Delta table is its folder, so a copy is a valid table at the same
 * versions), so sweep tests do not each pay for a prep run.
 */
final class PreparedSplits {

  private static final Path BASE = Path.of("target/it-prepared").toAbsolutePath();
  private static Path prepared;

  private PreparedSplits() {}

  /**
   * A fresh warehouse (a new folder next to {@code dir}) holding {@code train} (with a 3-fold {@code fold}
   * column), {@code val} and {@code test}; returns its path.
   */
  static synchronized Path warehouse(Path base) {
    Path dir = base.resolveSibling(base.getFileName() + "-" + System.nanoTime());
    if (prepared == null) {
      Path input = TestData.sample(BASE, 6);
      Path config = TestData.config(BASE, input, 4, 1);
      // train also gets the prep job's 3 cross-validation folds (a fold column), for cross-validated sweeps
      withFolds(config, 3);
      Path wh = BASE.resolve("warehouse-" + System.nanoTime());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = Main.run(new String[] {"prep", "--config", config.toString(), "--warehouse", wh.toString(),
          "--master", "local[2]"}, new PrintStream(out, true, StandardCharsets.UTF_8));
      if (code != 0) {
        throw new IllegalStateException("prep for tests failed (" + code + "): " + out);
      }
      prepared = wh;
    }
    try {
      Files.createDirectories(dir);
      for (String table : new String[] {"train", "val", "test"}) {
        copy(prepared.resolve(table), dir.resolve(table));
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void withFolds(Path config, int folds) {
    try {
      String text = Files.readString(config);
      String split = "stratify: true}";
      if (!text.contains(split)) {
        throw new IllegalStateException("the shipped config's split has no '" + split + "'; PreparedSplits cannot add folds");
      }
      Files.writeString(config, text.replace(split, "stratify: true, folds: " + folds + "}"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A job config for sweeps over the prepared splits. */
  static Path config(Path dir, String sweepYaml) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("sweep.yaml");
      Files.writeString(file, "seed: 7\n" + sweepYaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
