package dev.prepsweep.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Synthetic benchmark rows as CSV: id, text (5-30 words from a fixed 2,000-word vocabulary), 8 float
 * features (1% missing each, class-dependent means), label (5 classes at 70/15/8/5/2 %), and 3% exact
 * duplicate rows (copies of an earlier row, id included). Deterministic for a seed.
 *
 * <p>Usage: GenerateRows ROWS OUT.csv [SEED]
 */
public final class GenerateRows {
  static final String[] LABELS = {"c0", "c1", "c2", "c3", "c4"};
  static final double[] CUM = {0.70, 0.85, 0.93, 0.98, 1.0};

  public static void main(String[] args) throws IOException {
    long rows = Long.parseLong(args[0].replace("_", ""));
    Path out = Path.of(args[1]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1L;
    SplittableRandom rnd = new SplittableRandom(seed);
    String[] vocab = vocabulary(2000, new SplittableRandom(seed ^ 0xABCDEF));
    String[] recent = new String[4096];
    long written = 0;
    long fresh = 0;
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      w.write("id,text,f0,f1,f2,f3,f4,f5,f6,f7,label\n");
      StringBuilder b = new StringBuilder(256);
      for (long i = 0; written < rows; i++) {
        String line;
        if (fresh > 100 && rnd.nextDouble() < 0.03) {
          line = recent[rnd.nextInt((int) Math.min(fresh, recent.length))];
        } else {
          b.setLength(0);
          double u = rnd.nextDouble();
          int c = 0;
          while (u > CUM[c]) {
            c++;
          }
          b.append("r").append(i).append(',');
          int words = 5 + rnd.nextInt(26);
          for (int k = 0; k < words; k++) {
            if (k > 0) {
              b.append(' ');
            }
            b.append(vocab[rnd.nextInt(vocab.length)]);
          }
          b.append(',');
          for (int f = 0; f < 8; f++) {
            if (rnd.nextDouble() >= 0.01) {
              double mean = (c - 2) * 0.6 * ((f % 3) - 1) + 0.3 * c * (f == 7 ? 1 : 0);
              b.append(String.format(java.util.Locale.ROOT, "%.4f", mean + gaussian(rnd)));
            }
            b.append(',');
          }
          b.append(LABELS[c]);
          line = b.toString();
          recent[(int) (fresh++ % recent.length)] = line;
        }
        w.write(line);
        w.write('\n');
        written++;
      }
    }
    System.out.println("wrote " + written + " rows to " + out);
  }

  static double gaussian(SplittableRandom rnd) {
    return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  static String[] vocabulary(int n, SplittableRandom rnd) {
    String letters = "abcdefghijklmnopqrstuvwxyz";
    String[] v = new String[n];
    for (int i = 0; i < n; i++) {
      int len = 3 + rnd.nextInt(7);
      StringBuilder s = new StringBuilder();
      for (int k = 0; k < len; k++) {
        s.append(letters.charAt(rnd.nextInt(26)));
      }
      v[i] = s.toString();
    }
    return v;
  }
}
