package dev.prepsweep.app.driver;

import dev.prepsweep.training.TrialOutcome;
import dev.prepsweep.training.TrialSpec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Where a sweep's attempts run: the {@link SweepScheduler} decides what to run and records what
 * happened; a launcher only starts attempts, reports their outcomes (in any order), cancels them and
 * says how many may be in flight. {@link SparkTrialLauncher} runs each attempt as one Spark job; tests
 * use an in-memory one.
 */
interface TrialLauncher extends AutoCloseable {

  /**
   * Starts one attempt: {@code tasks} are its task specs (one, or one per fold under cross-validation).
   * The future completes with the tasks' outcomes, also when the attempt failed or was cancelled; it
   * completes exceptionally only when the launcher itself broke. {@code taskDone} is called with each task's
   * outcome as that task ends (before the attempt's future completes), so the outcome of a fold that finished is
   * kept when the attempt as a whole fails later.
   */
  CompletableFuture<Result> launch(TrialSpec attempt, List<TrialSpec> tasks,
      BiConsumer<TrialSpec, TrialOutcome> taskDone);

  /** As {@link #launch(TrialSpec, List, BiConsumer)}, for a caller that needs only the attempt's outcome. */
  default CompletableFuture<Result> launch(TrialSpec attempt, List<TrialSpec> tasks) {
    return launch(attempt, tasks, (task, outcome) -> { });
  }

  /** Stops a running attempt; its future then completes with a failed outcome. */
  void cancel(TrialSpec attempt);

  /**
   * How many attempts may be in flight now: the live capacity of the cluster for trials (which may grow
   * and shrink while the sweep runs), 0 while there is none yet. The scheduler never exceeds it, nor
   * the sweep's {@code parallelism}.
   */
  int capacity();

  /** How many attempts beyond the running ones may wait in the launcher's own queue (0 if it has none). */
  default int lookahead() {
    return 0;
  }

  /** When the attempt's task started and last reported progress, once it started (for the hang rule). */
  Optional<Heartbeat> heartbeat(TrialSpec attempt);

  /**
   * Called when the scheduler has launched all it may and is about to wait for an outcome; a launcher
   * that completes attempts on its own threads has nothing to do here.
   */
  default void idle() {}

  /**
   * Called once the scheduler will launch nothing more (before the sweep's last writes); a launcher that holds
   * executor slots between attempts gives them up here.
   */
  default void finished() {}

  @Override
  void close();

  /**
   * What an attempt's tasks returned ({@code outcomes} in the order of {@code tasks}, or one outcome
   * standing for all when the attempt as a whole failed) and the executor loss that ended it, if one did.
   */
  record Result(TrialSpec spec, List<TrialSpec> tasks, List<TrialOutcome> outcomes, Optional<ExecutorLoss> lost) {

    /** The result of an attempt that failed as a whole (cancelled, launcher error), with {@code error} as its reason. */
    static Result failed(TrialSpec spec, List<TrialSpec> tasks, String error, long atMillis,
        Optional<ExecutorLoss> lost) {
      return new Result(spec, tasks, List.of(new TrialOutcome(spec.sweepId(), spec.trialId(), spec.attempt(), false,
          error, List.of(), null, null, null, null, null, atMillis, atMillis)), lost);
    }
  }

  /** When an attempt's task launched and last reported training progress (epoch milliseconds). */
  record Heartbeat(long launchedAtMillis, long lastProgressAtMillis) {}
}
