package dev.prepsweep.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Data for trainer tests: synthetic texts and numeric rows, and the bundled SpamAssassin sample. */
final class TestData {
  private TestData() {}

  private static final String[] SPAMMY = {"free", "money", "winner", "offer", "click", "cash", "prize"};
  private static final String[] HAMMY = {"meeting", "patch", "kernel", "review", "lunch", "thanks", "build"};
  private static final String[] COMMON = {"the", "a", "to", "and", "you", "for", "is", "this"};

  /** Texts of common words plus 2 class-specific words; 10% of rows carry the other class's words too. */
  static SplitRows synthetic(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    String[] texts = new String[n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int label = rng.nextInt(2);
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < 6; w++) {
        sb.append(COMMON[rng.nextInt(COMMON.length)]).append(' ');
      }
      String[] own = label == 1 ? SPAMMY : HAMMY;
      sb.append(own[rng.nextInt(own.length)]).append(' ').append(own[rng.nextInt(own.length)]);
      if (rng.nextInt(10) == 0) {
        String[] other = label == 1 ? HAMMY : SPAMMY;
        sb.append(' ').append(other[rng.nextInt(other.length)]);
      }
      texts[i] = sb.toString();
      labels[i] = label;
    }
    return new SplitRows(texts, labels, null, null);
  }

  /** Three Gaussian blobs in 5 dimensions with very different feature scales (standardisation matters). */
  static SplitRows blobs(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] features = new double[n][5];
    int[] labels = new int[n];
    double[] scale = {1, 1000, 0.001, 50, 5};
    for (int i = 0; i < n; i++) {
      int y = rng.nextInt(3);
      labels[i] = y;
      for (int j = 0; j < 5; j++) {
        double center = (j % 3 == y ? 2.0 : 0.0);
        features[i][j] = (center + gaussian(rng)) * scale[j];
      }
    }
    String[] texts = new String[n];
    java.util.Arrays.fill(texts, "");
    return new SplitRows(texts, labels, features, null);
  }

  private static double gaussian(SplittableRandom rng) {
    return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  /**
   * The bundled SpamAssassin sample (data/spamassassin/messages.jsonl): every {@code stride}-th message
   * (the file is ordered by group, striding takes all groups), subject + body cut to 2,000 characters,
   * ham = 0 and spam = 1; rows with {@code index % 5 == part} when {@code part >= 0}, else the others.
   */
  static SplitRows spamAssassin(int stride, int part, boolean heldOut) {
    Path file = repoRoot().resolve("data/spamassassin/messages.jsonl");
    ObjectMapper json = new ObjectMapper();
    List<String> texts = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file)) {
      String line;
      int i = 0;
      int kept = 0;
      while ((line = reader.readLine()) != null) {
        if (i++ % stride != 0) {
          continue;
        }
        boolean inPart = kept++ % 5 == part;
        if (inPart != heldOut) {
          continue;
        }
        JsonNode m = json.readTree(line);
        String text = m.path("subject").asText("") + "\n" + m.path("body").asText("");
        texts.add(text.length() > 2000 ? text.substring(0, 2000) : text);
        labels.add(m.get("label").asText().equals("spam") ? 1 : 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SplitRows(texts.toArray(String[]::new), labels.stream().mapToInt(Integer::intValue).toArray(), null, null);
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("data/spamassassin/messages.jsonl"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find data/spamassassin/messages.jsonl above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
