package dev.prepsweep.app.driver;

import dev.prepsweep.training.EpochMetrics;
import dev.prepsweep.training.ServingCost;
import dev.prepsweep.training.TrialOutcome;
import dev.prepsweep.training.TrialSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The driver's side of cross-validated trials: the fold tasks each attempt launches (one Spark job with a
 * task per fold, so folds train in parallel where slots allow) and the merge of their outcomes into one
 * trial outcome whose epochs are the fold averages, which the sampler, the pruner and the {@code trials}
 * row see. Planning lives in {@link FoldRounds}; this class keeps one per trial. A sweep without
 * cross-validation has {@code folds = 0} and passes specs and outcomes through unchanged.
 */
final class FoldTrials {

  private final int folds;
  private final Map<Integer, FoldRounds> rounds = new HashMap<>();
  /** A fold's kept best model per trial (fold 0's when it has one): what the test split is scored with. */
  private final Map<Integer, String> modelUris = new HashMap<>();
  /**
   * A fold's measured serving cost per trial (fold 0's when it has one: the model that is served): the folds' models
   * share the architecture, and the trial's latency objectives and constraints need one.
   */
  private final Map<Integer, ServingCost> servings = new HashMap<>();

  FoldTrials(int folds) {
    this.folds = folds;
  }

  boolean enabled() {
    return folds > 0;
  }

  int folds() {
    return folds;
  }

  private FoldRounds of(int trial) {
    return rounds.computeIfAbsent(trial, t -> new FoldRounds(folds));
  }

  /** The task specs of an attempt of {@code spec} (which trains to epoch {@code target}): one per fold still needed. */
  List<TrialSpec> tasks(TrialSpec spec, int target) {
    if (!enabled()) {
      return List.of(spec);
    }
    List<Integer> launch = of(spec.trialId()).toLaunch(target);
    if (launch.isEmpty()) {
      // not expected (a trial whose folds are all done is not launched again): every fold, from its checkpoint
      launch = java.util.stream.IntStream.range(0, folds).boxed().toList();
    }
    return launch.stream().map(f -> spec.forFold(f, folds)).toList();
  }

  /**
   * Records the fold tasks' outcomes of an attempt training to {@code target} ({@code outcomes} in the order of
   * {@code launched}, as one Spark job's {@code collect} returns its tasks' results) and returns the trial's outcome:
   * complete when every fold reached the target (or stopped early), its epochs the fold averages, its error
   * naming each failed fold.
   */
  TrialOutcome merge(TrialSpec spec, List<TrialSpec> launched, List<TrialOutcome> outcomes, int target) {
    if (!enabled()) {
      return outcomes.get(0);
    }
    if (outcomes.size() != launched.size()) {
      // the Spark job itself failed (cancelled, lost tasks): one outcome stands for every launched fold
      TrialOutcome failed = outcomes.get(0);
      outcomes = launched.stream().map(f -> failed).toList();
    }
    FoldRounds r = of(spec.trialId());
    long started = Long.MAX_VALUE;
    long ended = 0;
    int resumed = Integer.MAX_VALUE;
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      TrialOutcome o = outcomes.get(i);
      int fold = launched.get(i).fold();
      r.record(fold, o.epochs(), o.complete(), target, spec.attempt());
      if (!o.complete()) {
        errors.add("fold " + fold + ": " + o.error());
      }
      if (o.modelUri() != null && (fold == 0 || !modelUris.containsKey(spec.trialId()))) {
        modelUris.put(spec.trialId(), o.modelUri());
      }
      if (o.serving() != null && (fold == 0 || !servings.containsKey(spec.trialId()))) {
        servings.put(spec.trialId(), o.serving());
      }
      started = Math.min(started, o.startedAtMillis());
      ended = Math.max(ended, o.endedAtMillis());
      resumed = Math.min(resumed, o.resumedFromEpoch());
    }
    if (!modelUris.containsKey(spec.trialId()) && r.done(0, target)) {
      // fold 0 finished under an earlier attempt or driver and was not launched again: its kept model is where it
      // always is (CheckpointStore's best/ under the fold's artifact location)
      String fold0 = spec.forFold(0, folds).trialArtifactUri();
      if (fold0 != null) {
        modelUris.put(spec.trialId(), fold0 + "/best");
      }
    }
    boolean complete = errors.isEmpty() && r.complete(target);
    String error = errors.isEmpty() ? (complete ? null : "folds " + r.toLaunch(target) + " did not reach epoch " + target)
        : String.join("; ", errors);
    TrialOutcome first = outcomes.get(0);
    String executors = outcomes.stream().map(TrialOutcome::executorId).filter(e -> e != null).distinct()
        .collect(Collectors.joining(","));
    List<EpochMetrics> averaged = r.averaged();
    return new TrialOutcome(spec.sweepId(), spec.trialId(), spec.attempt(), complete, error, averaged, null,
        executors.isEmpty() ? null : executors, first.host(), first.gpuAddress(), first.device(),
        started == Long.MAX_VALUE ? ended : started, ended, modelUris.get(spec.trialId()),
        resumed == Integer.MAX_VALUE ? 0 : resumed, complete ? servings.get(spec.trialId()) : null);
  }

  /**
   * Records what one fold task of {@code attempt} returned while the attempt's other folds still run, so a fold that
   * finished is not launched again when the attempt ends otherwise (an executor lost, a hang, the driver gone).
   */
  void recordTask(TrialSpec attempt, TrialSpec task, TrialOutcome outcome) {
    if (enabled() && task.fold() >= 0) {
      of(attempt.trialId()).record(task.fold(), outcome.epochs(), outcome.complete(), AttemptSpecs.targetOf(attempt),
          attempt.attempt());
    }
  }

  /** Takes over each fold's epochs of {@code trial} that an earlier driver recorded (sweep resume). */
  void restore(int trial, List<List<EpochMetrics>> byFold) {
    if (enabled() && !byFold.isEmpty()) {
      of(trial).restore(byFold);
    }
  }

  /** Each fold's epochs of {@code trial} that {@code attempt} recorded first: what its row writes (empty without). */
  List<List<EpochMetrics>> recordedBy(int trial, int attempt) {
    FoldRounds r = rounds.get(trial);
    return !enabled() || r == null ? List.of() : r.recordedBy(attempt);
  }

  /** Each fold's epochs of {@code trial} (empty without cross-validation). */
  List<List<EpochMetrics>> byFold(int trial) {
    FoldRounds r = rounds.get(trial);
    return !enabled() || r == null ? List.of() : r.byFold();
  }
}
