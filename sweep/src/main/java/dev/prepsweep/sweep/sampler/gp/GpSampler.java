package dev.prepsweep.sweep.sampler.gp;

import dev.prepsweep.sweep.sampler.RandomSampler;
import dev.prepsweep.sweep.sampler.Sampler;
import dev.prepsweep.sweep.sampler.Seeds;
import dev.prepsweep.sweep.space.CategoricalDistribution;
import dev.prepsweep.sweep.space.Distribution;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hipparchus.special.Erf;

/**
 * Gaussian-process Bayesian optimisation. Parameters are encoded in {@code [0, 1]} on their
 * internal (log-scaled) range, categoricals one-hot, inactive conditional parameters at the
 * centre (numeric) or all-zero (categorical). Losses are standardised; a Matern 5/2 ARD GP
 * ({@link GaussianProcess}) is refitted after every update and the next point maximises log
 * expected improvement over random candidates, perturbations of the best trials and BOBYQA
 * refinement of the most promising ones. Running trials (and earlier proposals of the same
 * {@link #suggest} call) enter the posterior as the worst observed loss (constant liar).
 * PRUNED trials count as the worst observed loss; FAILED trials are ignored. COMPLETE trials that
 * miss the sweep's constraints count as worse than every feasible trial: the worst feasible loss plus
 * the feasible losses' range times (1 + violation), so the GP learns to avoid them.
 */
public final class GpSampler implements Sampler {

  /**
   * GP-BO settings; {@link #defaults()} holds the defaults in one place.
   *
   * @param nStartupTrials finished trials before the GP is used (uniform random before that)
   * @param nCandidates random candidates scored per proposal
   * @param nRefine best candidates refined by local search
   * @param fitRestarts random restarts of the hyperparameter fit (besides the default start)
   * @param fitMaxEvaluations likelihood evaluations allowed per fit start
   * @param constantLiar put running trials into the posterior at the worst observed loss
   */
  public record Options(int nStartupTrials, int nCandidates, int nRefine, int fitRestarts, int fitMaxEvaluations,
      boolean constantLiar) {
    public Options {
      if (nStartupTrials < 1) {
        throw new IllegalArgumentException("nStartupTrials must be >= 1, got " + nStartupTrials);
      }
      if (nCandidates < 1) {
        throw new IllegalArgumentException("nCandidates must be >= 1, got " + nCandidates);
      }
      if (nRefine < 0 || fitRestarts < 0 || fitMaxEvaluations < 1) {
        throw new IllegalArgumentException("nRefine and fitRestarts must be >= 0 and fitMaxEvaluations >= 1, got "
            + nRefine + ", " + fitRestarts + ", " + fitMaxEvaluations);
      }
    }

    public static Options defaults() {
      return new Options(10, 1000, 3, 1, 300, true);
    }
  }

  private final SearchSpace space;
  private final Direction direction;
  private final long seed;
  private final Options options;
  private final List<Parameter> all;
  /** First encoded column of each parameter in {@link #all}. */
  private final int[] column;
  private final int width;
  /** Lengthscale index of each encoded column: one per parameter (a categorical's one-hot columns share it). */
  private final int[] groups;

  private final List<double[]> observedX = new ArrayList<>();
  private final List<Double> observedLoss = new ArrayList<>();
  private final List<double[]> runningX = new ArrayList<>();
  private int finished;
  private int known;
  private Fitted fitted;

  public GpSampler(SearchSpace space, List<Direction> directions, long seed) {
    this(space, directions, seed, Options.defaults());
  }

  /** @throws IllegalArgumentException when the study has more than one objective */
  public GpSampler(SearchSpace space, List<Direction> directions, long seed, Options options) {
    if (directions.size() != 1) {
      throw new IllegalArgumentException("GP-BO optimises one objective, but the study has " + directions.size()
          + " directions " + directions + "; use the 'nsga2' sampler for multi-objective studies");
    }
    this.space = space;
    this.direction = directions.get(0);
    this.seed = seed;
    this.options = options;
    this.all = space.allParameters();
    this.column = new int[all.size()];
    int w = 0;
    for (int i = 0; i < all.size(); i++) {
      column[i] = w;
      w += all.get(i).distribution() instanceof CategoricalDistribution c ? c.choices().size() : 1;
    }
    this.width = w;
    this.groups = new int[w];
    for (int i = 0; i < all.size(); i++) {
      int end = i + 1 < all.size() ? column[i + 1] : w;
      for (int c = column[i]; c < end; c++) {
        groups[c] = i;
      }
    }
  }

