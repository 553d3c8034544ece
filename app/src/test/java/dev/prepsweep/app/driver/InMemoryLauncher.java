package dev.prepsweep.app.driver;

import dev.prepsweep.training.EpochMetrics;
import dev.prepsweep.training.TrialOutcome;
import dev.prepsweep.training.TrialSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * A deterministic {@link TrialLauncher} for the scheduler's unit tests: attempts "run" in memory and
 * end only when the scheduler waits ({@link #idle}), one per wait, in launch order or its reverse; each
 * wait moves the test clock on by one step, so timeouts and the wall-time budget follow the script.
 * Every launch is appended to the shared event log, as the scheduler's rows are by the test's records.
 */
final class InMemoryLauncher implements TrialLauncher {

  static final long STEP_MILLIS = 1_000;

  /** What an attempt does. */
  sealed interface Plan permits Train, Fail, Hang, Lose {}

  /** Trains to its target epoch, each epoch's val_accuracy given by {@code accuracy(epoch)}. */
  record Train(Function<Integer, Double> accuracy) implements Plan {}

  /** Fails with {@code error} after training nothing. */
  record Fail(String error) implements Plan {}

  /** Never ends and never reports progress, until cancelled. */
  record Hang() implements Plan {}

  /** Its executor dies under it; the job fails. */
  record Lose(ExecutorLoss loss) implements Plan {}

  private final AtomicLong clock;
  private final List<String> events;
  private final Function<TrialSpec, Plan> plans;
  private final boolean lastFirst;
  private IntSupplier capacity = () -> Integer.MAX_VALUE;
  private final Map<TrialSpec, Running> running = new LinkedHashMap<>();
  final List<TrialSpec> launched = new ArrayList<>();
  /** The last epoch each trial trained: where its next attempt continues. */
  final Map<Integer, Integer> checkpoints = new LinkedHashMap<>();

  private record Running(TrialSpec spec, List<TrialSpec> tasks, Plan plan, long launchedAt,
      CompletableFuture<Result> future) {}

  /**
   * @param lastFirst end the most recently launched attempt first (out-of-order completion), else the oldest
   */
  InMemoryLauncher(AtomicLong clock, List<String> events, Function<TrialSpec, Plan> plans, boolean lastFirst) {
    this.clock = clock;
    this.events = events;
    this.plans = plans;
    this.lastFirst = lastFirst;
  }

  InMemoryLauncher capacity(IntSupplier live) {
    this.capacity = live;
    return this;
  }

  @Override
  public CompletableFuture<Result> launch(TrialSpec spec, List<TrialSpec> tasks) {
    int target = AttemptSpecs.targetOf(spec);
    events.add("launch t" + spec.trialId() + "." + spec.attempt() + " ->" + target);
    launched.add(spec);
    CompletableFuture<Result> future = new CompletableFuture<>();
    running.put(spec, new Running(spec, tasks, plans.apply(spec), clock.get(), future));
    return future;
  }

  @Override
  public void cancel(TrialSpec attempt) {
    Running r = running.remove(attempt);
    if (r != null) {
      r.future().complete(Result.failed(r.spec(), r.tasks(), "Spark job failed: cancelled", clock.get(),
          Optional.empty()));
    }
  }

  @Override
  public int capacity() {
    return capacity.getAsInt();
  }

  @Override
  public Optional<Heartbeat> heartbeat(TrialSpec attempt) {
    Running r = running.get(attempt);
    if (r == null) {
      return Optional.empty();
    }
    // a hanging attempt never reports progress; the others report with every step
    return Optional.of(new Heartbeat(r.launchedAt(), r.plan() instanceof Hang ? r.launchedAt() : clock.get()));
  }

  /** One step of time; the next attempt that can end (not a hanging one) ends. */
  @Override
  public void idle() {
    clock.addAndGet(STEP_MILLIS);
    List<Running> ending = new ArrayList<>(running.values());
    if (lastFirst) {
      java.util.Collections.reverse(ending);
    }
    for (Running r : ending) {
      if (!(r.plan() instanceof Hang)) {
        running.remove(r.spec());
        r.future().complete(end(r));
        return;
      }
    }
  }

  private Result end(Running r) {
    TrialSpec s = r.spec();
    long now = clock.get();
    if (r.plan() instanceof Train t) {
      // like a checkpoint: a trial continues from the last epoch an attempt of it trained
      int from = checkpoints.getOrDefault(s.trialId(), 0);
      checkpoints.put(s.trialId(), AttemptSpecs.targetOf(s));
      List<EpochMetrics> epochs = new ArrayList<>();
      for (int e = from + 1; e <= AttemptSpecs.targetOf(s); e++) {
        double acc = t.accuracy().apply(e);
        epochs.add(new EpochMetrics(e, 1 - acc, 1 - acc, acc, acc, 1.0, 100, acc, 0.01));
      }
      return new Result(s, r.tasks(), List.of(new TrialOutcome(s.sweepId(), s.trialId(), s.attempt(), true, null,
          epochs, null, "exec-1", "host-a", null, "cpu", r.launchedAt(), now, null, from)), Optional.empty());
    }
    if (r.plan() instanceof Fail f) {
      return new Result(s, r.tasks(), List.of(new TrialOutcome(s.sweepId(), s.trialId(), s.attempt(), false,
          f.error(), List.of(), null, "exec-1", "host-a", null, "cpu", r.launchedAt(), now)), Optional.empty());
    }
    if (r.plan() instanceof Lose l) {
      return Result.failed(s, r.tasks(), "Spark job failed: cancelled", now, Optional.of(l.loss()));
    }
    throw new IllegalStateException("a hanging attempt does not end");
  }

  @Override
  public void close() {}
}
