package dev.prepsweep.sweep.sampler.tpe;

import dev.prepsweep.sweep.sampler.RandomSampler;
import dev.prepsweep.sweep.sampler.Sampler;
import dev.prepsweep.sweep.sampler.Seeds;
import dev.prepsweep.sweep.sampler.moo.ParetoFront;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011; Optuna's {@code TPESampler}).
 *
 * <p>Finished trials are ranked: COMPLETE by loss, then PRUNED by depth (deeper first) and last
 * intermediate value, then PRUNED trials without intermediate values; FAILED trials are ignored.
 * With {@link Options#constantLiar()}, running trials rank last, so the "bad" density grows where
 * other workers already evaluate and parallel asks spread out. The best {@code gamma(n)} trials
 * feed the "good" estimator l(x), the rest g(x); each proposal draws {@link Options#nEiCandidates()}
 * points from l and keeps the one maximising l(x)/g(x).
 *
 * <p>In multivariate mode each level of a conditional space (the parameters of one
 * {@link SearchSpace} node) is modelled jointly; children chosen by a categorical value get their
 * own joint model fitted on the trials where they were active. In univariate mode every parameter
 * has its own estimator. Until {@link Options#nStartupTrials()} trials have finished (COMPLETE or
 * PRUNED) proposals are uniform random draws, seeded per proposal index.
 *
 * <p>Constraints (Optuna's constrained TPE): a COMPLETE trial that misses the sweep's constraints
 * ({@link Trial#infeasible()}) ranks after every feasible and every PRUNED trial, infeasible ones by
 * their violation (smaller first), so l(x) learns from feasible trials first.
 *
 * <p>With several directions this is MOTPE (Ozaki et al. 2020): COMPLETE trials are ranked by
 * non-dominated sorting and, within a rank, by crowding distance (larger first) instead of
 * Optuna's hypervolume-contribution subset selection; the good group is weighted uniformly.
 */
public final class TpeSampler implements Sampler {

  /**
   * TPE settings; {@link #defaults()} holds the defaults in one place.
   *
   * @param nStartupTrials finished trials before the model is used
   * @param nEiCandidates candidates drawn from l(x) per proposal
   * @param multivariate joint kernels per space level instead of one estimator per parameter
   * @param constantLiar treat running trials as the worst observations
   * @param gammaFraction fraction of trials in the good group, {@code ceil(gammaFraction * n)}
   * @param gammaMax cap on the good group size
   * @param priorWeight weight of the prior component (uniform-ish kernel over the whole range)
   * @param considerMagicClip lower-bound kernel widths by {@code range / min(100, 1 + kernels)}
   * @param considerEndpoints let the range ends count as neighbours for the outer kernels' widths
   * @param bandwidthScale multiplier on the kernel widths before clipping (1 = Optuna's rules)
   */
  public record Options(
      int nStartupTrials,
      int nEiCandidates,
      boolean multivariate,
      boolean constantLiar,
      double gammaFraction,
      int gammaMax,
      double priorWeight,
      boolean considerMagicClip,
      boolean considerEndpoints,
      double bandwidthScale) {

    public Options {
      if (nStartupTrials < 0) {
        throw new IllegalArgumentException("nStartupTrials must be >= 0, got " + nStartupTrials);
      }
      if (nEiCandidates < 1) {
        throw new IllegalArgumentException("nEiCandidates must be >= 1, got " + nEiCandidates);
      }
      if (!(gammaFraction > 0 && gammaFraction <= 1)) {
        throw new IllegalArgumentException("gammaFraction must be in (0, 1], got " + gammaFraction);
      }
      if (gammaMax < 1) {
        throw new IllegalArgumentException("gammaMax must be >= 1, got " + gammaMax);
      }
      if (!(bandwidthScale > 0) || !Double.isFinite(bandwidthScale)) {
        throw new IllegalArgumentException("bandwidthScale must be a positive number, got " + bandwidthScale);
      }
      if (!(priorWeight > 0) || !Double.isFinite(priorWeight)) {
        throw new IllegalArgumentException("priorWeight must be a positive number, got " + priorWeight);
      }
    }

    /**
     * The defaults: multivariate, constant liar, 10 startup trials, 24 candidates, Optuna's prior
     * and magic clip, a good group of {@code min(ceil(0.2 n), 25)} and kernels half as wide as
     * Optuna's multivariate rule. The last two were tuned on the benchmark functions of
     * {@code docs/optimizer-benchmark.md} with seeds other than the reported ones (0.1/1.0 were
     * worse on all five functions at 100 trials).
     */
    public static Options defaults() {
      return new Options(10, 24, true, true, 0.2, 25, 1.0, true, false, 0.5);
    }

    /** Optuna 3.1's {@code TPESampler()} defaults (univariate, no constant liar). */
    public static Options optunaDefaults() {
      return new Options(10, 24, false, false, 0.1, 25, 1.0, true, false, 1.0);
    }

    public Options withMultivariate(boolean value) {
      return new Options(nStartupTrials, nEiCandidates, value, constantLiar, gammaFraction, gammaMax,
          priorWeight, considerMagicClip, considerEndpoints, bandwidthScale);
    }

    public Options withNStartupTrials(int value) {
      return new Options(value, nEiCandidates, multivariate, constantLiar, gammaFraction, gammaMax,
          priorWeight, considerMagicClip, considerEndpoints, bandwidthScale);
    }

    public Options withNEiCandidates(int value) {
      return new Options(nStartupTrials, value, multivariate, constantLiar, gammaFraction, gammaMax,
          priorWeight, considerMagicClip, considerEndpoints, bandwidthScale);
    }

    public Options withConstantLiar(boolean value) {
      return new Options(nStartupTrials, nEiCandidates, multivariate, value, gammaFraction, gammaMax,
          priorWeight, considerMagicClip, considerEndpoints, bandwidthScale);
    }

    /** Size of the good group among {@code n} ranked trials. */
    int gamma(int n) {
      return Math.min((int) Math.ceil(gammaFraction * n), gammaMax);
    }
  }

  /** Optuna's default weights: the newest 25 trials weigh 1, older ones ramp down linearly to 1/n. */
  static double[] weights(int n) {
    double[] w = new double[n];
    if (n < 25) {
      Arrays.fill(w, 1.0);
      return w;
    }
    int ramp = n - 25;
    for (int i = 0; i < ramp; i++) {
      w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
    }
    Arrays.fill(w, ramp, n, 1.0);
    return w;
  }

  private final SearchSpace space;
  private final long seed;
  private final Options options;
  private final List<Parameter> all;
  private final Map<String, Integer> index = new HashMap<>();
  private final Dim[] dims;
  private final List<Direction> directions;

  /** Observations in the order update() got them, and (built on first use) best first. */
  private List<Obs> observations = List.of();
  private List<Obs> ranked;
  private int nGood;
  private int nFinished;
  private int known;
  /** Models derived from the current observations, built on first use after each update. */
  private final Map<Object, Model> models = new HashMap<>();
  /** Internal values by trial number (a trial's parameters never change), so update() stays O(n). */
  private final Map<Integer, double[]> internalCache = new HashMap<>();

  public TpeSampler(SearchSpace space, List<Direction> directions, long seed) {
    this(space, directions, seed, Options.defaults());
  }

  /**
   * One direction: TPE; several: MOTPE.
   *
   * @throws IllegalArgumentException when {@code directions} is empty
   */
  public TpeSampler(SearchSpace space, List<Direction> directions, long seed, Options options) {
    if (directions.isEmpty()) {
      throw new IllegalArgumentException("TPE needs at least one direction, got none");
    }
    this.space = space;
    this.seed = seed;
    this.options = options;
    this.all = space.allParameters();
    this.dims = new Dim[all.size()];
    for (int i = 0; i < all.size(); i++) {
      index.put(all.get(i).name(), i);
      dims[i] = new Dim(all.get(i).distribution());
    }
    this.directions = List.copyOf(directions);
  }

  /**
   * One observation: internal values (NaN where inactive), trial number and rank keys. Classes:
   * 0 COMPLETE (key1 the loss; with several objectives key1 the non-dominated rank, key2 minus the
   * crowding distance), 1 PRUNED with intermediate values (key1 minus the last step, key2 its loss),
   * 2 PRUNED without, 3 COMPLETE but infeasible (key1 the violation), 4 running (constant liar).
   */
  private record Obs(int number, double[] x, int rankClass, double key1, double key2) {}

  /** The rank class of COMPLETE trials that miss a constraint, after PRUNED ones. */
  private static final int INFEASIBLE_CLASS = 3;
  /** The rank class of running trials (constant liar) and pending proposals: last. */
  private static final int RUNNING_CLASS = 4;

  /** Best first: class, the class's two keys, trial number (written out: it runs n log n times per ask). */
  private static final Comparator<Obs> RANK = (a, b) -> {
    if (a.rankClass != b.rankClass) {
      return a.rankClass < b.rankClass ? -1 : 1;
    }
    int c = Double.compare(a.key1, b.key1);
    if (c != 0) {
      return c;
    }
    c = Double.compare(a.key2, b.key2);
    return c != 0 ? c : Integer.compare(a.number, b.number);
  };

  @Override
  public void update(List<Trial> completed, List<Trial> active) {
    known = completed.size() + active.size();
    List<Obs> obs = new ArrayList<>(completed.size() + active.size());
    int finished = 0;
    if (directions.size() > 1) {
      finished = multiObjective(completed, obs);
    }
    Direction direction = directions.get(0);
    for (Trial t : completed) {
      if (directions.size() > 1) {
        break;
      }
      if (t.state() == TrialState.COMPLETE && t.infeasible()) {
        obs.add(new Obs(t.number(), internal(t), INFEASIBLE_CLASS, t.violation(), 0));
        finished++;
      } else if (t.state() == TrialState.COMPLETE) {
        obs.add(new Obs(t.number(), internal(t), 0, direction.toLoss(t.value()), 0));
        finished++;
      } else if (t.state() == TrialState.PRUNED) {
        finished++;
        if (t.intermediate().isEmpty()) {
          obs.add(new Obs(t.number(), internal(t), 2, 0, 0));
        } else {
          double last = t.intermediate().get(t.lastStep());
          obs.add(new Obs(t.number(), internal(t), 1, -t.lastStep(), direction.toLoss(last)));
        }
      }
    }
    int finishedObs = obs.size();
    if (options.constantLiar()) {
      for (Trial t : active) {
        obs.add(new Obs(t.number(), internal(t), RUNNING_CLASS, 0, 0));
      }
    }
    observations = obs;
    ranked = null;
    nFinished = finished;
    nGood = Math.min(options.gamma(obs.size()), finishedObs);
    models.clear();
  }

  private double[] internal(Trial t) {
    double[] x = internalCache.get(t.number());
    if (x == null) {
      x = internal(t.params());
      internalCache.put(t.number(), x);
    }
    return x;
  }

  /**
   * MOTPE ranking: COMPLETE trials by non-dominated rank, then by crowding distance within the
   * rank (larger first); PRUNED ones after them (a pruned trial has no objective vector).
   */
  private int multiObjective(List<Trial> completed, List<Obs> obs) {
    List<Trial> complete = completed.stream()
        .filter(t -> t.state() == TrialState.COMPLETE && t.values().size() == directions.size() && !t.infeasible())
        .toList();
    double[][] losses = ParetoFront.losses(complete, directions);
    int[] rank = ParetoFront.ranks(losses);
    double[] crowding = new double[complete.size()];
    int maxRank = -1;
    for (int r : rank) {
      maxRank = Math.max(maxRank, r);
    }
    for (int r = 0; r <= maxRank; r++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < rank.length; i++) {
        if (rank[i] == r) {
          members.add(i);
        }
      }
      double[] cd = ParetoFront.crowdingDistance(losses, members);
      for (int m = 0; m < members.size(); m++) {
        crowding[members.get(m)] = cd[m];
      }
    }
    for (int i = 0; i < complete.size(); i++) {
      obs.add(new Obs(complete.get(i).number(), internal(complete.get(i)), 0, rank[i], -crowding[i]));
    }
    int finished = complete.size();
    for (Trial t : completed) {
      if (t.state() == TrialState.PRUNED) {
        obs.add(new Obs(t.number(), internal(t), 2, 0, 0));
        finished++;
      } else if (t.state() == TrialState.COMPLETE && t.infeasible()) {
        obs.add(new Obs(t.number(), internal(t), INFEASIBLE_CLASS, t.violation(), 0));
        finished++;
      }
    }
    return finished;
  }

  private double[] internal(Map<String, Object> params) {
    double[] x = new double[all.size()];
    Arrays.fill(x, Double.NaN);
    for (Map.Entry<String, Object> e : params.entrySet()) {
      Integer i = index.get(e.getKey());
      if (i != null && dims[i].distribution.contains(e.getValue())) {
        x[i] = dims[i].distribution.toInternal(e.getValue());
      }
    }
    return x;
  }

  @Override
  public List<Map<String, Object>> suggest(int count) {
    List<Map<String, Object>> out = new ArrayList<>(count);
    List<double[]> pending = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SplittableRandom rng = Seeds.forIndex(seed, known + i);
      Map<String, Object> params;
      if (nFinished < options.nStartupTrials()) {
        params = RandomSampler.sample(space, rng);
      } else {
        params = new LinkedHashMap<>();
        Map<Object, Model> cache = pending.isEmpty() ? models : new HashMap<>();
        sampleLevel(space, params, rng, cache, pending);
      }
      out.add(params);
      if (options.constantLiar()) {
        pending.add(internal(params));
      }
    }
    return out;
  }

  /** Samples the parameters of one space level, then the children their values activate. */
  private void sampleLevel(SearchSpace level, Map<String, Object> params, SplittableRandom rng,
      Map<Object, Model> cache, List<double[]> pending) {
    List<Parameter> ps = level.parameters();
    if (options.multivariate()) {
      sampleGroup(ps, params, rng, cache, pending);
    } else {
      for (Parameter p : ps) {
        sampleGroup(List.of(p), params, rng, cache, pending);
      }
    }
    for (Parameter p : ps) {
      SearchSpace child = p.childrenFor(params.get(p.name()));
      if (!child.isEmpty()) {
        sampleLevel(child, params, rng, cache, pending);
      }
    }
  }

  private void sampleGroup(List<Parameter> group, Map<String, Object> params, SplittableRandom rng,
      Map<Object, Model> cache, List<double[]> pending) {
    Model model = cache.computeIfAbsent(group.size() == 1 ? group.get(0).name() : group,
        key -> buildModel(group, pending));
    if (model == null) {
      for (Parameter p : group) {
        params.put(p.name(), RandomSampler.draw(p.distribution(), rng));
      }
      return;
    }
    double[] best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < options.nEiCandidates(); c++) {
      double[] x = model.good.sample(rng);
      double score = model.good.logPdf(x) - model.bad.logPdf(x);
      if (best == null || score > bestScore) {
        best = x;
        bestScore = score;
      }
    }
    for (int j = 0; j < group.size(); j++) {
      params.put(group.get(j).name(), model.dims[j].distribution.fromInternal(best[j]));
    }
  }

  private record Model(Dim[] dims, ParzenEstimator good, ParzenEstimator bad) {}

  /** Fits l and g for one group on the ranked trials where the group is active; null if there are none. */
  private Model buildModel(List<Parameter> group, List<double[]> pending) {
    int d = group.size();
    int[] cols = new int[d];
    Dim[] gd = new Dim[d];
    for (int j = 0; j < d; j++) {
      cols[j] = index.get(group.get(j).name());
      gd[j] = dims[cols[j]];
    }
    if (ranked == null) {
      ranked = new ArrayList<>(observations);
      ranked.sort(RANK);
    }
    if (pending.isEmpty() && allActive(cols[0])) {
      return flatModel(gd, cols);
    }
    List<Obs> rows = new ArrayList<>();
    int finishedRows = 0;
    for (Obs o : ranked) {
      if (!Double.isNaN(o.x()[cols[0]])) {
        rows.add(o);
        if (o.rankClass() < RUNNING_CLASS) {
          finishedRows++;
        }
      }
    }
    int extra = 0;
    for (double[] p : pending) {
      if (!Double.isNaN(p[cols[0]])) {
        rows.add(new Obs(Integer.MAX_VALUE - pending.size() + extra, p, RUNNING_CLASS, 0, 0));
        extra++;
      }
    }
    if (rows.isEmpty()) {
      return null;
    }
    int good = rows.size() == ranked.size() && pending.isEmpty()
        ? nGood : Math.min(options.gamma(rows.size()), finishedRows);
    List<Obs> goodObs = new ArrayList<>(rows.subList(0, good));
    List<Obs> badObs = new ArrayList<>(rows.subList(good, rows.size()));
    Comparator<Obs> byNumber = Comparator.comparingInt(Obs::number);
    goodObs.sort(byNumber);
    badObs.sort(byNumber);
    boolean multi = options.multivariate();
    return new Model(gd,
        new ParzenEstimator(gd, matrix(goodObs, cols), weights(goodObs.size()), options, multi),
        new ParzenEstimator(gd, matrix(badObs, cols), weights(badObs.size()), options, multi));
  }

  private boolean allActive(int col) {
    for (Obs o : observations) {
      if (Double.isNaN(o.x()[col])) {
        return false;
      }
    }
    return true;
  }

  /**
   * The common case (every trial has the group, no extra liars): the split is the global one and
   * rows go to l or g in trial-number order without sorting them again.
   */
  private Model flatModel(Dim[] gd, int[] cols) {
    java.util.Set<Obs> good = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    good.addAll(ranked.subList(0, nGood));
    List<Obs> byNumber = observations;
    if (!sortedByNumber(byNumber)) {
      byNumber = new ArrayList<>(observations);
      byNumber.sort(Comparator.comparingInt(Obs::number));
    }
    List<Obs> goodObs = new ArrayList<>(nGood);
    List<Obs> badObs = new ArrayList<>(byNumber.size() - nGood);
    for (Obs o : byNumber) {
      (good.contains(o) ? goodObs : badObs).add(o);
    }
    boolean multi = options.multivariate();
    return new Model(gd,
        new ParzenEstimator(gd, matrix(goodObs, cols), weights(goodObs.size()), options, multi),
        new ParzenEstimator(gd, matrix(badObs, cols), weights(badObs.size()), options, multi));
  }

  private static boolean sortedByNumber(List<Obs> obs) {
    for (int i = 1; i < obs.size(); i++) {
      if (obs.get(i - 1).number() > obs.get(i).number()) {
        return false;
      }
    }
    return true;
  }

  private static double[][] matrix(List<Obs> rows, int[] cols) {
    double[][] m = new double[rows.size()][cols.length];
    for (int i = 0; i < rows.size(); i++) {
      double[] x = rows.get(i).x();
      for (int j = 0; j < cols.length; j++) {
        m[i][j] = x[cols[j]];
      }
    }
    return m;
  }
}
