package dev.prepsweep.etl.plan;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Near-duplicate candidates by banded MinHash, without Spark. A text is a set of hashed shingles; its
 * signature is {@code bands * rows} MinHash values; each band of {@code rows} values hashes to one
 * 64-bit band key. Two sets share a band key with probability {@code s^rows} per band (s their
 * Jaccard similarity), so at least one key with {@code 1 - (1 - s^rows)^bands}. Rows sharing a key
 * are candidates; a candidate pair is a near-duplicate when its exact Jaccard similarity is at least
 * the threshold. {@link #forThreshold} picks bands and rows so that a pair at the threshold is found
 * with probability at least {@link #RECALL}, while unrelated texts (small s) rarely share a key: the
 * work grows with the rows and the near-duplicates, not with the square of the rows.
 *
 * <p>Immutable and serializable (captured by Spark tasks); the same seed gives the same keys.
 */
public final class MinHashBands implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Probability of finding a pair whose similarity is exactly the threshold. */
  public static final double RECALL = 0.999;
  /** A prime above 2^31 (as MLlib's MinHash uses), so (a x + b) mod P is a universal hash of int x. */
  static final long PRIME = 2_038_074_743L;

  private final int bands;
  private final int rows;
  private final long[] a;
  private final long[] b;

  public MinHashBands(int bands, int rows, long seed) {
    if (bands < 1 || rows < 1 || (long) bands * rows > 4096) {
      throw new IllegalArgumentException("bands and rows must be >= 1 with bands * rows <= 4096, got " + bands + " x " + rows);
    }
    this.bands = bands;
    this.rows = rows;
    SplittableRandom rnd = new SplittableRandom(seed);
    a = new long[bands * rows];
    b = new long[bands * rows];
    for (int i = 0; i < a.length; i++) {
      a[i] = 1 + rnd.nextLong(PRIME - 1);
      b[i] = rnd.nextLong(PRIME);
    }
  }

  /**
   * Bands and rows for a Jaccard threshold: the most rows per band (at most 8) whose band still
   * matches a pair at the threshold with probability >= 0.4, then enough bands (at least
   * {@code minBands}) to reach {@link #RECALL} at the threshold.
   */
  public static MinHashBands forThreshold(double threshold, int minBands, long seed) {
    int r = 1;
    while (r < 8 && Math.pow(threshold, r + 1) >= 0.4) {
      r++;
    }
    double p = Math.pow(threshold, r);
    int bands = p >= 1 ? 1 : (int) Math.ceil(Math.log(1 - RECALL) / Math.log(1 - p));
    return new MinHashBands(Math.max(Math.max(1, minBands), bands), r, seed);
  }

  public int bands() {
    return bands;
  }

  public int rows() {
    return rows;
  }

  /** The probability that a pair of this similarity shares at least one band key. */
  public double findProbability(double similarity) {
    return 1 - Math.pow(1 - Math.pow(similarity, rows), bands);
  }

  /** One key per band for a set of (non-negative) shingle hashes; an empty set gets no keys. */
  public long[] bandKeys(int[] shingles) {
    if (shingles.length == 0) {
      return new long[0];
    }
    long[] sig = new long[a.length];
    java.util.Arrays.fill(sig, Long.MAX_VALUE);
    for (int x : shingles) {
      long v = (x & 0xffffffffL) + 1;
      for (int i = 0; i < sig.length; i++) {
        long h = (a[i] * v + b[i]) % PRIME;
        if (h < sig[i]) {
          sig[i] = h;
        }
      }
    }
    long[] keys = new long[bands];
    for (int band = 0; band < bands; band++) {
      long h = mix(band + 0x9E3779B97F4A7C15L);
      for (int j = 0; j < rows; j++) {
        h = mix(h ^ sig[band * rows + j]);
      }
      keys[band] = h;
    }
    return keys;
  }

  /** SplitMix64's finaliser: a well-spread 64-bit hash. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Exact Jaccard similarity of two sorted, distinct int arrays (1 for two empty sets). */
  public static double jaccard(int[] x, int[] y) {
    if (x.length == 0 && y.length == 0) {
      return 1;
    }
    int i = 0;
    int j = 0;
    int both = 0;
    while (i < x.length && j < y.length) {
      if (x[i] == y[j]) {
        both++;
        i++;
        j++;
      } else if (x[i] < y[j]) {
        i++;
      } else {
        j++;
      }
    }
    return (double) both / (x.length + y.length - both);
  }

  /** A row in a bucket: its position in the seeded order (key, then id, then hash) and its shingles. */
  public record Member(String id, long hash, long key, String label, int[] shingles) implements Serializable {
    boolean before(Member o) {
      if (key != o.key) {
        return key < o.key;
      }
      int c = id.compareTo(o.id);
      return c != 0 ? c < 0 : hash < o.hash;
    }
  }

  /** A verified near-duplicate pair, {@code first} before {@code second} in the seeded order. */
  public record Pair(Member first, Member second, double similarity) implements Serializable {}

  /** The pairs of a bucket whose Jaccard similarity is at least {@code threshold}, each oriented. */
  public static List<Pair> verifiedPairs(List<Member> bucket, double threshold) {
    List<Pair> out = new ArrayList<>();
    for (int i = 0; i < bucket.size(); i++) {
      for (int j = i + 1; j < bucket.size(); j++) {
        Member x = bucket.get(i);
        Member y = bucket.get(j);
        if (x.id().equals(y.id()) && x.hash() == y.hash()) {
          continue;
        }
        double s = jaccard(x.shingles(), y.shingles());
        if (s >= threshold - 1e-12) {
          out.add(x.before(y) ? new Pair(x, y, s) : new Pair(y, x, s));
        }
      }
    }
    return out;
  }
}
