package dev.prepsweep.sweep.spec;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Every default of the {@code sweep:} section, one constant (or group) per section, and nowhere
 * else: the parser (in the app's config package) takes each key it does not find from here, and
 * the {@link SweepSpec} constructors that leave parts out use the same constants, so an absent
 * part and an empty one ({@code serving: {}}) mean the same thing ({@code SweepDefaultsTest}).
 * Required, with no default: {@code method}, {@code metric}/{@code metrics}, {@code parameters},
 * {@code budget.trials}, and {@code max_resource} of {@code asha}/{@code hyperband}.
 */
public final class SweepDefaults {

  private SweepDefaults() {}

  // the top-level keys of sweep:
  /** {@code parallelism}: trials at once. */
  public static final int PARALLELISM = 1;
  /** {@code max_retries}: retries of a FAILED, TIMED_OUT or LOST attempt. */
  public static final int MAX_RETRIES = 0;
  /** {@code seed}: none, the job's top-level seed ({@link SweepSpec#seedOr}). */
  public static final OptionalLong SEED = OptionalLong.empty();
  /** {@code warm_start}: no earlier sweeps. */
  public static final List<String> WARM_START = List.of();

  /** {@code budget:} besides the required {@code trials}: no wall time, failure count or target. */
  public static final Optional<Duration> WALL_TIME = Optional.empty();
  public static final OptionalInt FAILURES = OptionalInt.empty();
  public static final OptionalDouble TARGET = OptionalDouble.empty();

  /** No {@code early_terminate} section: nothing stops early. */
  public static final EarlyTerminateSpec EARLY_TERMINATE = new EarlyTerminateSpec.None();
  /** {@code early_terminate: {type: median}}: {@code min_steps} and {@code startup_trials}. */
  public static final EarlyTerminateSpec.Median MEDIAN = new EarlyTerminateSpec.Median(1, 5);
  /** {@code early_terminate: {type: asha|hyperband}}: {@code min_resource} and {@code eta}. */
  public static final int MIN_RESOURCE = 1;
  public static final int ETA = 3;

  /**
   * {@code launcher}: one long-running task per trainer slot ({@code slots}): every sweep integration test passes on
   * it, and it wastes a third of {@code job}'s slot time per trial (docs/sweep-benchmark.md).
   */
  public static final SweepSpec.Launcher LAUNCHER = SweepSpec.Launcher.SLOTS;

  /** {@code trial_timeout} (none), {@code missed_heartbeats}, {@code retry_seed}, {@code driver_lease}, {@code launcher}. */
  public static final SweepSpec.Guards GUARDS =
      new SweepSpec.Guards(Optional.empty(), 30, SweepSpec.RetrySeed.SAME, Duration.ofSeconds(60), LAUNCHER);

  /** {@code constraints} (none), {@code select} (the best trial by the first metric) and {@code serving}. */
  public static final ObjectiveSpec OBJECTIVES = new ObjectiveSpec(List.of(), Optional.empty(), 64, 200, 20);
}
