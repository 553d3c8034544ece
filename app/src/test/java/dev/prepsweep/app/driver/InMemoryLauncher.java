package dev.prepsweep.app.driver;

import dev.prepsweep.training.EpochMetrics;
import dev.prepsweep.training.ServingCost;
import dev.prepsweep.training.TrialOutcome;
import dev.prepsweep.training.TrialSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
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

  /**
   * Trains to its target epoch, each epoch's val_accuracy given by {@code accuracy(epoch)}; its model's serving
   * cost is {@code serving} (null: none measured).
   */
  record Train(Function<Integer, Double> accuracy, ServingCost serving) implements Plan {
    Train(Function<Integer, Double> accuracy) {
      this(accuracy, null);
    }
  }

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
  /** Under cross-validation, the last epoch each fold trained ({@code "trial/fold"}): where its next task continues. */
  final Map<String, Integer> foldCheckpoints = new LinkedHashMap<>();

  /**
   * An attempt in flight: each task's plan (the attempt's one task, or one per fold: {@code plans} is asked per
   * task spec, which carries its fold), and who hears of each task that ends.
   */
  private record Running(TrialSpec spec, List<TrialSpec> tasks, List<Plan> plans, long launchedAt,
      CompletableFuture<Result> future, BiConsumer<TrialSpec, TrialOutcome> taskDone) {

    boolean hangs() {
      return plans.stream().anyMatch(p -> p instanceof Hang);
    }
  }

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
  public CompletableFuture<Result> launch(TrialSpec spec, List<TrialSpec> tasks,
      BiConsumer<TrialSpec, TrialOutcome> taskDone) {
    int target = AttemptSpecs.targetOf(spec);
    boolean folds = tasks.get(0).fold() >= 0;
    events.add("launch t" + spec.trialId() + "." + spec.attempt() + " ->" + target
        + (folds ? " folds " + tasks.stream().map(TrialSpec::fold).toList() : ""));
    launched.add(spec);
    CompletableFuture<Result> future = new CompletableFuture<>();
    running.put(spec, new Running(spec, tasks, tasks.stream().map(plans).toList(), clock.get(), future, taskDone));
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
    return Optional.of(new Heartbeat(r.launchedAt(), r.hangs() ? r.launchedAt() : clock.get()));
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
      if (!r.hangs()) {
        running.remove(r.spec());
        r.future().complete(end(r));
        return;
      }
    }
  }

  private Result end(Running r) {
    TrialSpec s = r.spec();
    long now = clock.get();
    if (r.tasks().size() == 1 && r.plans().get(0) instanceof Lose l) {
      return Result.failed(s, r.tasks(), "Spark job failed: cancelled", now, Optional.of(l.loss()));
    }
    // several tasks (folds): those that train finish and are reported; a lost one fails the rest of the attempt
    List<TrialOutcome> outcomes = new ArrayList<>();
    Optional<ExecutorLoss> lost = Optional.empty();
    for (int i = 0; i < r.tasks().size(); i++) {
      TrialSpec task = r.tasks().get(i);
      Plan plan = r.plans().get(i);
      if (plan instanceof Train t) {
        TrialOutcome o = train(r, task, t, now);
        outcomes.add(o);
        r.taskDone().accept(task, o);
      } else if (plan instanceof Fail f) {
        outcomes.add(new TrialOutcome(s.sweepId(), s.trialId(), s.attempt(), false, f.error(), List.of(), null,
            "exec-1", "host-a", null, "cpu", r.launchedAt(), now));
      } else if (plan instanceof Lose l) {
        lost = Optional.of(l.loss());
        outcomes.add(new TrialOutcome(s.sweepId(), s.trialId(), s.attempt(), false, "Spark job failed: cancelled",
            List.of(), null, null, null, null, null, now, now));
      } else {
        throw new IllegalStateException("a hanging attempt does not end");
      }
    }
    return new Result(s, r.tasks(), outcomes, lost);
  }

  /** A task that trains to its attempt's target from where its trial (or fold) last stopped, like a checkpoint. */
  private TrialOutcome train(Running r, TrialSpec task, Train t, long now) {
    TrialSpec s = r.spec();
    int target = AttemptSpecs.targetOf(s);
    String fold = s.trialId() + "/" + task.fold();
    int from = task.fold() >= 0 ? foldCheckpoints.getOrDefault(fold, 0) : checkpoints.getOrDefault(s.trialId(), 0);
    if (task.fold() >= 0) {
      foldCheckpoints.put(fold, target);
    } else {
      checkpoints.put(s.trialId(), target);
    }
    List<EpochMetrics> epochs = new ArrayList<>();
    for (int e = from + 1; e <= target; e++) {
      double acc = t.accuracy().apply(e);
      epochs.add(new EpochMetrics(e, 1 - acc, 1 - acc, acc, acc, 1.0, 100, acc, 0.01));
    }
    return new TrialOutcome(s.sweepId(), s.trialId(), s.attempt(), true, null, epochs, null, "exec-1", "host-a", null,
        "cpu", r.launchedAt(), now, null, from, t.serving());
  }

  @Override
  public void close() {}
}
