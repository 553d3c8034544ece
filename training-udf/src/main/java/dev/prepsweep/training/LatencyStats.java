package dev.prepsweep.training;

import java.util.Arrays;

/**
 * Pure statistics over timed calls (no DJL): nearest-rank percentiles of per-call latencies and a
 * throughput. Nearest rank (the smallest sample with at least p% of samples at or below it) always
 * returns a latency that was actually measured, so a p95 over 200 calls is the 190th fastest call.
 */
public final class LatencyStats {

  private LatencyStats() {}

  /** p50 and p95 of one series of calls, in milliseconds. */
  public record Summary(double p50Ms, double p95Ms, int calls) {}

  /**
   * The p50 and p95 of {@code nanos} (one entry per call).
   *
   * @throws IllegalArgumentException when there are no samples or one is negative
   */
  public static Summary of(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    if (sorted.length == 0 || sorted[0] < 0) {
      throw new IllegalArgumentException("latencies need at least one non-negative sample, got " + Arrays.toString(nanos));
    }
    return new Summary(sorted[rankIndex(sorted.length, 50)] / 1e6, sorted[rankIndex(sorted.length, 95)] / 1e6,
        sorted.length);
  }

  /** The nearest-rank percentile {@code p} (0 &lt; p &lt;= 100) of {@code values}, which need not be sorted. */
  public static long percentile(long[] values, double p) {
    if (values.length == 0) {
      throw new IllegalArgumentException("a percentile needs at least one value");
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[rankIndex(sorted.length, p)];
  }

  /** Rows per second for {@code rows} rows served in {@code nanos} nanoseconds. */
  public static double throughput(long rows, long nanos) {
    if (rows < 0 || nanos <= 0) {
      throw new IllegalArgumentException("throughput needs rows >= 0 and a positive time, got " + rows + " rows in "
          + nanos + " ns");
    }
    return rows * 1e9 / nanos;
  }

  /** Zero-based index of the nearest-rank percentile: ceil(p/100 * n) - 1, at least 0. */
  static int rankIndex(int n, double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("a percentile must be in (0, 100], got " + p);
    }
    return Math.max(0, (int) Math.ceil(p / 100.0 * n) - 1);
  }
}
