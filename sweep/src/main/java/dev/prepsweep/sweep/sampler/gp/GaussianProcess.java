package dev.prepsweep.sweep.sampler.gp;

import java.util.SplittableRandom;
import org.hipparchus.exception.MathIllegalArgumentException;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.DecompositionSolver;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * A zero-mean Gaussian process with a Matern 5/2 ARD kernel on inputs in {@code [0, 1]^d} and
 * standardised outputs. Hyperparameters (one lengthscale per input, signal variance, noise
 * variance) maximise the log marginal likelihood plus weak log-normal priors, with multi-start
 * BOBYQA over their logarithms. Linear algebra is Hipparchus' Cholesky decomposition.
 */
final class GaussianProcess {
  static final double MIN_LOG_LENGTHSCALE = Math.log(0.01);
  static final double MAX_LOG_LENGTHSCALE = Math.log(20);
  static final double MIN_LOG_SIGNAL = Math.log(0.05);
  static final double MAX_LOG_SIGNAL = Math.log(20);
  static final double MIN_LOG_NOISE = Math.log(1e-6);
  static final double MAX_LOG_NOISE = Math.log(0.5);
  private static final double SQRT5 = Math.sqrt(5);
  private static final double JITTER = 1e-9;

  private final double[][] x;
  private final double[] lengthscales;
  private final double signal;
  private final double noise;
  private final double[] alpha;
  private final double[][] kInv;
  private final double[] theta;

  private GaussianProcess(double[][] x, double[] lengthscales, double signal, double noise, double[] alpha,
      double[][] kInv, double[] theta) {
    this.theta = theta;
    this.x = x;
    this.lengthscales = lengthscales;
    this.signal = signal;
    this.noise = noise;
    this.alpha = alpha;
    this.kInv = kInv;
  }

  double[] lengthscales() {
    return lengthscales.clone();
  }

  double signal() {
    return signal;
  }

  double noise() {
    return noise;
  }

  /** Hyperparameters as {@code [log l per group.., log signal, log noise]}. */
  double[] theta() {
    return theta.clone();
  }

  /** Each column its own lengthscale. */
  static int[] identityGroups(int columns) {
    int[] g = new int[columns];
    for (int i = 0; i < columns; i++) {
      g[i] = i;
    }
    return g;
  }

  static int groupCount(int[] groups) {
    int max = -1;
    for (int g : groups) {
      max = Math.max(max, g);
    }
    return max + 1;
  }

  /** Per-column lengthscales from {@code theta} (columns of one group share one). */
  private static double[] columnLengthscales(double[] theta, int[] groups) {
    double[] ls = new double[groups.length];
    for (int j = 0; j < groups.length; j++) {
      ls[j] = Math.exp(theta[groups[j]]);
    }
    return ls;
  }

  static GaussianProcess fit(double[][] x, double[] y, SplittableRandom rng, int restarts, int maxEval) {
    return fit(x, y, identityGroups(x[0].length), rng, restarts, maxEval);
  }

  static GaussianProcess withTheta(double[][] x, double[] y, double[] theta) {
    return withTheta(x, y, identityGroups(x[0].length), theta);
  }

  /**
   * Fits hyperparameters on {@code (x, y)}: BOBYQA from a default start and from {@code restarts}
   * random starts drawn from {@code rng}, keeping the best penalised log marginal likelihood.
   */
  static GaussianProcess fit(double[][] x, double[] y, int[] groups, SplittableRandom rng, int restarts,
      int maxEval) {
    int d = groupCount(groups);
    int p = d + 2;
    double[] lo = new double[p];
    double[] hi = new double[p];
    for (int i = 0; i < d; i++) {
      lo[i] = MIN_LOG_LENGTHSCALE;
      hi[i] = MAX_LOG_LENGTHSCALE;
    }
    lo[d] = MIN_LOG_SIGNAL;
    hi[d] = MAX_LOG_SIGNAL;
    lo[d + 1] = MIN_LOG_NOISE;
    hi[d + 1] = MAX_LOG_NOISE;
    double[] best = new double[p];
    for (int i = 0; i < d; i++) {
      best[i] = Math.log(0.5);
    }
    best[d] = 0;
    best[d + 1] = Math.log(1e-3);
    double bestValue = objective(x, y, groups, best);
    for (int r = 0; r <= restarts; r++) {
      double[] start;
      if (r == 0) {
        start = best.clone();
      } else {
        start = new double[p];
        for (int i = 0; i < p; i++) {
          start[i] = lo[i] + (0.1 + 0.8 * rng.nextDouble()) * (hi[i] - lo[i]);
        }
        start[d] = 0;
      }
      double[] found = minimise(v -> objective(x, y, groups, v), start, lo, hi, 0.5, maxEval);
      double value = objective(x, y, groups, found);
      if (value < bestValue) {
        bestValue = value;
        best = found;
      }
    }
    return withTheta(x, y, groups, best);
  }

