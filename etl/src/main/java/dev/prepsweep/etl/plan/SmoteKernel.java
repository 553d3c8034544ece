package dev.prepsweep.etl.plan;

import java.util.SplittableRandom;

/**
 * SMOTE inside one cell of same-class rows: exact k-nearest-neighbour search (squared Euclidean,
 * brute force over the cell) and interpolation {@code x + u (n - x)} toward a random neighbour.
 * Randomness is seeded per source row (seed, row id, copy), so reruns are identical whatever the
 * cell's order or the task that runs it. Pure Java, no Spark.
 */
public final class SmoteKernel {
  private SmoteKernel() {}

  /** Receives synthetic rows: the source row index, the copy number (1..) and the features. */
  public interface Sink {
    void accept(int source, int copy, double[] features);
  }

  /**
   * @param x the cell's feature vectors
   * @param ids the rows' ids (for per-row seeding)
   * @param synthetic how many synthetic rows each row is the base of
   * @param k neighbours (fewer if the cell is smaller)
   */
  public static void synthesize(double[][] x, String[] ids, int[] synthetic, int k, long seed, Sink sink) {
    int m = x.length;
    if (m == 0) {
      return;
    }
    int kk = Math.min(k, m - 1);
    boolean[] wanted = new boolean[m];
    for (int i = 0; i < m; i++) {
      wanted[i] = synthetic[i] > 0;
    }
    Neighbours nn = kk == 0 ? null : Neighbours.of(x, wanted, kk);
    for (int i = 0; i < m; i++) {
      if (synthetic[i] <= 0) {
        continue;
      }
      int found = nn == null ? 0 : nn.found[i];
      SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ ids[i].hashCode() * 0xC2B2AE3D27D4EB4FL
          ^ (long) ids[i].length() << 32);
      for (int c = 1; c <= synthetic[i]; c++) {
        double[] xi = x[i];
        double[] out = new double[xi.length];
        if (found == 0) {
          System.arraycopy(xi, 0, out, 0, xi.length);
        } else {
          double[] xn = x[nn.index[i * kk + rnd.nextInt(found)]];
          double u = rnd.nextDouble();
          for (int d = 0; d < xi.length; d++) {
            out[d] = xi[d] + u * (xn[d] - xi[d]);
          }
        }
        sink.accept(i, c, out);
      }
    }
  }

  /**
   * The k nearest other rows of each wanted row, nearest first, ties to the lower index. Each pair's
   * distance is computed once and offered to both rows (half the work of one scan per row); every row
   * still receives its candidates in ascending index order, so the result is that of a scan per row.
   */
  static final class Neighbours {
    final int k;
    /** Row i's neighbours are {@code index[i*k .. i*k + found[i])}, at {@code distance[...]}. */
    final int[] index;
    final double[] distance;
    final int[] found;

    private Neighbours(int m, int k) {
      this.k = k;
      this.index = new int[m * k];
      this.distance = new double[m * k];
      this.found = new int[m];
    }

    static Neighbours of(double[][] x, boolean[] wanted, int k) {
      int m = x.length;
      int dim = m == 0 ? 0 : x[0].length;
      // one contiguous block: the pair loop walks it row after row
      double[] flat = new double[m * dim];
      for (int i = 0; i < m; i++) {
        System.arraycopy(x[i], 0, flat, i * dim, dim);
      }
      Neighbours out = new Neighbours(m, k);
      for (int a = 0; a < m; a++) {
        int oa = a * dim;
        for (int b = a + 1; b < m; b++) {
          if (!wanted[a] && !wanted[b]) {
            continue;
          }
          int ob = b * dim;
          double d = 0;
          for (int t = 0; t < dim; t++) {
            double diff = flat[oa + t] - flat[ob + t];
            d += diff * diff;
          }
          if (wanted[a]) {
            out.offer(a, b, d);
          }
          if (wanted[b]) {
            out.offer(b, a, d);
          }
        }
      }
      return out;
    }

    /** Offers candidate j at distance d to row i; candidates arrive in ascending j. */
    private void offer(int i, int j, double d) {
      int base = i * k;
      int n = found[i];
      if (n < k) {
        int p = n;
        found[i] = n + 1;
        // equal distances keep arrival (= index) order
        while (p > 0 && distance[base + p - 1] > d) {
          distance[base + p] = distance[base + p - 1];
          index[base + p] = index[base + p - 1];
          p--;
        }
        distance[base + p] = d;
        index[base + p] = j;
      } else if (d < distance[base + k - 1]) {
        int p = k - 1;
        while (p > 0 && distance[base + p - 1] > d) {
          distance[base + p] = distance[base + p - 1];
          index[base + p] = index[base + p - 1];
          p--;
        }
        distance[base + p] = d;
        index[base + p] = j;
      }
    }
  }
}
