package dev.prepsweep.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small, real inputs for integration tests, cut from the bundled SpamAssassin sample. */
final class TestData {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path MESSAGES = REPO.resolve("data/spamassassin/messages.jsonl");

  private TestData() {}

  /** Every {@code step}-th message (the file is ordered by corpus group, so striding mixes ham and spam). */
  static Path sample(Path dir, int step) {
    try {
      Files.createDirectories(dir);
      List<String> lines = Files.readAllLines(MESSAGES);
      List<String> picked = new ArrayList<>();
      for (int i = 0; i < lines.size(); i += step) {
        picked.add(lines.get(i));
      }
      Path out = dir.resolve("messages.jsonl");
      Files.write(out, picked);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shipped job config with the input, budget and epochs made small for tests. */
  static Path config(Path dir, Path input, int trials, int epochs) {
    try {
      String text = Files.readString(REPO.resolve("conf/prepsweep.yaml"))
          .replace("data/spamassassin/messages.jsonl", input.toString())
          .replace("budget: {trials: 8}", "budget: {trials: " + trials + "}")
          .replace("epochs: 4", "epochs: " + epochs);
      Path out = dir.resolve("job.yaml");
      Files.writeString(out, text);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
