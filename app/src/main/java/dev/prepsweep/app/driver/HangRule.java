package dev.prepsweep.app.driver;

import dev.prepsweep.sweep.study.TrialState;
import java.time.Duration;
import java.util.Optional;

/**
 * When a running attempt counts as hung (pure: times in, verdict out). An attempt whose task has run
 * longer than {@code trial_timeout} is TIMED_OUT; one whose task reported no training progress for
 * {@code missed_heartbeats} executor heartbeats is LOST (a stuck call, a wedged executor). Time spent
 * waiting for a slot in Spark's queue counts for neither: both run from the task's launch.
 *
 * @param trialTimeout the longest an attempt's task may run, if limited
 * @param silenceMillis the longest an attempt's task may go without reporting progress
 * @param heartbeatMillis Spark's executor heartbeat interval, which carries the progress reports
 */
record HangRule(Optional<Duration> trialTimeout, long silenceMillis, long heartbeatMillis) {

  HangRule(Optional<Duration> trialTimeout, int missedHeartbeats, long heartbeatMillis) {
    this(trialTimeout, missedHeartbeats * heartbeatMillis, heartbeatMillis);
  }

  /** The state and reason an attempt ends with, or null while it may go on. */
  Verdict check(long launchedAtMillis, long lastProgressAtMillis, long nowMillis) {
    if (launchedAtMillis <= 0) {
      return null;
    }
    long ran = nowMillis - launchedAtMillis;
    if (trialTimeout.isPresent() && ran > trialTimeout.get().toMillis()) {
      return new Verdict(TrialState.TIMED_OUT, "the attempt ran " + seconds(ran) + " s, longer than trial_timeout ("
          + trialTimeout.get().toSeconds() + " s); its Spark job was cancelled");
    }
    long silent = nowMillis - Math.max(launchedAtMillis, lastProgressAtMillis);
    if (silent > silenceMillis) {
      return new Verdict(TrialState.LOST, "no heartbeat from the attempt's task for " + seconds(silent) + " s ("
          + silenceMillis / heartbeatMillis + " missed at " + seconds(heartbeatMillis)
          + " s, missed_heartbeats): it hung or its executor stopped reporting; its Spark job was cancelled");
    }
    return null;
  }

  private static String seconds(long millis) {
    return String.valueOf(Math.round(millis / 100.0) / 10.0);
  }

  record Verdict(TrialState state, String reason) {}
}
