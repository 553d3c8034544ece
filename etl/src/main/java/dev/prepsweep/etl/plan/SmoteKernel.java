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
    int[] nn = new int[Math.max(kk, 1)];
    double[] nd = new double[Math.max(kk, 1)];
    for (int i = 0; i < m; i++) {
      if (synthetic[i] <= 0) {
        continue;
      }
      int found = kk == 0 ? 0 : neighbours(x, i, kk, nn, nd);
      SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ ids[i].hashCode() * 0xC2B2AE3D27D4EB4FL
          ^ (long) ids[i].length() << 32);
      for (int c = 1; c <= synthetic[i]; c++) {
        double[] xi = x[i];
        double[] out = new double[xi.length];
        if (found == 0) {
          System.arraycopy(xi, 0, out, 0, xi.length);
        } else {
          double[] xn = x[nn[rnd.nextInt(found)]];
          double u = rnd.nextDouble();
          for (int d = 0; d < xi.length; d++) {
            out[d] = xi[d] + u * (xn[d] - xi[d]);
          }
        }
        sink.accept(i, c, out);
      }
    }
  }

  /** The k nearest other rows of row i, nearest first; returns how many were found. */
  static int neighbours(double[][] x, int i, int k, int[] nn, double[] nd) {
    int found = 0;
    double[] xi = x[i];
    for (int j = 0; j < x.length; j++) {
      if (j == i) {
        continue;
      }
      double[] xj = x[j];
      double d = 0;
      for (int t = 0; t < xi.length; t++) {
        double diff = xi[t] - xj[t];
        d += diff * diff;
      }
      if (found < k) {
        int p = found++;
        while (p > 0 && (nd[p - 1] > d || (nd[p - 1] == d && nn[p - 1] > j))) {
          nd[p] = nd[p - 1];
          nn[p] = nn[p - 1];
          p--;
        }
        nd[p] = d;
        nn[p] = j;
      } else if (d < nd[k - 1]) {
        int p = k - 1;
        while (p > 0 && nd[p - 1] > d) {
          nd[p] = nd[p - 1];
          nn[p] = nn[p - 1];
          p--;
        }
        nd[p] = d;
        nn[p] = j;
      }
    }
    return found;
  }
}
