package dev.prepsweep.sweep.pruner;

import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Trial;
import java.util.List;

/** Pure decision logic: should this trial, having just reported at its last step, go on? */
public interface Pruner {

  /**
   * Decides for {@code trial} given every trial of the study (including {@code trial} itself).
   * Must not change state: the same inputs give the same answer.
   */
  PruneDecision decide(Trial trial, List<Trial> trials, Direction direction);

  /** A pruner that never stops anything. */
  Pruner NONE = (trial, trials, direction) -> PruneDecision.CONTINUE;
}