  @Override
  public void update(List<Trial> completed, List<Trial> active) {
    known = completed.size() + active.size();
    observedX.clear();
    observedLoss.clear();
    runningX.clear();
    finished = 0;
    double worst = Double.NEGATIVE_INFINITY;
    List<double[]> pruned = new ArrayList<>();
    List<Trial> infeasible = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    for (Trial t : completed) {
      if (t.state() == TrialState.COMPLETE && t.infeasible()) {
        infeasible.add(t);
        finished++;
      } else if (t.state() == TrialState.COMPLETE) {
        double loss = direction.toLoss(t.value());
        observedX.add(encode(t.params()));
        observedLoss.add(loss);
        worst = Math.max(worst, loss);
        best = Math.min(best, loss);
        finished++;
      } else if (t.state() == TrialState.PRUNED) {
        pruned.add(encode(t.params()));
        finished++;
      }
    }
    if (!observedLoss.isEmpty()) {
      for (double[] p : pruned) {
        observedX.add(p);
        observedLoss.add(worst);
      }
    }
    // infeasible below every feasible loss; without feasible trials their violation is the loss
    double floor = observedLoss.isEmpty() ? 0 : worst;
    double range = observedLoss.isEmpty() ? 1 : worst > best ? worst - best : Math.max(Math.abs(worst), 1);
    for (Trial t : infeasible) {
      observedX.add(encode(t.params()));
      observedLoss.add(floor + range * (1 + Math.min(t.violation(), 1e6)));
    }
    if (options.constantLiar()) {
      for (Trial t : active) {
        runningX.add(encode(t.params()));
      }
    }
    fitted = null;
  }

