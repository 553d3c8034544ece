package dev.prepsweep.etl.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans an exact stratified train/val/test split (and optional k folds of train) from per-stratum
 * bucket weights, without Spark. Per stratum, the target rows of each split are apportioned by the
 * largest-remainder method, so every split's count is within one row of {@code ratio * n}; folds are
 * apportioned the same way inside train. A row's split then follows from its rank in a seeded random
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
    Map<String, List<RankPlan.Segment>> segments = new LinkedHashMap<>();
    Map<String, long[]> targets = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : bucketWeights.entrySet()) {
      long n = Arrays.stream(e.getValue()).sum();
      long[] t = apportion(n, ratios);
      targets.put(e.getKey(), t);
      List<RankPlan.Segment> segs = new ArrayList<>();
      if (folds > 1) {
        double[] eq = new double[folds];
        Arrays.fill(eq, 1.0 / folds);
        long[] f = apportion(t[0], eq);
        for (int i = 0; i < folds; i++) {
          segs.add(new RankPlan.Segment(f[i], code(0, i)));
        }
      } else {
        segs.add(new RankPlan.Segment(t[0], code(0, -1)));
      }
      segs.add(new RankPlan.Segment(t[1], code(1, -1)));
      segs.add(new RankPlan.Segment(t[2], code(2, -1)));
      segments.put(e.getKey(), segs);
    }
    return new SplitPlan(RankPlan.of(bucketBits, bucketWeights, segments), targets);
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