  /** A GP with fixed hyperparameters {@code [log l per group.., log signal, log noise]}. */
  static GaussianProcess withTheta(double[][] x, double[] y, int[] groups, double[] theta) {
    int d = groupCount(groups);
    double[] ls = columnLengthscales(theta, groups);
    double signal = Math.exp(theta[d]);
    double noise = Math.exp(theta[d + 1]);
    CholeskyDecomposition chol = decompose(x, ls, signal, noise);
    if (chol == null) {
      // Only reachable with degenerate inputs (duplicates and tiny noise): add noise until it factors.
      for (double n = Math.max(noise, 1e-6) * 10; chol == null && n < 10; n *= 10) {
        noise = n;
        chol = decompose(x, ls, signal, noise);
      }
      if (chol == null) {
        throw new IllegalStateException("GP kernel matrix is not positive definite even with noise " + noise);
      }
    }
    DecompositionSolver solver = chol.getSolver();
    double[] alpha = solver.solve(new ArrayRealVector(y, false)).toArray();
    double[][] kInv = solver.getInverse().getData();
    double[] used = theta.clone();
    used[d + 1] = Math.log(noise);
    return new GaussianProcess(x, ls, signal, noise, alpha, kInv, used);
  }

  /** Negative penalised log marginal likelihood (the value BOBYQA minimises). */
  static double objective(double[][] x, double[] y, int[] groups, double[] theta) {
    int d = groupCount(groups);
    double[] ls = columnLengthscales(theta, groups);
    double prior = 0;
    for (int i = 0; i < d; i++) {
      // log-normal prior on each lengthscale around 0.5 of the unit box, wide (sd 1.5 in log space)
      double z = (theta[i] - Math.log(0.5)) / 1.5;
      prior += 0.5 * z * z;
    }
    double zs = theta[d] / 1.5;
    double zn = (theta[d + 1] - Math.log(1e-3)) / 3;
    prior += 0.5 * zs * zs + 0.5 * zn * zn;
    CholeskyDecomposition chol = decompose(x, ls, Math.exp(theta[d]), Math.exp(theta[d + 1]));
    if (chol == null) {
      return 1e10;
    }
    double[] alpha = chol.getSolver().solve(new ArrayRealVector(y, false)).toArray();
    double fit = 0;
    for (int i = 0; i < y.length; i++) {
      fit += y[i] * alpha[i];
    }
    RealMatrix l = chol.getL();
    double logDet = 0;
    for (int i = 0; i < y.length; i++) {
      logDet += Math.log(l.getEntry(i, i));
    }
    double lml = -0.5 * fit - logDet - 0.5 * y.length * Math.log(2 * Math.PI);
    return -lml + prior;
  }

  private static CholeskyDecomposition decompose(double[][] x, double[] ls, double signal, double noise) {
    int n = x.length;
    double[][] k = new double[n][n];
    double[][] scaled = scale(x, ls);
    for (int i = 0; i < n; i++) {
      k[i][i] = signal + noise + JITTER;
      for (int j = 0; j < i; j++) {
        double v = signal * matern(dist(scaled[i], scaled[j]));
        k[i][j] = v;
        k[j][i] = v;
      }
    }
    try {
      return new CholeskyDecomposition(new Array2DRowRealMatrix(k, false), 1e-10, 1e-14);
    } catch (MathIllegalArgumentException e) {
      return null;
    }
  }

  private static double[][] scale(double[][] x, double[] ls) {
    double[][] s = new double[x.length][ls.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < ls.length; j++) {
        s[i][j] = x[i][j] / ls[j];
      }
    }
    return s;
  }

  private static double dist(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double t = a[i] - b[i];
      s += t * t;
    }
    return Math.sqrt(s);
  }

  /** Matern 5/2 correlation at scaled distance r. */
  static double matern(double r) {
    double sr = SQRT5 * r;
    return (1 + sr + sr * sr / 3) * Math.exp(-sr);
  }

  /** Posterior mean and variance (of the latent function) at {@code p}. */
  double[] predict(double[] p) {
    int n = x.length;
    double[] ks = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      double s = 0;
      double[] xi = x[i];
      for (int j = 0; j < p.length; j++) {
        double t = (p[j] - xi[j]) / lengthscales[j];
        s += t * t;
      }
      ks[i] = signal * matern(Math.sqrt(s));
      mean += ks[i] * alpha[i];
    }
    double quad = 0;
    for (int i = 0; i < n; i++) {
      double[] row = kInv[i];
      double acc = 0;
      for (int j = 0; j < n; j++) {
        acc += row[j] * ks[j];
      }
      quad += ks[i] * acc;
    }
    return new double[] {mean, Math.max(signal - quad, 1e-12)};
  }

  /** Box-bounded BOBYQA minimisation that keeps the best point seen if the budget runs out. */
  static double[] minimise(java.util.function.ToDoubleFunction<double[]> f, double[] start, double[] lo, double[] hi,
      double radius, int maxEval) {
    int p = start.length;
    double[] best = start.clone();
    double[] bestValue = {f.applyAsDouble(start)};
    if (p < 2) {
      return best;
    }
    double minWidth = Double.POSITIVE_INFINITY;
    for (int i = 0; i < p; i++) {
      minWidth = Math.min(minWidth, hi[i] - lo[i]);
    }
    double r = Math.min(radius, minWidth / 2.5);
    double[][] holder = {best};
    ObjectiveFunction obj = new ObjectiveFunction(v -> {
      double value = f.applyAsDouble(v);
      if (value < bestValue[0]) {
        bestValue[0] = value;
        holder[0] = v.clone();
      }
      return value;
    });
    try {
      new BOBYQAOptimizer(2 * p + 1, r, 1e-4 * r).optimize(new MaxEval(maxEval), obj, GoalType.MINIMIZE,
          new InitialGuess(start), new SimpleBounds(lo, hi));
    } catch (MathIllegalStateException | MathIllegalArgumentException e) {
      // budget exhausted or a degenerate step: keep the best point evaluated so far
    }
    return holder[0];
  }
}
