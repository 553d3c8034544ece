package dev.prepsweep.app.driver;

import dev.prepsweep.sweep.pruner.HyperbandPruner;
import dev.prepsweep.sweep.pruner.MedianPruner;
import dev.prepsweep.sweep.pruner.Pruner;
import dev.prepsweep.sweep.pruner.SuccessiveHalvingPruner;
import java.util.List;

/**
 * How far the next task of a trial trains. Without a pruner a trial is one task to its last epoch.
 * With successive halving (ASHA, or one Hyperband bracket) a task trains to the trial's next rung,
 * where the pruner decides; a promoted or resumed trial continues from its checkpoint in a new
 * task. With the median rule every epoch is a decision point, so a task trains one epoch.
 */
final class Segments {

  private Segments() {}

  /**
   * The epoch the next task of trial {@code number} trains to, given it has finished {@code done}
   * epochs of {@code total}.
   */
  static int nextTarget(Pruner pruner, int number, int done, int total) {
    if (pruner instanceof MedianPruner) {
      return Math.min(total, done + 1);
    }
    List<Integer> rungs = rungs(pruner, number);
    for (int rung : rungs) {
      if (rung > done && rung < total) {
        return rung;
      }
    }
    return total;
  }

  /** Whether trials of this pruner train in several tasks (and so need checkpoints). */
  static boolean segmented(Pruner pruner) {
    return pruner instanceof MedianPruner || pruner instanceof SuccessiveHalvingPruner || pruner instanceof HyperbandPruner;
  }

  private static List<Integer> rungs(Pruner pruner, int number) {
    if (pruner instanceof SuccessiveHalvingPruner sha) {
      return sha.rungs();
    }
    if (pruner instanceof HyperbandPruner hb) {
      return hb.brackets().get(hb.bracketOf(number)).rungs();
    }
    return List.of();
  }
}
