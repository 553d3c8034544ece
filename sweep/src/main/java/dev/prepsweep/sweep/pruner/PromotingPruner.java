package dev.prepsweep.sweep.pruner;

import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Trial;
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
}
