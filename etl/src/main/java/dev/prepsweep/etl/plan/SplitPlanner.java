package dev.prepsweep.etl.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans an exact stratified train/val/test split (and optional k folds of train) from per-stratum
 * bucket weights, without Spark. The strata's target rows per split are rounded jointly
 * ({@link ControlledRounding}): every stratum's count in a split is within one row of
 * {@code ratio * n}, and so is every split's total, tied leftovers spread over the splits instead of
 * all going to the first; folds are rounded the same way inside train. A row's split then follows from its rank in a seeded random
 * order (see {@link RankPlan}).
 */
public final class SplitPlanner {
  public static final List<String> SPLITS = List.of("train", "val", "test");
  /** Folds are coded as split * FOLD_CODES + fold + 1 (0 = no fold). */
  static final int FOLD_CODES = 1024;

  private SplitPlanner() {}

  /** The plan and its per-stratum targets ({@code [train, val, test]} rows). */
  public record SplitPlan(RankPlan rank, Map<String, long[]> targets) {}

  /**
   * Splits {@code n} into parts proportional to {@code ratios} (which add up to 1) so that part i
   * is floor(n r_i) or that plus one, and the parts add up to n. Leftover units go to the largest
   * fractional remainders, ties to the lower index.
   */
  public static long[] apportion(long n, double[] ratios) {
    long[] out = new long[ratios.length];
    double[] frac = new double[ratios.length];
    long used = 0;
    for (int i = 0; i < ratios.length; i++) {
      double exact = n * ratios[i];
      out[i] = (long) Math.floor(exact + 1e-9);
      frac[i] = exact - out[i];
      used += out[i];
    }
    long left = n - used;
    Integer[] order = new Integer[ratios.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> frac[a] != frac[b] ? Double.compare(frac[b], frac[a]) : Integer.compare(a, b));
    for (int i = 0; left > 0; i = (i + 1) % order.length) {
      if (ratios[order[i]] > 0) {
        out[order[i]]++;
        left--;
      }
    }
    while (left < 0) { // only from floating point noise: take back from the largest part
      int big = 0;
      for (int i = 1; i < out.length; i++) {
        big = out[i] > out[big] ? i : big;
      }
      out[big]--;
      left++;
    }
    return out;
  }

  /**
   * @param bucketWeights per stratum, weight (rows) per bucket
   * @param bucketBits log2 of the bucket count
   * @param ratios train, val, test ratios (adding up to 1)
   * @param folds 0 for none, else the number of folds of train
   */
  public static SplitPlan plan(Map<String, long[]> bucketWeights, int bucketBits, double[] ratios, int folds) {
    return plan(bucketWeights, bucketBits, ratios, folds, 0);
  }

  /**
   * As {@link #plan(Map, int, double[], int)}, the strata's targets rounded jointly
   * ({@link ControlledRounding}) so that each split's total is within one row of its ratio, and, with
   * {@code minPerSplit > 0}, each stratum given at least that many rows in every split with a ratio
   * above 0 (taken from its largest split).
   *
   * @throws IllegalArgumentException when a stratum has fewer rows than {@code minPerSplit} times the
   *     number of non-empty splits (check with {@link #tooSmall} first for a clear message)
   */
  public static SplitPlan plan(Map<String, long[]> bucketWeights, int bucketBits, double[] ratios, int folds,
      int minPerSplit) {
    Map<String, List<RankPlan.Segment>> segments = new LinkedHashMap<>();
    Map<String, long[]> targets = new LinkedHashMap<>();
    List<String> strata = new ArrayList<>(bucketWeights.keySet());
    long[] sizes = new long[strata.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = Arrays.stream(bucketWeights.get(strata.get(i))).sum();
    }
    long[][] table = ControlledRounding.round(sizes, ratios);
    if (minPerSplit > 0) {
      for (int i = 0; i < sizes.length; i++) {
        table[i] = atLeast(strata.get(i), table[i], ratios, minPerSplit);
      }
    }
    long[][] foldTable = null;
    if (folds > 1) {
      double[] eq = new double[folds];
      Arrays.fill(eq, 1.0 / folds);
      long[] train = new long[sizes.length];
      for (int i = 0; i < sizes.length; i++) {
        train[i] = table[i][0];
      }
      foldTable = ControlledRounding.round(train, eq);
    }
    for (int k = 0; k < strata.size(); k++) {
      long[] t = table[k];
      targets.put(strata.get(k), t);
      List<RankPlan.Segment> segs = new ArrayList<>();
      if (folds > 1) {
        long[] f = foldTable[k];
        for (int i = 0; i < folds; i++) {
          segs.add(new RankPlan.Segment(f[i], code(0, i)));
        }
      } else {
        segs.add(new RankPlan.Segment(t[0], code(0, -1)));
      }
      segs.add(new RankPlan.Segment(t[1], code(1, -1)));
      segs.add(new RankPlan.Segment(t[2], code(2, -1)));
      segments.put(strata.get(k), segs);
    }
    return new SplitPlan(RankPlan.of(bucketBits, bucketWeights, segments), targets);
  }

  /** Splits with a ratio above 0: those a class should appear in. */
  public static int nonEmptySplits(double[] ratios) {
    return (int) Arrays.stream(ratios).filter(r -> r > 0).count();
  }

  /**
   * The strata too small to give {@code minPerSplit} rows to every non-empty split, with their rows.
   *
   * @param sizes stratum to rows
   */
  public static Map<String, Long> tooSmall(Map<String, Long> sizes, double[] ratios, int minPerSplit) {
    Map<String, Long> out = new java.util.TreeMap<>();
    long needed = (long) minPerSplit * nonEmptySplits(ratios);
    sizes.forEach((k, n) -> {
      if (minPerSplit > 0 && n < needed) {
        out.put(k, n);
      }
    });
    return out;
  }

  /** Raises the cells of non-empty splits below {@code min} to it, taking rows from the largest cell. */
  static long[] atLeast(String stratum, long[] cells, double[] ratios, int min) {
    long[] t = cells.clone();
    if (Arrays.stream(t).sum() < (long) min * nonEmptySplits(ratios)) {
      throw new IllegalArgumentException("stratum " + stratum + " has " + Arrays.stream(t).sum() + " rows, fewer than "
          + min + " for each of " + nonEmptySplits(ratios) + " splits");
    }
    for (int s = 0; s < t.length; s++) {
      while (ratios[s] > 0 && t[s] < min) {
        int big = -1;
        for (int i = 0; i < t.length; i++) {
          long floor = ratios[i] > 0 ? min : 0;
          if (t[i] > floor && (big < 0 || t[i] > t[big])) {
            big = i;
          }
        }
        t[big]--;
        t[s]++;
      }
    }
    return t;
  }

  /** The int a row gets: split index and fold packed together. */
  public static int code(int split, int fold) {
    return split * FOLD_CODES + fold + 1;
  }

  public static int splitOf(int code) {
    return code / FOLD_CODES;
  }

  /** The fold, or -1 for none. */
  public static int foldOf(int code) {
    return code % FOLD_CODES - 1;
  }
}
