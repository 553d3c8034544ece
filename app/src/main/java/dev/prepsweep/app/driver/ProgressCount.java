package dev.prepsweep.app.driver;

import java.util.HashSet;
import java.util.Set;

/**
 * How many of a sweep's trials are done, counted so that the number shown never goes backwards
 * (pure). Under ASHA a paused trial counts as pruned and may be promoted later: it used to leave the
 * pruned count then, so the progress line went {@code 3/8 done} to {@code 2/8 done} (issue #17). A
 * promoted trial now stays counted until it settles again (complete, paused, failed), and a rerun of
 * a lost or failed attempt changes no count, so {@link #done} only grows.
 */
class ProgressCount {

  int complete;
  int failed;
  int pruned;
  /** Paused trials promoted and running again: done once already, so still counted. */
  private final Set<Integer> promoted = new HashSet<>();

  /** Trials with an outcome so far: complete, failed, pruned or paused, and promoted ones running again. */
  int done() {
    return complete + failed + pruned + promoted.size();
  }

  void complete(int trial) {
    promoted.remove(trial);
    complete++;
  }

  void failed(int trial) {
    promoted.remove(trial);
    failed++;
  }

  void pruned(int trial) {
    promoted.remove(trial);
    pruned++;
  }

  /** A paused trial runs again: it leaves the pruned count but stays done. */
  void promoted(int trial) {
    if (promoted.add(trial)) {
      pruned--;
    }
  }
}
