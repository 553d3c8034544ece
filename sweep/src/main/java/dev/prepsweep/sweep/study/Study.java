package dev.prepsweep.sweep.study;

import dev.prepsweep.sweep.pruner.PruneDecision;
import dev.prepsweep.sweep.pruner.PromotingPruner;
import dev.prepsweep.sweep.pruner.Pruner;
import dev.prepsweep.sweep.sampler.Sampler;
import dev.prepsweep.sweep.sampler.SamplerFactory;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.sweep.space.SearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Ask/tell over one search space (Optuna's {@code Study} shape). The study owns the trial list;
 * samplers and pruners only read it. Its whole state is the trial list, so {@link #resume}
 * rebuilds a study from stored trials (e.g. a {@code trials} Delta table) and it proposes what the
 * original would have. Not thread-safe: one driver thread asks and tells.
 */
public final class Study {

  private final SearchSpace space;
  private final List<Direction> directions;
  private final Sampler sampler;
  private final Pruner pruner;
  private final List<Trial> trials = new ArrayList<>();
  private final List<Trial> priors = new ArrayList<>();

  /** A new, empty study; a null {@code pruner} means {@link Pruner#NONE}. */
  public Study(SearchSpace space, List<Direction> directions, Sampler sampler, Pruner pruner) {
    java.util.Objects.requireNonNull(space, "space");
    java.util.Objects.requireNonNull(sampler, "sampler");
    if (directions.isEmpty()) {
      throw new IllegalArgumentException("a study needs at least one direction");
    }
    this.space = space;
    this.directions = List.copyOf(directions);
    this.sampler = sampler;
    this.pruner = pruner == null ? Pruner.NONE : pruner;
  }

  /**
   * A new study for a parsed sweep spec: its sampler ({@link SamplerFactory#create}), directions and
   * pruner, seeded with the spec's seed or, when it has none, {@code defaultSeed} (the job's seed).
   *
   * @throws IllegalArgumentException when the spec's method has no sampler in this build
   */
  public static Study fromSpec(SweepSpec spec, long defaultSeed) {
    long seed = spec.seedOr(defaultSeed);
    return new Study(spec.space(), spec.directions(),
        SamplerFactory.create(spec.method(), spec.space(), spec.directions(), seed), spec.pruner(seed));
  }

  /**
   * {@link #resume} for a parsed sweep spec, seeded as {@link #fromSpec} seeds it.
   */
  public static Study resumeFromSpec(SweepSpec spec, long defaultSeed, List<Trial> history) {
    long seed = spec.seedOr(defaultSeed);
    return resume(spec.space(), spec.directions(),
        SamplerFactory.create(spec.method(), spec.space(), spec.directions(), seed), spec.pruner(seed), history);
  }

  /**
   * Rebuilds a study from stored trials. Trials still RUNNING in {@code history} (orphans of a
   * crashed driver) are kept as FAILED so their numbers are never reused; the caller re-asks for
   * replacements.
   */
  public static Study resume(SearchSpace space, List<Direction> directions, Sampler sampler, Pruner pruner,
      List<Trial> history) {
    Study study = new Study(space, directions, sampler, pruner);
    history.stream()
        .sorted(Comparator.comparingInt(Trial::number))
        .map(t -> t.state() == TrialState.RUNNING ? t.withState(TrialState.FAILED) : t)
        .forEach(study.trials::add);
    study.refreshSampler();
    return study;
  }

  /**
   * Rebuilds a study from stored trials, keeping trials that were RUNNING when their driver died
   * as RUNNING: the caller runs them again (as a new attempt of the same number) and tells their
   * results, so the resumed sweep neither loses nor repeats a trial number.
   */
  public static Study resumeKeepingRunning(SweepSpec spec, long defaultSeed, List<Trial> history) {
    long seed = spec.seedOr(defaultSeed);
    Study study = new Study(spec.space(), spec.directions(),
        SamplerFactory.create(spec.method(), spec.space(), spec.directions(), seed), spec.pruner(seed));
    history.stream().sorted(Comparator.comparingInt(Trial::number)).forEach(study.trials::add);
    study.refreshSampler();
    return study;
  }

  /**
   * Proposes one new trial and records it as RUNNING.
   *
   * @throws NoSuchElementException when the sampler has nothing left to propose (a grid that every
   *     known trial already covers); {@link #ask(int)} returns an empty list instead
   * @throws dev.prepsweep.sweep.space.InvalidSearchSpaceException when the sampler proposed
   *     parameters outside the space (a sampler bug)
   */
  public Trial ask() {
    List<Trial> asked = ask(1);
    if (asked.isEmpty()) {
      throw new NoSuchElementException("the sampler has no new parameters to propose after "
          + trials.size() + " trials (a grid search covers its whole grid); end the sweep");
    }
    return asked.get(0);
  }

  /**
   * Proposes up to {@code n} new trials at once (for filling {@code n} free slots) and records them
   * as RUNNING. Returns fewer, possibly none, when the sampler runs out (grid search).
   */
  public List<Trial> ask(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("cannot ask for " + n + " trials");
    }
    List<Map<String, Object>> proposals = n == 0 ? List.of() : sampler.suggest(n);
    if (proposals.size() > n) {
      throw new IllegalStateException("the sampler proposed " + proposals.size() + " parameter sets, asked for " + n);
    }
    proposals.forEach(space::validate); // all or nothing: a bad proposal records no trial
    List<Trial> out = new ArrayList<>();
    for (Map<String, Object> params : proposals) {
      Trial trial = Trial.running(nextNumber(), params);
      trials.add(trial);
      out.add(trial);
    }
    if (!out.isEmpty()) {
      refreshSampler();
    }
    return out;
  }

  /** Records a single-objective result. */
  public Trial tell(int number, double value) {
    return tell(number, List.of(value));
  }

  /** Records a COMPLETE result with one value per direction. */
  public Trial tell(int number, List<Double> values) {
    return tell(number, values, Double.NaN);
  }

  /**
   * Records a COMPLETE result with one value per direction and how far it misses the sweep's
   * constraints ({@code violation}: 0 feasible, above 0 infeasible, NaN no constraints).
   */
  public Trial tell(int number, List<Double> values, double violation) {
    if (values.size() != directions.size()) {
      throw new IllegalArgumentException("trial " + number + ": expected " + directions.size()
          + " objective values, got " + values.size());
    }
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("trial " + number + ": objective value " + v
            + " is not finite; tell it as FAILED with the reason instead");
      }
    }
    return replace(running(number).complete(values, violation));
  }

  /** Ends a trial as PRUNED or FAILED. */
  public Trial tell(int number, TrialState state) {
    if (state == TrialState.COMPLETE || state == TrialState.RUNNING) {
      throw new IllegalArgumentException("trial " + number + ": a " + state + " trial needs values; use tell(number, values)");
    }
    return replace(running(number).withState(state));
  }

  /** Records an intermediate value and asks the pruner whether to go on. */
  public PruneDecision report(int number, int step, double value) {
    Trial updated = replace(running(number).withIntermediate(step, value));
    return pruner.decide(updated, List.copyOf(trials), directions.get(0));
  }

  /**
   * The paused trial (one the pruner stopped at a rung) that has since earned promotion, if the
   * pruner pauses trials ({@link PromotingPruner}, i.e. ASHA or Hyperband) and one qualifies. The
   * driver resumes it with {@link #resumePaused} and continues it from its checkpoint instead of
   * asking for a new trial.
   */
  public Optional<Trial> promotable() {
    return pruner instanceof PromotingPruner p ? p.promotable(List.copyOf(trials), directions.get(0)) : Optional.empty();
  }

  /**
   * The paused trial to train to the end once the budget is spent, nothing runs and no trial
   * completed ({@link PromotingPruner#finishing}); empty for other pruners.
   */
  public Optional<Trial> finishing() {
    return pruner instanceof PromotingPruner p ? p.finishing(List.copyOf(trials), directions.get(0)) : Optional.empty();
  }

  /**
   * Sets a PRUNED (paused) trial RUNNING again, keeping its number, parameters and intermediate
   * values, so it can continue from its checkpoint.
   *
   * @throws IllegalStateException when the trial is not PRUNED
   */
  public Trial resumePaused(int number) {
    Trial t = find(number);
    if (t.state() != TrialState.PRUNED) {
      throw new IllegalStateException("trial " + number + " is " + t.state() + "; only a PRUNED (paused) trial can be resumed");
    }
    return replace(t.withState(TrialState.RUNNING));
  }

  /** One trial by number. @throws IllegalArgumentException when there is none */
  public Trial trial(int number) {
    return find(number);
  }

  public List<Trial> trials() {
    return List.copyOf(trials);
  }

  public SearchSpace space() {
    return space;
  }

  public List<Direction> directions() {
    return directions;
  }

  /** The best feasible COMPLETE trial of a single-objective study. */
  public Optional<Trial> best() {
    Direction d = directions.get(0);
    return trials.stream()
        .filter(t -> t.state() == TrialState.COMPLETE && !t.infeasible())
        .reduce((a, b) -> d.isBetter(b.value(), a.value()) ? b : a);
  }

  private int nextNumber() {
    return trials.stream().mapToInt(Trial::number).max().orElse(-1) + 1;
  }

  private Trial find(int number) {
    return trials.stream().filter(x -> x.number() == number).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no trial number " + number + " in this study"));
  }

  private Trial running(int number) {
    Trial t = find(number);
    if (t.state() != TrialState.RUNNING) {
      throw new IllegalStateException("trial " + number + " is already " + t.state());
    }
    return t;
  }

  private Trial replace(Trial updated) {
    for (int i = 0; i < trials.size(); i++) {
      if (trials.get(i).number() == updated.number()) {
        trials.set(i, updated);
      }
    }
    refreshSampler();
    return updated;
  }

  /**
   * Warm start: finished trials of earlier studies over the same space that the sampler learns from
   * as if they were this study's. They take no trial numbers, do not count as this study's trials
   * and never become its best. Trials whose parameters do not fit this space are ignored.
   *
   * @return the number of prior trials kept
   */
  public int addPriors(List<Trial> earlier) {
    int kept = 0;
    for (Trial t : earlier) {
      if (t.state() != TrialState.COMPLETE || t.values().size() != directions.size()) {
        continue;
      }
      try {
        space.validate(t.params());
      } catch (IllegalArgumentException e) {
        continue;
      }
      priors.add(t);
      kept++;
    }
    refreshSampler();
    return kept;
  }

  private void refreshSampler() {
    List<Trial> done = new ArrayList<>(priors);
    trials.stream().filter(t -> t.state().isFinished()).forEach(done::add);
    List<Trial> active = trials.stream().filter(t -> !t.state().isFinished()).toList();
    sampler.update(done, active);
  }
}