  @Override
  public List<Map<String, Object>> suggest(int count) {
    List<Map<String, Object>> out = new ArrayList<>(count);
    List<double[]> pending = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SplittableRandom rng = Seeds.forIndex(seed, known + i);
      Map<String, Object> params;
      if (finished < options.nStartupTrials() || observedLoss.size() < 2) {
        params = RandomSampler.sample(space, rng);
      } else {
        params = propose(model(pending), rng);
      }
      out.add(params);
      pending.add(encode(params));
    }
    return out;
  }

  /** The fitted GP and what log-EI needs: standardised best loss. */
  private record Fitted(GaussianProcess gp, double[] theta, double best) {}

  private Fitted model(List<double[]> pending) {
    if (fitted == null) {
      fitted = fit(List.of());
    }
    // Earlier proposals of this call join the running trials as liars (hyperparameters kept).
    return pending.isEmpty() ? fitted : fit(pending);
  }

  private Fitted fit(List<double[]> pending) {
    int n = observedX.size();
    double mean = 0;
    for (double v : observedLoss) {
      mean += v;
    }
    mean /= n;
    double var = 0;
    double worst = Double.NEGATIVE_INFINITY;
    double best = Double.POSITIVE_INFINITY;
    for (double v : observedLoss) {
      var += (v - mean) * (v - mean);
      worst = Math.max(worst, v);
      best = Math.min(best, v);
    }
    double sd = Math.sqrt(var / n);
    if (!(sd > 0)) {
      sd = 1;
    }
    double[][] x = observedX.toArray(new double[0][]);
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = (observedLoss.get(i) - mean) / sd;
    }
    double[] theta = fitted != null ? fitted.theta
        : GaussianProcess.fit(x, y, groups, Seeds.forIndex(~seed, n), options.fitRestarts(),
            options.fitMaxEvaluations()).theta();
    List<double[]> liars = new ArrayList<>(runningX);
    liars.addAll(pending);
    double[][] xAll = Arrays.copyOf(x, n + liars.size());
    double[] yAll = Arrays.copyOf(y, n + liars.size());
    for (int i = 0; i < liars.size(); i++) {
      xAll[n + i] = liars.get(i);
      yAll[n + i] = (worst - mean) / sd;
    }
    return new Fitted(GaussianProcess.withTheta(xAll, yAll, groups, theta), theta, (best - mean) / sd);
  }

  private Map<String, Object> propose(Fitted f, SplittableRandom rng) {
    int nc = options.nCandidates();
    List<double[]> candidates = new ArrayList<>(nc + nc / 4);
    for (int i = 0; i < nc; i++) {
      candidates.add(encode(RandomSampler.sample(space, rng)));
    }
    // Local perturbations of the best observed points: EI is often highest next to them.
    Integer[] order = new Integer[observedLoss.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(observedLoss.get(a), observedLoss.get(b)));
    int top = Math.min(5, order.length);
    for (int i = 0; i < nc / 4; i++) {
      double[] base = observedX.get(order[i % top]).clone();
      double scale = i % 2 == 0 ? 0.02 : 0.1;
      for (int p = 0; p < all.size(); p++) {
        if (!(all.get(p).distribution() instanceof CategoricalDistribution)) {
          int c = column[p];
          base[c] = Math.min(1, Math.max(0, base[c] + scale * rng.nextGaussian()));
        }
      }
      candidates.add(snap(base));
    }
    double[] scores = new double[candidates.size()];
    Integer[] rank = new Integer[candidates.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = logEi(f, candidates.get(i));
      rank[i] = i;
    }
    Arrays.sort(rank, (a, b) -> Double.compare(scores[b], scores[a]));
    double[] best = candidates.get(rank[0]);
    double bestScore = scores[rank[0]];
    int[] numeric = numericColumns();
    for (int r = 0; r < Math.min(options.nRefine(), rank.length); r++) {
      double[] start = candidates.get(rank[r]);
      double[] refined = refine(f, start, numeric);
      double s = logEi(f, refined);
      if (s > bestScore) {
        bestScore = s;
        best = refined;
      }
    }
    return decode(best);
  }

  private int[] numericColumns() {
    List<Integer> cols = new ArrayList<>();
    for (int p = 0; p < all.size(); p++) {
      if (!(all.get(p).distribution() instanceof CategoricalDistribution)) {
        cols.add(column[p]);
      }
    }
    return cols.stream().mapToInt(Integer::intValue).toArray();
  }

  /** BOBYQA on the numeric columns of a candidate (categoricals fixed), then snapped to legal values. */
  private double[] refine(Fitted f, double[] start, int[] numeric) {
    if (numeric.length < 2) {
      return start;
    }
    double[] s0 = new double[numeric.length];
    double[] lo = new double[numeric.length];
    double[] hi = new double[numeric.length];
    for (int i = 0; i < numeric.length; i++) {
      s0[i] = start[numeric[i]];
      hi[i] = 1;
    }
    double[] found = GaussianProcess.minimise(v -> {
      double[] x = start.clone();
      for (int i = 0; i < numeric.length; i++) {
        x[numeric[i]] = v[i];
      }
      return -logEi(f, x);
    }, s0, lo, hi, 0.05, 60 + 10 * numeric.length);
    double[] x = start.clone();
    for (int i = 0; i < numeric.length; i++) {
      x[numeric[i]] = found[i];
    }
    return snap(x);
  }

  /** Log expected improvement below the best standardised loss, stable far in the tail. */
  static double logEi(Fitted f, double[] x) {
    double[] mv = f.gp.predict(x);
    double sigma = Math.sqrt(mv[1]);
    double z = (f.best - mv[0]) / sigma;
    if (z > -6) {
      double cdf = 0.5 * Erf.erfc(-z / Math.sqrt(2));
      double pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
      return Math.log(sigma) + Math.log(Math.max(z * cdf + pdf, 1e-300));
    }
    // z * Phi(z) + phi(z) ~ phi(z) / z^2 for z -> -infinity
    return Math.log(sigma) - 0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z);
  }

  private double[] snap(double[] x) {
    return encode(decode(x));
  }

  private double[] encode(Map<String, Object> params) {
    double[] x = new double[width];
    for (int p = 0; p < all.size(); p++) {
      Parameter param = all.get(p);
      Distribution d = param.distribution();
      Object v = params.get(param.name());
      int c = column[p];
      if (d instanceof CategoricalDistribution cat) {
        if (v != null && cat.contains(v)) {
          x[c + cat.indexOf(v)] = 1;
        }
      } else if (v == null || !d.contains(v)) {
        x[c] = 0.5;
      } else {
        double lo = d.internalLow();
        double hi = d.internalHigh();
        x[c] = hi > lo ? (d.toInternal(v) - lo) / (hi - lo) : 0.5;
      }
    }
    return x;
  }

  /** The legal assignment (active parameters only) closest to an encoded point. */
  private Map<String, Object> decode(double[] x) {
    Map<String, Object> params = new LinkedHashMap<>();
    decodeLevel(space, x, params);
    return params;
  }

  private void decodeLevel(SearchSpace level, double[] x, Map<String, Object> params) {
    for (Parameter p : level.parameters()) {
      int c = column[all.indexOf(p)];
      Distribution d = p.distribution();
      Object value;
      if (d instanceof CategoricalDistribution cat) {
        int arg = 0;
        for (int i = 1; i < cat.choices().size(); i++) {
          if (x[c + i] > x[c + arg]) {
            arg = i;
          }
        }
        value = cat.choices().get(arg);
      } else {
        double lo = d.internalLow();
        double hi = d.internalHigh();
        value = d.fromInternal(lo + Math.min(1, Math.max(0, x[c])) * (hi - lo));
      }
      params.put(p.name(), value);
      decodeLevel(p.childrenFor(value), x, params);
    }
  }
}
