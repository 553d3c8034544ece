package dev.prepsweep.sweep.study;

import dev.prepsweep.sweep.pruner.PruneDecision;
import dev.prepsweep.sweep.pruner.Pruner;
import dev.prepsweep.sweep.sampler.Sampler;
import dev.prepsweep.sweep.space.SearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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

  public Study(SearchSpace space, List<Direction> directions, Sampler sampler, Pruner pruner) {
    if (directions.isEmpty()) {
      throw new IllegalArgumentException("a study needs at least one direction");
    }
    this.space = space;
    this.directions = List.copyOf(directions);
    this.sampler = sampler;
    this.pruner = pruner == null ? Pruner.NONE : pruner;
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

  /** Proposes one new trial and records it as RUNNING. */
  public Trial ask() {
    Map<String, Object> params = sampler.suggest(1).get(0);
    space.validate(params);
    Trial trial = Trial.running(nextNumber(), params);
    trials.add(trial);
    refreshSampler();
    return trial;
  }

  /** Records a single-objective result. */
  public Trial tell(int number, double value) {
    return tell(number, List.of(value));
  }

  /** Records a COMPLETE result with one value per direction. */
  public Trial tell(int number, List<Double> values) {
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
    return replace(running(number).complete(values));
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

  public List<Trial> trials() {
    return List.copyOf(trials);
  }

  public SearchSpace space() {
    return space;
  }

  public List<Direction> directions() {
    return directions;
  }

  /** The best COMPLETE trial of a single-objective study. */
  public Optional<Trial> best() {
    Direction d = directions.get(0);
    return trials.stream()
        .filter(t -> t.state() == TrialState.COMPLETE)
        .reduce((a, b) -> d.isBetter(b.value(), a.value()) ? b : a);
  }

  private int nextNumber() {
    return trials.stream().mapToInt(Trial::number).max().orElse(-1) + 1;
  }

  private Trial running(int number) {
    Trial t = trials.stream().filter(x -> x.number() == number).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no trial number " + number + " in this study"));
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

  private void refreshSampler() {
    List<Trial> done = trials.stream().filter(t -> t.state().isFinished()).toList();
    List<Trial> active = trials.stream().filter(t -> !t.state().isFinished()).toList();
    sampler.update(done, active);
  }
}
