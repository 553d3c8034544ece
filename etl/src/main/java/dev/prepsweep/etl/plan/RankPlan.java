package dev.prepsweep.etl.plan;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Assigns an int value to every row of a stratum by the row's position in a seeded random order,
 * without sorting the stratum in one place.
 *
 * <p>Each row has a uniform 63-bit random key; its bucket is the key's top {@link #bucketBits} bits,
 * so buckets are ordered ranges of the key. Given the weight (row count) of every bucket of every
 * stratum, a stratum's order is cut into segments [0, e0), [e0, e1), ... each carrying a value (a
 * split, a fold, a number of copies). A bucket lying inside one segment takes the segment's value
 * directly; only the few buckets that straddle a cut need their rows ranked, locally, by key. A
 * row's position is its bucket's offset plus the weight of the rows before it in the bucket; it
 * takes the value of the segment holding its midpoint (position + weight / 2), which for unit
 * weights is the segment holding its rank.
 *
 * <p>Immutable and serializable: it is captured by Spark tasks.
 */
public final class RankPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Buckets per stratum = 2^bucketBits. */
  private final int bucketBits;
  private final Map<String, Stratum> strata;

  /** One stratum: bucket offsets, direct values (or -1 for straddling buckets) and segments. */
  record Stratum(long[] bucketOffsets, int[] bucketValue, long[] segmentEnds, int[] segmentValues)
      implements Serializable {}

  /** A value to give the next {@code length} units of weight. */
  public record Segment(long length, int value) {
    public Segment {
      if (length < 0) {
        throw new IllegalArgumentException("segment length must be >= 0, got " + length);
      }
    }
  }

  private RankPlan(int bucketBits, Map<String, Stratum> strata) {
    this.bucketBits = bucketBits;
    this.strata = strata;
  }

  /**
   * Builds a plan.
   *
   * @param bucketBits log2 of the number of buckets
   * @param bucketWeights per stratum, the weight in each bucket (array of 2^bucketBits)
   * @param segments per stratum, segments in order; their lengths must add up to the stratum's weight
   * @throws IllegalArgumentException if the shapes or totals disagree
   */
  public static RankPlan of(int bucketBits, Map<String, long[]> bucketWeights, Map<String, List<Segment>> segments) {
    if (bucketBits < 0 || bucketBits > 20) {
      throw new IllegalArgumentException("bucketBits must be in [0, 20], got " + bucketBits);
    }
    int buckets = 1 << bucketBits;
    Map<String, Stratum> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : bucketWeights.entrySet()) {
      long[] w = e.getValue();
      if (w.length != buckets) {
        throw new IllegalArgumentException("stratum " + e.getKey() + ": " + w.length + " bucket weights, expected " + buckets);
      }
      List<Segment> segs = Objects.requireNonNull(segments.get(e.getKey()), () -> "no segments for stratum " + e.getKey());
      long total = Arrays.stream(w).sum();
      long[] ends = new long[segs.size()];
      int[] values = new int[segs.size()];
      long acc = 0;
      for (int i = 0; i < segs.size(); i++) {
        acc += segs.get(i).length();
        ends[i] = acc;
        values[i] = segs.get(i).value();
      }
      if (acc != total) {
        throw new IllegalArgumentException("stratum " + e.getKey() + ": segments cover " + acc + " but it weighs " + total);
      }
      long[] offsets = new long[buckets];
      int[] direct = new int[buckets];
      long off = 0;
      for (int b = 0; b < buckets; b++) {
        offsets[b] = off;
        direct[b] = directValue(ends, values, off, off + w[b]);
        off += w[b];
      }
      out.put(e.getKey(), new Stratum(offsets, direct, ends, values));
    }
    return new RankPlan(bucketBits, out);
  }

  /** The segment value if [from, to) lies inside one segment, else -1. Empty ranges get -1 too. */
  private static int directValue(long[] ends, int[] values, long from, long to) {
    if (to <= from) {
      return -1;
    }
    int s = segmentOf(ends, 2 * from + 1);
    long start = s == 0 ? 0 : ends[s - 1];
    return from >= start && to <= ends[s] ? values[s] : -1;
  }

  /** Index of the segment whose [start, end) contains the doubled position {@code twice}/2. */
  private static int segmentOf(long[] ends, long twice) {
    int lo = 0;
    int hi = ends.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (twice < 2 * ends[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    // skip empty segments is implicit: ends equal to the previous end never contain a point
    return lo;
  }

  public int bucketBits() {
    return bucketBits;
  }

  /** The bucket of a non-negative 63-bit key. */
  public int bucketOf(long key) {
    return bucketBits == 0 ? 0 : (int) (key >>> (63 - bucketBits));
  }

  /** The value for every row of the bucket, or -1 if the bucket straddles a cut (rank its rows). */
  public int direct(String stratum, int bucket) {
    Stratum s = strata.get(stratum);
    return s == null ? -1 : s.bucketValue()[bucket];
  }

  /**
   * The value of a row in a straddling bucket.
   *
   * @param before the weight of the rows before this one in the bucket, in key order
   * @param weight this row's weight
   */
  public int valueAt(String stratum, int bucket, long before, long weight) {
    Stratum s = strata.get(stratum);
    if (s == null) {
      throw new IllegalArgumentException("unknown stratum " + stratum);
    }
    long pos = s.bucketOffsets()[bucket] + before;
    return s.segmentValues()[segmentOf(s.segmentEnds(), 2 * pos + weight)];
  }

  /** The strata in the plan. */
  public java.util.Set<String> strata() {
    return strata.keySet();
  }

  /** How many buckets of all strata straddle a cut (the rows the runner has to rank). */
  public int straddlingBuckets(Map<String, long[]> bucketWeights) {
    int n = 0;
    for (Map.Entry<String, Stratum> e : strata.entrySet()) {
      int[] d = e.getValue().bucketValue();
      long[] w = bucketWeights.get(e.getKey());
      for (int b = 0; b < d.length; b++) {
        if (d[b] < 0 && w[b] > 0) {
          n++;
        }
      }
    }
    return n;
  }
}
