package dev.prepsweep.sweep.study;

/** Life cycle of a trial. Only RUNNING trials may change state. */
public enum TrialState {
  RUNNING,
  COMPLETE,
  PRUNED,
  FAILED;

  public boolean isFinished() {
    return this != RUNNING;
  }
}
