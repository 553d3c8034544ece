package dev.prepsweep.sweep.spec;

import dev.prepsweep.sweep.pruner.Pruner;
import dev.prepsweep.sweep.sampler.SamplerMethod;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Direction;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The validated {@code sweep:} section of a job file (shape of W&amp;B sweeps and Katib experiments): a
 * plain record that checks its own invariants. The app's {@code SweepSpecParser} builds it from YAML;
 * the defaults live in {@link SweepDefaults}.
 *
 * <pre>{@code
 * sweep:
 *   method: random            # random | grid | sobol | tpe | gp | nsga2 | motpe
 *   metric: {name: val_accuracy, goal: maximize}   # or metrics: [{name, goal}, ...]
 *   parameters:
 *     lr: {distribution: log_uniform, min: 1.0e-4, max: 0.1}
 *     dropout: {distribution: uniform, min: 0.0, max: 0.5, step: 0.05}
 *     hidden: {distribution: int_uniform, min: 16, max: 256, log: true}
 *     batch_size: {values: [32, 64, 128]}
 *     optimizer: {values: [adam, sgd], parameters: {sgd: {momentum: {distribution: uniform, min: 0.0, max: 0.99}}}}
 *     epochs: {value: 5}
 *   early_terminate: {type: median, min_steps: 2}  # or asha / hyperband {min_resource, max_resource, eta}
 *   budget: {trials: 8, wall_time: 30m, failures: 3, target: 0.99}
 *   parallelism: 2
 *   max_retries: 1
 *   retry_seed: same          # or new: a retry trains with a seed derived from the trial's and the attempt
 *   trial_timeout: 20m        # an attempt running longer is cancelled (TIMED_OUT) and retried
 *   missed_heartbeats: 30     # an attempt reporting no progress for this many executor heartbeats is LOST
 *   driver_lease: 60s         # one driver per sweep: a driver silent this long loses the sweep to 'sweep resume'
 *   launcher: job             # or slots: how attempts reach executors (one Spark job each, or one long-running task per trainer slot)
 *   seed: 7
 * }</pre>
 *
 * @param method the sampler method
 * @param metrics the objectives, in order; more than one makes the sweep multi-objective
 * @param space the search space
 * @param earlyTerminate the pruner section ({@link SweepDefaults#EARLY_TERMINATE} when absent)
 * @param budget when the sweep stops
 * @param parallelism how many trials run at once (default {@value SweepDefaults#PARALLELISM})
 * @param maxRetries how often a FAILED trial's parameters are retried (default {@value SweepDefaults#MAX_RETRIES})
 * @param seed the sweep's seed; empty means the job's top-level seed ({@link #seedOr})
 * @param warmStart ids of earlier sweeps on the same space whose finished trials the sampler learns
 *     from before proposing (they neither count against the budget nor take trial numbers)
 * @param guards what ends hung attempts and keeps a second driver off the sweep
 * @param objectives constraints, the test-model selection rule and the serving measurement ({@link ObjectiveSpec})
 *
 * <p>Driver-side configuration: it is not serializable; send executors the {@code TrialSpec}s
 * built from it instead.
 */
public record SweepSpec(
    SamplerMethod method,
    List<Metric> metrics,
    SearchSpace space,
    EarlyTerminateSpec earlyTerminate,
    Budget budget,
    int parallelism,
    int maxRetries,
    OptionalLong seed,
    List<String> warmStart,
    Guards guards,
    ObjectiveSpec objectives) {

  /** A spec with no warm start. */
  public SweepSpec(SamplerMethod method, List<Metric> metrics, SearchSpace space, EarlyTerminateSpec earlyTerminate,
      Budget budget, int parallelism, int maxRetries, OptionalLong seed) {
    this(method, metrics, space, earlyTerminate, budget, parallelism, maxRetries, seed, SweepDefaults.WARM_START);
  }

  /** A spec with the default {@link Guards}. */
  public SweepSpec(SamplerMethod method, List<Metric> metrics, SearchSpace space, EarlyTerminateSpec earlyTerminate,
      Budget budget, int parallelism, int maxRetries, OptionalLong seed, List<String> warmStart) {
    this(method, metrics, space, earlyTerminate, budget, parallelism, maxRetries, seed, warmStart, SweepDefaults.GUARDS);
  }

  /** A spec with no constraints, the default selection and serving measurement. */
  public SweepSpec(SamplerMethod method, List<Metric> metrics, SearchSpace space, EarlyTerminateSpec earlyTerminate,
      Budget budget, int parallelism, int maxRetries, OptionalLong seed, List<String> warmStart, Guards guards) {
    this(method, metrics, space, earlyTerminate, budget, parallelism, maxRetries, seed, warmStart, guards,
        SweepDefaults.OBJECTIVES);
  }

  public SweepSpec {
    guards = guards == null ? SweepDefaults.GUARDS : guards;
    objectives = objectives == null ? SweepDefaults.OBJECTIVES : objectives;
    warmStart = warmStart == null ? SweepDefaults.WARM_START : List.copyOf(warmStart);
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(seed, "seed");
    metrics = List.copyOf(metrics);
    earlyTerminate = earlyTerminate == null ? SweepDefaults.EARLY_TERMINATE : earlyTerminate;
    if (metrics.isEmpty()) {
      throw new IllegalArgumentException("a sweep needs at least one metric");
    }
    if (new HashSet<>(metrics.stream().map(Metric::name).toList()).size() != metrics.size()) {
      throw new IllegalArgumentException("metric names must be distinct, got " + metrics);
    }
    if (parallelism < 1 || maxRetries < 0) {
      throw new IllegalArgumentException("parallelism must be >= 1 and max_retries >= 0, got parallelism="
          + parallelism + ", max_retries=" + maxRetries);
    }
    if (budget.target().isPresent() && metrics.size() != 1) {
      throw new IllegalArgumentException("a budget target needs a single metric, got " + metrics.size());
    }
  }

  /** One objective: the metric a trial reports and whether to make it small or large. */
  public record Metric(String name, Direction goal) implements Serializable {
    public Metric {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(goal, "goal");
      if (name.isBlank()) {
        throw new IllegalArgumentException("metric names must not be blank");
      }
    }
  }

  /**
   * When the sweep stops: after {@code trials} trials, or earlier once {@code wallTime} has passed,
   * {@code failures} trials have FAILED, or a COMPLETE trial's value reaches {@code target} (at least
   * as good, in the metric's direction).
   */
  public record Budget(int trials, Optional<Duration> wallTime, OptionalInt failures, OptionalDouble target) {
    public Budget {
      Objects.requireNonNull(wallTime, "wallTime");
      Objects.requireNonNull(failures, "failures");
      Objects.requireNonNull(target, "target");
      if (trials < 1) {
        throw new IllegalArgumentException("budget.trials must be >= 1, got " + trials);
      }
      if (wallTime.isPresent() && (wallTime.get().isZero() || wallTime.get().isNegative())) {
        throw new IllegalArgumentException("budget.wall_time must be positive, got " + wallTime.get());
      }
      if (failures.isPresent() && failures.getAsInt() < 1) {
        throw new IllegalArgumentException("budget.failures must be >= 1, got " + failures.getAsInt());
      }
    }

    /** Whether {@code value} of a COMPLETE trial reaches the target (false when there is none). */
    public boolean reachesTarget(double value, Direction goal) {
      return target.isPresent() && !goal.isBetter(target.getAsDouble(), value);
    }
  }

  /** Whether a retry trains with the trial's seed again or a new one. */
  public enum RetrySeed {
    /** The same seed: a retry repeats the attempt exactly (right for failures of the machine, not of the trial). */
    SAME,
    /** A seed derived from the trial's seed and the attempt number, so a deterministic failure is not replayed. */
    NEW
  }

  /**
   * What ends hung attempts and keeps a second driver off a sweep.
   *
   * @param trialTimeout the longest an attempt may run before it is cancelled as TIMED_OUT (empty: no limit)
   * @param missedHeartbeats how many executor heartbeats ({@code spark.executor.heartbeatInterval}) an
   *     attempt may go without reporting training progress before it is cancelled as LOST
   * @param retrySeed the seed of a retried attempt
   * @param driverLease how long a driver's lease on the sweep lasts without renewal (it renews every third of it)
   * @param launcher how attempts reach the executors
   */
  public record Guards(Optional<Duration> trialTimeout, int missedHeartbeats, RetrySeed retrySeed, Duration driverLease,
      Launcher launcher) {

    /** Guards with the default {@link Launcher}. */
    public Guards(Optional<Duration> trialTimeout, int missedHeartbeats, RetrySeed retrySeed, Duration driverLease) {
      this(trialTimeout, missedHeartbeats, retrySeed, driverLease, SweepDefaults.LAUNCHER);
    }

    public Guards {
      Objects.requireNonNull(launcher, "launcher");
      Objects.requireNonNull(trialTimeout, "trialTimeout");
      Objects.requireNonNull(retrySeed, "retrySeed");
      Objects.requireNonNull(driverLease, "driverLease");
      if (missedHeartbeats < 1) {
        throw new IllegalArgumentException("missed_heartbeats must be >= 1, got " + missedHeartbeats);
      }
      if (driverLease.compareTo(Duration.ofSeconds(3)) < 0) {
        throw new IllegalArgumentException("driver_lease must be at least 3s, got " + driverLease);
      }
    }
  }

  /**
   * {@code launcher}: how a sweep's attempts reach the executors. {@code slots}: one long-running Spark task per
   * trainer slot takes attempt after attempt from the driver over a connection (a trial switch is a message);
   * {@code job}: each attempt is a Spark job of its own (a trial switch is a job launch).
   */
  public enum Launcher {
    SLOTS, JOB;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One direction per metric, in order. */
  public List<Direction> directions() {
    return metrics.stream().map(Metric::goal).toList();
  }

  public boolean isMultiObjective() {
    return metrics.size() > 1;
  }

  /** The sweep's own seed, or {@code defaultSeed} (the job's top-level seed) when it has none. */
  public long seedOr(long defaultSeed) {
    return seed.orElse(defaultSeed);
  }

  /** The pruner of {@link #earlyTerminate()}, seeded with {@code seed}. */
  public Pruner pruner(long seed) {
    return earlyTerminate.toPruner(seed);
  }
}
