package dev.prepsweep.sweep.pruner;

import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A pruner that pauses rather than kills: a trial it STOPs at a rung ends PRUNED with its last step
 * at that rung, and may later earn promotion when more trials have reached the rung (asynchronous
 * successive halving). A driver that keeps checkpoints asks {@link #promotable} before starting a
 * new trial, resumes the returned trial ({@code Study.resumePaused}) and continues it from its
 * checkpoint towards the next rung.
 */
public interface PromotingPruner extends Pruner {

  /**
   * The paused trial that now deserves promotion, if any: one that is PRUNED with its last
   * reported step at a rung, and ranks among the top {@code floor(n / eta)} of the {@code n} trials
   * that reported at that rung. Higher rungs are served first; within a rung, the best value.
   * Pure: the same trials give the same answer.
   */
  Optional<Trial> promotable(List<Trial> trials, Direction direction);

  /**
   * The paused trial to train to the end when no trial will reach a rung again (the budget is spent
   * and nothing runs) and none has completed: the one paused at the highest step, the best value
   * there breaking ties, then the lowest number; empty when a trial completed or none is paused
   * with a value. Without it a small budget ends with every trial paused and no result, because a
   * rung's first {@code eta - 1} arrivals always pause here; Optuna's and Ray Tune's successive
   * halving let such a trial continue instead. Asked again after the finished trial pauses at its
   * next rung, it reaches the maximum resource in at most one step per rung. Pure.
   */
  default Optional<Trial> finishing(List<Trial> trials, Direction direction) {
    if (trials.stream().anyMatch(t -> t.state() == TrialState.COMPLETE)) {
      return Optional.empty();
    }
    Comparator<Trial> deepestThenBest = Comparator.<Trial>comparingInt(t -> -t.lastStep())
        .thenComparingDouble(t -> direction.toLoss(t.intermediate().get(t.lastStep())))
        .thenComparingInt(Trial::number);
    return trials.stream()
        .filter(t -> t.state() == TrialState.PRUNED && !t.intermediate().isEmpty())
        .filter(t -> !Double.isNaN(t.intermediate().get(t.lastStep())))
        .min(deepestThenBest);
  }
}
