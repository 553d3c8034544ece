package dev.prepsweep.sweep.pruner;

/** What a pruner or scheduler says of a trial that just reported an intermediate value. */
public enum PruneDecision {
  /** Keep training. */
  CONTINUE,
  /** Stop now; the trial ends PRUNED. */
  STOP,
  /** The trial reached the end of its rung and earned the next one (successive halving). */
  PROMOTE
}
