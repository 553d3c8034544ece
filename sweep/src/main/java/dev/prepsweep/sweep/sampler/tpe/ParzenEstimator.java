package dev.prepsweep.sweep.sampler.tpe;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A mixture of product kernels (Optuna's {@code _ParzenEstimator}, 3.x semantics): one component
 * per observation plus an optional prior component, truncated Gaussians on numeric dimensions
 * (integrated over the grid cell for discrete ones) and reweighted counts on categoricals.
 * With one dimension it is the univariate estimator; with several, components are shared across
 * dimensions (multivariate TPE).
 */
final class ParzenEstimator {
  private static final double SIGMA0_MAGNITUDE = 0.2;
  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
  private static final double SQRT2 = Math.sqrt(2);

  private final Dim[] dims;
  private final int k;
  private final double[] logWeights;
  private final double[] cumWeights;
  /** Per dimension, per component (numeric dimensions). */
  private final double[][] mu;
  private final double[][] sigma;
  private final double[][] logNorm;
  private final double[][] invSigma;
  /** Per dimension, per component, per choice (categorical dimensions): log-probabilities. */
  private final double[][][] logProbs;

  /**
   * @param obs rows of internal values, ordered oldest trial first
   * @param weights one weight per row (before the prior is appended)
   */
  ParzenEstimator(Dim[] dims, double[][] obs, double[] weights, TpeSampler.Options o, boolean multivariate) {
    this.dims = dims;
    int n = obs.length;
    int d = dims.length;
    this.k = n + 1; // the prior is always the last component
    double[] w = Arrays.copyOf(weights, k);
    w[n] = n == 0 ? 1.0 : o.priorWeight();
    double sum = 0;
    for (double x : w) {
      sum += x;
    }
    logWeights = new double[k];
    cumWeights = new double[k];
    double acc = 0;
    for (int i = 0; i < k; i++) {
      logWeights[i] = Math.log(w[i] / sum);
      acc += w[i] / sum;
      cumWeights[i] = acc;
    }
    mu = new double[d][];
    sigma = new double[d][];
    logNorm = new double[d][];
    invSigma = new double[d][];
    logProbs = new double[d][][];
    for (int j = 0; j < d; j++) {
      Dim dim = dims[j];
      double[] col = new double[n];
      for (int i = 0; i < n; i++) {
        col[i] = obs[i][j];
      }
      if (dim.kind == Dim.Kind.CATEGORICAL) {
        logProbs[j] = categorical(dim, col, o.priorWeight());
      } else {
        numeric(j, dim, col, o, multivariate);
      }
    }
  }

  private double[][] categorical(Dim dim, double[] col, double priorWeight) {
    int n = col.length;
    double[][] lp = new double[n + 1][dim.choices];
    double base = priorWeight / (n + 1);
    for (int i = 0; i <= n; i++) {
      double[] row = new double[dim.choices];
      Arrays.fill(row, base);
      if (i < n) {
        row[(int) col[i]] += 1;
      }
      double s = 0;
      for (double x : row) {
        s += x;
      }
      for (int c = 0; c < dim.choices; c++) {
        lp[i][c] = Math.log(row[c] / s);
      }
    }
    return lp;
  }

  private void numeric(int j, Dim dim, double[] col, TpeSampler.Options o, boolean multivariate) {
    int n = col.length;
    double low = dim.low;
    double high = dim.high;
    double width = high - low;
    double priorMu = 0.5 * (low + high);
    double[] m = Arrays.copyOf(col, n + 1);
    m[n] = priorMu;
    double[] s = new double[n + 1];
    if (multivariate) {
      double s0 = o.bandwidthScale() * SIGMA0_MAGNITUDE * Math.pow(Math.max(n, 1), -1.0 / (dims.length + 4)) * width;
      Arrays.fill(s, 0, n, s0);
    } else if (n > 0) {
      // Sorted observations with the prior mean inserted; each kernel as wide as its larger gap.
      Integer[] order = new Integer[n + 1];
      for (int i = 0; i <= n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Double.compare(m[a], m[b]));
      for (int r = 0; r <= n; r++) {
        double x = m[order[r]];
        double prev = r == 0 ? low : m[order[r - 1]];
        double next = r == n ? high : m[order[r + 1]];
        double sg = Math.max(x - prev, next - x);
        if (!o.considerEndpoints() && n + 1 >= 2) {
          if (r == 0) {
            sg = next - x;
          } else if (r == n) {
            sg = x - prev;
          }
        }
        s[order[r]] = sg * o.bandwidthScale();
      }
    }
    double maxSigma = width;
    double minSigma = o.considerMagicClip() ? width / Math.min(100.0, 1.0 + n + 1) : 1e-12;
    for (int i = 0; i < n; i++) {
      s[i] = Math.min(maxSigma, Math.max(minSigma, s[i]));
    }
    s[n] = width;
    mu[j] = m;
    sigma[j] = s;
    double[] ln = new double[n + 1];
    double lastSigma = Double.NaN;
    double lastLog = 0;
    for (int i = 0; i <= n; i++) {
      double z = width <= 0 ? 1 : mass((low - m[i]) / s[i], (high - m[i]) / s[i]);
      if (s[i] != lastSigma) { // multivariate kernels share one width: one log for all
        lastSigma = s[i];
        lastLog = Math.log(Math.max(s[i], 1e-300));
      }
      ln[i] = lastLog + LOG_SQRT_2PI + (z == 1 ? 0 : Math.log(Math.max(z, 1e-300)));
    }
    logNorm[j] = ln;
    double[] inv = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      inv[i] = 1 / s[i];
    }
    invSigma[j] = inv;
  }

  /** Draws one point (internal values; discrete values snapped to the grid). */
  double[] sample(SplittableRandom rng) {
    double u = rng.nextDouble();
    int c = Arrays.binarySearch(cumWeights, u);
    c = c >= 0 ? c : Math.min(k - 1, -c - 1);
    double[] x = new double[dims.length];
    for (int j = 0; j < dims.length; j++) {
      Dim dim = dims[j];
      if (dim.kind == Dim.Kind.CATEGORICAL) {
        double v = rng.nextDouble();
        double a = 0;
        int choice = dim.choices - 1;
        for (int q = 0; q < dim.choices; q++) {
          a += Math.exp(logProbs[j][c][q]);
          if (v < a) {
            choice = q;
            break;
          }
        }
        x[j] = choice;
      } else {
        double v = truncatedNormal(rng, mu[j][c], sigma[j][c], dim.low, dim.high);
        x[j] = dim.kind == Dim.Kind.DISCRETE ? dim.snap(v) : v;
      }
    }
    return x;
  }

  /** Log density (log mass for discrete and categorical dimensions) of the mixture at {@code x}. */
  double logPdf(double[] x) {
    double[] acc = new double[k];
    System.arraycopy(logWeights, 0, acc, 0, k);
    for (int j = 0; j < dims.length; j++) {
      Dim dim = dims[j];
      double xj = x[j];
      if (dim.kind == Dim.Kind.CATEGORICAL) {
        int c = (int) xj;
        double[][] lp = logProbs[j];
        for (int i = 0; i < k; i++) {
          acc[i] += lp[i][c];
        }
      } else if (dim.width() <= 0) {
        continue;
      } else if (dim.kind == Dim.Kind.CONTINUOUS) {
        double[] m = mu[j];
        double[] inv = invSigma[j];
        double[] ln = logNorm[j];
        for (int i = 0; i < k; i++) {
          double z = (xj - m[i]) * inv[i];
          acc[i] -= 0.5 * z * z + ln[i];
        }
      } else {
        double a = Math.max(dim.low, dim.cellLow(xj));
        double b = Math.min(dim.high, dim.cellHigh(xj));
        double[] m = mu[j];
        double[] s = sigma[j];
        double[] ln = logNorm[j];
        for (int i = 0; i < k; i++) {
          double mass = phi((b - m[i]) / s[i]) - phi((a - m[i]) / s[i]);
          double logMass;
          if (mass > 1e-12) {
            // ln holds log(sigma * sqrt(2 pi) * Z); the mass needs only log Z.
            logMass = Math.log(mass) - (ln[i] - Math.log(s[i]) - LOG_SQRT_2PI);
          } else {
            double z = (0.5 * (a + b) - m[i]) / s[i];
            logMass = -0.5 * z * z - ln[i] + Math.log(b - a);
          }
          acc[i] += logMass;
        }
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double v : acc) {
      max = Math.max(max, v);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    // Components more than e^-40 below the largest add under 1e-17 each relative to it: skip their exp.
    double cut = max - 40;
    double s = 0;
    for (double v : acc) {
      if (v > cut) {
        s += Math.exp(v - max);
      }
    }
    return max + Math.log(s);
  }

  /** Standard normal CDF. */
  static double phi(double z) {
    return 0.5 * erfc(-z / SQRT2);
  }

  /**
   * Complementary error function, Chebyshev fit with fractional error below 1.2e-7 everywhere
   * (Numerical Recipes' {@code erfcc}); an order of magnitude faster than Hipparchus'
   * incomplete-gamma based {@code Erf}, which dominated the cost of building estimators.
   */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }

  /**
   * Mass of the standard normal between {@code a < b}. A bound more than 6 sigma away counts as
   * infinite (it changes the log density by under 1e-9), which skips most CDF evaluations.
   */
  private static double mass(double a, double b) {
    if (a < -6) {
      return b > 6 ? 1 : 1 - phi(-b);
    }
    if (b > 6) {
      return 1 - phi(a);
    }
    return phi(b) - phi(a);
  }

  private static double truncatedNormal(SplittableRandom rng, double m, double s, double low, double high) {
    if (!(high > low)) {
      return low;
    }
    for (int attempt = 0; attempt < 100; attempt++) {
      double v = m + s * rng.nextGaussian();
      if (v >= low && v <= high) {
        return v;
      }
    }
    return low + rng.nextDouble() * (high - low);
  }
}
