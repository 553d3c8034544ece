package dev.prepsweep.app.driver;

import dev.prepsweep.app.results.TrialRecord;
import dev.prepsweep.sweep.study.TrialState;
import dev.prepsweep.training.EpochMetrics;
import dev.prepsweep.training.TrainingParams;
import dev.prepsweep.training.TrialOutcome;
import dev.prepsweep.training.TrialSpec;
import java.util.List;

/** The {@code trials} rows of attempts (pure): what the scheduler writes when an attempt starts, ends or is closed. */
final class AttemptRecords {

  private AttemptRecords() {}

  /**
   * An attempt with no task outcome to report: RUNNING when launched, or LOST with a driver that died. Its rows of
   * {@code trial_metrics} are the trial's epochs it recorded first (none, unless it is a paused trial's attempt
   * promoted to its next rung).
   */
  static TrialRecord withoutOutcome(TrialSpec spec, TrialState state, RecordedEpochs epochs, long startedAt,
      Long endedAt, String error) {
    List<EpochMetrics> history = epochs.all();
    return new TrialRecord(spec.sweepId(), spec.trialId(), spec.attempt(), state.name(), List.of(), spec.params(),
        spec.seed(), best(history, spec.objective(), spec.maximize()), history, null, null, null, null, startedAt, endedAt,
        error, spec.train(), spec.val(), null, 0, null, null, null, classWeightsChoice(spec), classWeightsVersion(spec),
        null, List.of(), null, List.of(), epochs.recordedBy(spec.attempt()));
  }

  /**
   * A RUNNING attempt with the fold epochs it recorded so far (under cross-validation, written as each fold task
   * finishes, so a finished fold outlives the driver: {@code sweep resume} does not launch it again).
   */
  static TrialRecord running(FoldTrials cv, TrialSpec spec, RecordedEpochs epochs, long startedAt) {
    TrialRecord r = withoutOutcome(spec, TrialState.RUNNING, epochs, startedAt, null, null);
    return new TrialRecord(r.sweepId(), r.trialId(), r.attempt(), r.state(), r.values(), r.params(), r.seed(), r.best(),
        r.epochs(), null, null, null, null, startedAt, null, null, r.train(), r.val(), null, 0, null, null, null,
        r.classWeights(), r.classWeightsVersion(), cv.enabled() ? cv.folds() : null, List.of(), null,
        cv.recordedBy(spec.trialId(), spec.attempt()), r.epochRows());
  }

  /** A record with the attempt's serving cost and its constraint violation (NaN: the sweep has no constraints). */
  static TrialRecord of(FoldTrials cv, TrialSpec spec, TrialState state, List<Double> values, TrialOutcome o,
      RecordedEpochs epochs, double violation) {
    List<EpochMetrics> history = epochs.all();
    EpochMetrics best = best(history, spec.objective(), spec.maximize());
    List<List<EpochMetrics>> folds = cv.byFold(spec.trialId());
    // the fold epochs' rows: those this attempt recorded first (an earlier attempt or driver wrote the others)
    // under cross-validation: each fold's objective at the trial's best (fold-averaged) epoch, and their spread
    List<Double> foldValues = folds.isEmpty() || best == null ? List.of()
        : FoldRounds.foldValues(folds, best.epoch(), spec.objective());
    return new TrialRecord(spec.sweepId(), spec.trialId(), spec.attempt(), state.name(), values, spec.params(),
        spec.seed(), best, history, o.executorId(), o.host(), o.gpuAddress(), o.device(),
        o.startedAtMillis(), o.endedAtMillis(), o.error(), spec.train(), spec.val(), o.modelUri(), o.resumedFromEpoch(),
        o.serving(), Double.isNaN(violation) ? null : violation, null, classWeightsChoice(spec),
        classWeightsVersion(spec), cv.enabled() ? cv.folds() : null, foldValues,
        foldValues.isEmpty() ? null : FoldRounds.std(foldValues), cv.recordedBy(spec.trialId(), spec.attempt()),
        epochs.recordedBy(spec.attempt()));
  }

  /**
   * The failed outcome with the driver's reason for ending it (the task only saw its job cancelled) and
   * where it ran: the task's executor, or the lost executor's, which the task could not report.
   */
  static TrialOutcome ended(TrialOutcome o, String error, String executorId, String host) {
    return new TrialOutcome(o.sweepId(), o.trialId(), o.attempt(), false, error, o.epochs(), null, executorId, host,
        o.gpuAddress(), o.device(), o.startedAtMillis(), o.endedAtMillis(), o.modelUri(), o.resumedFromEpoch(),
        o.serving());
  }

  /** The best epoch by the objective. */
  static EpochMetrics best(List<EpochMetrics> history, String metric, boolean maximize) {
    EpochMetrics best = null;
    for (EpochMetrics m : history) {
      if (best == null || (maximize ? m.metric(metric) > best.metric(metric) : m.metric(metric) < best.metric(metric))) {
        best = m;
      }
    }
    return best;
  }

  /** The trial's class_weights choice: none, balanced or table. */
  private static String classWeightsChoice(TrialSpec spec) {
    return TrainingParams.classWeights(spec.params().get("class_weights"));
  }

  /** The class_weights version a trial trained with: set only when its choice is 'table'. */
  private static Long classWeightsVersion(TrialSpec spec) {
    return "table".equals(classWeightsChoice(spec)) && spec.classWeightsTable() != null
        ? spec.classWeightsTable().version() : null;
  }
}
