package dev.prepsweep.sweep.pruner;

import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import java.util.List;

/**
 * Median stopping rule (Optuna's {@code MedianPruner}, Katib's median stop). When a trial reports
 * at step {@code s}, it is stopped if its best intermediate value so far is strictly worse than the
 * median of the values other COMPLETE trials reported at exactly step {@code s}. Nothing is stopped
 * until {@code startupTrials} trials are COMPLETE, nor before the trial has reported
 * {@code minSteps} intermediate values, nor at a step no completed trial reported. A NaN best
 * value stops the trial. Decisions are CONTINUE or STOP, never PROMOTE.
 */
public final class MedianPruner implements Pruner {

  private final int minSteps;
  private final int startupTrials;

  /** @throws IllegalArgumentException when either argument is negative */
  public MedianPruner(int minSteps, int startupTrials) {
    if (minSteps < 0 || startupTrials < 0) {
      throw new IllegalArgumentException("median pruner needs min_steps >= 0 and startup_trials >= 0, got min_steps="
          + minSteps + ", startup_trials=" + startupTrials);
    }
    this.minSteps = minSteps;
    this.startupTrials = startupTrials;
  }

  @Override
  public PruneDecision decide(Trial trial, List<Trial> trials, Direction direction) {
    int step = trial.lastStep();
    if (step < 0 || trial.intermediate().size() < minSteps) {
      return PruneDecision.CONTINUE;
    }
    List<Trial> complete = trials.stream()
        .filter(t -> t.state() == TrialState.COMPLETE && t.number() != trial.number())
        .toList();
    if (complete.size() < startupTrials) {
      return PruneDecision.CONTINUE;
    }
    double[] atStep = complete.stream()
        .filter(t -> t.intermediate().containsKey(step))
        .mapToDouble(t -> t.intermediate().get(step))
        .filter(v -> !Double.isNaN(v))
        .sorted()
        .toArray();
    if (atStep.length == 0) {
      return PruneDecision.CONTINUE;
    }
    double best = trial.intermediate().values().stream()
        .reduce((a, b) -> Double.isNaN(a) || direction.isBetter(b, a) ? b : a)
        .orElseThrow();
    if (Double.isNaN(best)) {
      return PruneDecision.STOP;
    }
    return direction.isBetter(median(atStep), best) ? PruneDecision.STOP : PruneDecision.CONTINUE;
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  @Override
  public String toString() {
    return "MedianPruner[minSteps=" + minSteps + ", startupTrials=" + startupTrials + "]";
  }
}
