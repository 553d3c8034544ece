package dev.prepsweep.app.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.sweep.study.TrialState;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When an attempt counts as hung, and the seeds of retries; no Spark. */
class HangRuleTest {

  private static final HangRule RULE = new HangRule(Optional.of(Duration.ofSeconds(30)), 3, 2_000);

  @Test
  void anAttemptRunsOnWhileItBeatsAndIsWithinItsTimeout() {
    assertThat(RULE.check(1_000, 25_000, 30_000)).isNull();
    assertThat(RULE.check(0, 0, 999_999)).as("queued, not launched: no clock runs").isNull();
  }

  @Test
  void anAttemptLongerThanTrialTimeoutIsTimedOut() {
    HangRule.Verdict v = RULE.check(1_000, 31_000, 31_500);
    assertThat(v.state()).isEqualTo(TrialState.TIMED_OUT);
    assertThat(v.reason()).isEqualTo("the attempt ran 30.5 s, longer than trial_timeout (30 s); its Spark job was cancelled");
  }

  @Test
  void anAttemptSilentForMissedHeartbeatsIsLost() {
    assertThat(RULE.check(1_000, 10_000, 16_000)).as("6 s silent = 3 heartbeats: not yet").isNull();
    HangRule.Verdict v = RULE.check(1_000, 10_000, 16_100);
    assertThat(v.state()).isEqualTo(TrialState.LOST);
    assertThat(v.reason()).startsWith("no heartbeat from the attempt's task for 6.1 s (3 missed at 2.0 s, missed_heartbeats)");
    assertThat(new HangRule(Optional.empty(), 3, 2_000).check(1_000, 999_000, 1_000_000))
        .as("no trial_timeout: a long attempt that beats goes on").isNull();
  }

  @Test
  void retrySeedNewGivesEachRetryItsOwnReproducibleSeed() {
    long trial = 42L;
    assertThat(AttemptSpecs.retrySeed(trial, 1, SweepSpec.RetrySeed.NEW)).as("first attempt: the trial seed").isEqualTo(trial);
    assertThat(AttemptSpecs.retrySeed(trial, 2, SweepSpec.RetrySeed.SAME)).isEqualTo(trial);
    long second = AttemptSpecs.retrySeed(trial, 2, SweepSpec.RetrySeed.NEW);
    long third = AttemptSpecs.retrySeed(trial, 3, SweepSpec.RetrySeed.NEW);
    assertThat(second).isNotEqualTo(trial).isNotEqualTo(third).isEqualTo(AttemptSpecs.retrySeed(trial, 2, SweepSpec.RetrySeed.NEW));
  }
}
