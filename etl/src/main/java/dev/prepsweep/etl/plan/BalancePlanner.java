package dev.prepsweep.etl.plan;

import dev.prepsweep.etl.PrepConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans train-split balancing without Spark: a target count per class, and for every row the number
 * of rows it yields (0 or 1 when under-sampling; q or q+1 copies when over-sampling at random; 1 + the
 * synthetic rows based on it for SMOTE), so each class ends at exactly its target.
 */
public final class BalancePlanner {
  private BalancePlanner() {}

  /**
   * One class.
   *
   * @param action keep | under | over | smote
   */
  public record ClassPlan(String label, long count, long target, String action) {
    /** Rows added (synthetic or copies), negative when under-sampling. */
    public long added() {
      return target - count;
    }
  }

  /** The per-class plans and, per row, how many rows it yields (see {@link RankPlan}). */
  public record BalancePlan(Map<String, ClassPlan> classes, RankPlan yields) {}

  /** Target per class; classes with no rows stay at zero (nothing to sample from). */
  public static Map<String, Long> targets(Map<String, Long> counts, PrepConfig.Balance b) {
    List<Long> present = counts.values().stream().filter(c -> c > 0).toList();
    if (present.isEmpty()) {
      throw new IllegalArgumentException("no rows to balance");
    }
    long common = switch (b.target()) {
      case "max" -> present.stream().mapToLong(Long::longValue).max().getAsLong();
      case "min" -> present.stream().mapToLong(Long::longValue).min().getAsLong();
      case "mean" -> Math.round(present.stream().mapToLong(Long::longValue).average().getAsDouble());
      case "labels" -> -1;
      default -> Long.parseLong(b.target());
    };
    Map<String, Long> out = new LinkedHashMap<>();
    counts.forEach((label, n) -> {
      long t = common >= 0 ? common : b.perLabel().getOrDefault(label, n);
      out.put(label, n == 0 ? 0 : t);
    });
    return out;
  }

  /**
   * @param bucketWeights per class, rows per key bucket of the train split
   */
  public static BalancePlan plan(Map<String, long[]> bucketWeights, int bucketBits, PrepConfig.Balance b) {
    return plan(bucketWeights, bucketBits, targets(counts(bucketWeights), b), b.method());
  }

  /**
   * As {@link #plan(Map, int, PrepConfig.Balance)} with the targets already known (from
   * {@link #targets}), so the weights may cover only the classes whose rows are sampled.
   */
  public static BalancePlan plan(Map<String, long[]> bucketWeights, int bucketBits, Map<String, Long> targets,
      PrepConfig.BalanceMethod method) {
    Map<String, Long> counts = counts(bucketWeights);
    Map<String, ClassPlan> classes = new LinkedHashMap<>();
    Map<String, List<RankPlan.Segment>> segments = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      long n = e.getValue();
      long t = targets.get(e.getKey());
      List<RankPlan.Segment> segs = new ArrayList<>();
      String action;
      if (t == n || n == 0) {
        action = "keep";
        segs.add(new RankPlan.Segment(n, 1));
      } else if (t < n) {
        action = "under";
        segs.add(new RankPlan.Segment(t, 1));
        segs.add(new RankPlan.Segment(n - t, 0));
      } else {
        action = method == PrepConfig.BalanceMethod.SMOTE ? "smote" : "over";
        long q = t / n;
        long r = t % n;
        if (q + 1 > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("target " + t + " for " + e.getKey() + " needs more than 2^31 copies per row");
        }
        segs.add(new RankPlan.Segment(r, (int) q + 1));
        segs.add(new RankPlan.Segment(n - r, (int) q));
      }
      classes.put(e.getKey(), new ClassPlan(e.getKey(), n, n == 0 ? 0 : t, action));
      segments.put(e.getKey(), segs);
    }
    return new BalancePlan(classes, RankPlan.of(bucketBits, bucketWeights, segments));
  }

  /** Class weights n / (k * n_c) for the classes present, the usual "balanced" heuristic. */
  public static Map<String, Double> classWeights(Map<String, Long> counts) {
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    long k = counts.values().stream().filter(c -> c > 0).count();
    Map<String, Double> out = new LinkedHashMap<>();
    counts.forEach((l, c) -> out.put(l, c == 0 ? 0.0 : (double) total / (k * c)));
    return out;
  }

  /**
   * Splits a class's rows into cells for neighbour search: the number of random-projection median
   * cuts so that cells hold about {@code cellSize} rows (0 cuts: one cell, exact search).
   */
  public static int cuts(long rows, int cellSize, int maxCuts) {
    int d = 0;
    while (d < maxCuts && (rows >> d) > cellSize) {
      d++;
    }
    return d;
  }

  /** Rows per class: the sum of its bucket weights. */
  private static Map<String, Long> counts(Map<String, long[]> bucketWeights) {
    Map<String, Long> counts = new LinkedHashMap<>();
    bucketWeights.forEach((k, v) -> counts.put(k, Arrays.stream(v).sum()));
    return counts;
  }
}
