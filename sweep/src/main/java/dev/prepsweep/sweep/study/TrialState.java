package dev.prepsweep.sweep.study;

/**
 * Life cycle of a trial. Only RUNNING trials may change state. The last three end one attempt of a
 * trial (a row of the {@code trials} table), never a trial of the study: a trial whose attempt ended
 * so is run again or, when it may not be, told to the study as {@link #FAILED}.
 */
public enum TrialState {
  RUNNING,
  COMPLETE,
  PRUNED,
  FAILED,
  /** The attempt's executor or driver stopped reporting, or Spark lost its executor. */
  LOST,
  /** The attempt ran longer than {@code trial_timeout}. */
  TIMED_OUT,
  /** The sweep was cancelled while the attempt ran. */
  CANCELLED;

  public boolean isFinished() {
    return this != RUNNING;
  }

  /** The state a study records for a trial whose latest attempt ended in this state. */
  public TrialState forStudy() {
    return switch (this) {
      case RUNNING, COMPLETE, PRUNED, FAILED -> this;
      case LOST, TIMED_OUT, CANCELLED -> FAILED;
    };
  }
}
