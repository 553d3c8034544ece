package dev.prepsweep.app.driver;

import dev.prepsweep.app.config.CrossValidation;
import dev.prepsweep.app.results.SweepRecord;
import dev.prepsweep.app.results.TrialRecord;
import dev.prepsweep.sweep.pruner.PruneDecision;
import dev.prepsweep.sweep.pruner.Pruner;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Study;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import dev.prepsweep.training.EpochMetrics;
import dev.prepsweep.training.TrialOutcome;
import dev.prepsweep.training.TrialSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep's trials through a {@link TrialLauncher}, with no Spark in sight: keeps up to
 * {@code parallelism} attempts in flight (no batch barrier), asks the sampler for the next trial as
 * soon as a slot frees, takes outcomes in whatever order they arrive, retries failed attempts
 * ({@code max_retries}, {@code retry_seed}), pauses, prunes and promotes trials (ASHA, median,
 * Hyperband), ends hung attempts ({@code trial_timeout}, missed heartbeats), stops on each budget
 * (trials, wall time, failures, target) and on a cancel request, and writes every attempt's row and the
 * sweep's row through {@link Records}. A resumed sweep starts from its {@link History}.
 */
final class SweepScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(SweepScheduler.class);
  /** The Spark property that bounds the wait for a first executor ({@link Settings#executorWaitMillis}). */
  static final String EXECUTOR_WAIT_KEY = "spark.prepsweep.executorWait";

  /** Where the scheduler's rows go ({@code trials}, {@code sweeps}). */
  interface Records {
    void write(TrialRecord record);

    void write(SweepRecord record);

    /** Writes every row written so far. */
    void flush();

    /**
     * Sets the Pareto rank of a COMPLETE attempt an earlier driver wrote (a resumed multi-objective sweep ranks its
     * whole history at the end).
     */
    void rank(int trial, int attempt, int paretoRank);

    /** Drops rows not yet written (this driver lost the sweep to another). */
    void discardPending();
  }

  /** What the outside world may ask of a running sweep. */
  interface Controls {
    /** Whether {@code sweep cancel} asked this sweep to stop. */
    boolean cancelRequested();

    /** Why this driver no longer owns the sweep (another took its lease), if it does not. */
    Optional<String> leaseLost();
  }

  /**
   * @param parallelism the most attempts in flight at once (the launcher's capacity may allow fewer)
   * @param pollMillis how long the scheduler waits for an outcome before it checks cancel, hangs and the lease
   * @param progressEveryMillis how often a progress line is logged while nothing finishes
   * @param maxLostReruns reruns per trial after executor losses that were not its fault (Spark's task max failures)
   * @param hangRule when a running attempt counts as hung
   * @param master what the sweep's row records as the cluster it ran on
   * @param executorWaitMillis how long the sweep waits, with nothing running, for the launcher to have capacity
   *     (an executor to train on) before it ends FAILED
   */
  record Settings(int parallelism, long pollMillis, long progressEveryMillis, int maxLostReruns, HangRule hangRule,
      String master, long executorWaitMillis) {}

  /**
   * What a resumed sweep had recorded: trials to run again as the given attempt (those left RUNNING),
   * each trial's last attempt number, each trial's recorded epochs, who ran the sweep before, each
   * cross-validated trial's epochs per fold, and the COMPLETE trials with their metrics (for the Pareto ranks and
   * the selection rule at the end, which cover the whole sweep).
   */
  record History(Map<Integer, Integer> relaunch, Map<Integer, Integer> lastAttempts,
      Map<Integer, List<EpochMetrics>> epochs, String previousDriver, Map<Integer, List<List<EpochMetrics>>> foldEpochs,
      List<ObjectiveBook.Earlier> completed) {

    static final History NONE = new History(Map.of(), Map.of(), Map.of(), "");

    /** A history without cross-validation folds or completed trials' metrics. */
    History(Map<Integer, Integer> relaunch, Map<Integer, Integer> lastAttempts, Map<Integer, List<EpochMetrics>> epochs,
        String previousDriver) {
      this(relaunch, lastAttempts, epochs, previousDriver, Map.of(), List.of());
    }

    History withPreviousDriver(String previous) {
      return new History(relaunch, lastAttempts, epochs, previous, foldEpochs, completed);
    }
  }

  /** An attempt's result, the launcher's failure, or one task of a running attempt that ended ({@code task}). */
  private record Completion(TrialLauncher.Result result, Throwable failure, TrialSpec attempt, TrialSpec task,
      TrialOutcome taskOutcome) {

    Completion(TrialLauncher.Result result, Throwable failure) {
      this(result, failure, null, null, null);
    }
  }

  private final SweepRun run;
  private final SweepSpec spec;
  private final AttemptSpecs specs;
  private final Study study;
  private final TrialLauncher launcher;
  private final Records records;
  private final Controls controls;
  private final LongSupplier clock;
  private final Settings settings;
  private final boolean maximize;
  private final Pruner pruner;
  private final boolean segmented;
  private final FoldTrials cv;
  private final ObjectiveBook book;
  private final SweepProgress progress;
  private final BlockingQueue<Completion> inbox = new LinkedBlockingQueue<>();
  /** The running attempt of each trial in flight, in launch order. */
  private final Map<Integer, TrialSpec> running = new LinkedHashMap<>();
  private final Map<Integer, Integer> attempts = new HashMap<>();
  /** When each running attempt was launched (its RUNNING rows' start). */
  private final Map<Integer, Long> launchedAtMillis = new HashMap<>();
  /** Each trial's epochs so far and the attempt that recorded each first (whose row writes it to trial_metrics). */
  private final Map<Integer, RecordedEpochs> epochsByTrial = new HashMap<>();
  /** Attempts ended by the scheduler (timed out, no heartbeat): why, until their launcher reports them cancelled. */
  private final Map<Integer, HangRule.Verdict> hung = new HashMap<>();
  /** Reruns after executor losses that were not the trial's fault, per trial. */
  private final Map<Integer, Integer> lostReruns = new HashMap<>();
  /** Trials to launch before asking the sampler: resumed orphans, retries, trials continuing to their next rung. */
  private final List<Integer> queued = new ArrayList<>();
  private boolean stop;
  private boolean cancelled;
  /** The launcher's capacity last seen, to log when the cluster grows or shrinks. */
  private int lastCapacity = -1;
  /** When the sweep started waiting for capacity with nothing running (0: not waiting). */
  private long waitingSince;
  private String status = "COMPLETE";
  private String message;

  SweepScheduler(SweepRun run, AttemptSpecs specs, Study study, TrialLauncher launcher, Records records,
      Controls controls, LongSupplier clock, Settings settings) {
    this.run = run;
    this.spec = run.spec();
    this.specs = specs;
    this.study = study;
    this.launcher = launcher;
    this.records = records;
    this.controls = controls;
    this.clock = clock;
    this.settings = settings;
    this.maximize = spec.directions().get(0) == Direction.MAXIMIZE;
    this.pruner = spec.pruner(run.seed());
    this.segmented = Segments.segmented(pruner);
    this.cv = new FoldTrials(run.config().cv().map(CrossValidation::folds).orElse(0));
    this.book = new ObjectiveBook(spec);
    this.progress = new SweepProgress(run, maximize, settings.parallelism());
  }

  /** Runs the sweep to the end of its budget (or a stop) and returns how it ended. */
  SweepSummary run(History history) {
    LOG.info("sweep {}: {} trials of method '{}' ({} at a time{}), {} {} on {} and {}", run.sweepId(),
        spec.budget().trials(), spec.method(), settings.parallelism(), segmented ? ", early stopping " + pruner : "",
        maximize ? "maximising" : "minimising", run.metric(), run.train(), run.val());
    progress.seed(study.trials());
    SweepRecord.Builder sweepRow = new SweepRecord.Builder(run.sweepId(), spec, run.seed(), settings.parallelism(),
        settings.master(), run.dataVersions(), run.dataPaths(), run.config(), run.startedAtMillis());
    records.write(progress.sweepRecord(sweepRow, "RUNNING", null));
    try {
      start(history);
      loop(sweepRow);
      launcher.finished();
      finish(sweepRow);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("sweep " + run.sweepId() + " was interrupted", e);
    } finally {
      // running attempts are stopped before the caller's last flush, whose writes would otherwise wait for
      // the slots that hung attempts hold
      running.values().forEach(launcher::cancel);
    }
    LOG.info("sweep {} {}: {} complete, {} pruned, {} failed; best {} = {} (trial {})", run.sweepId(), status,
        progress.complete, progress.pruned, progress.failed, run.metric(), progress.bestValue, progress.bestTrial);
    return new SweepSummary(run.sweepId(), status, progress.complete, progress.failed, progress.pruned,
        progress.bestTrial, progress.bestValue, run.metric(), maximize, run.dataVersions(), run.test());
  }

  /** Takes over a resumed sweep's history: attempt numbers, epochs, and LOST rows for the orphans it reruns. */
  private void start(History history) {
    attempts.putAll(history.lastAttempts());
    attempts.putAll(history.relaunch());
    for (Trial t : study.trials()) {
      // the epochs the earlier driver wrote are not written again
      RecordedEpochs known = new RecordedEpochs();
      known.restore(history.epochs().getOrDefault(t.number(), List.of()));
      epochsByTrial.put(t.number(), known);
      attempts.putIfAbsent(t.number(), 1);
      // under cross-validation: folds that finished under the earlier driver are not launched again
      cv.restore(t.number(), history.foldEpochs().getOrDefault(t.number(), List.of()));
    }
    // The attempts that were running when the previous driver died end here, as LOST with why.
    for (Map.Entry<Integer, Integer> orphan : history.relaunch().entrySet()) {
      Trial trial = study.trial(orphan.getKey());
      TrialSpec lost = specs.of(trial, orphan.getValue() - 1, -1);
      long now = clock.getAsLong();
      records.write(AttemptRecords.withoutOutcome(lost, TrialState.LOST, epochsOf(trial.number()), now, now,
          "the driver stopped while this attempt ran" + history.previousDriver()
              + "; sweep resume reran the trial as attempt " + orphan.getValue()));
    }
    queued.addAll(history.relaunch().keySet());
    history.completed().forEach(book::earlier);
  }

  private void loop(SweepRecord.Builder sweepRow) throws InterruptedException {
    long lastProgress = clock.getAsLong();
    while (true) {
      launchWhatFits();
      if (!running.isEmpty()) {
        waitingSince = 0;
      }
      if (running.isEmpty() && (stop || !hasWork() || !awaitCapacity())) {
        break;
      }
      launcher.idle();
      Completion next = inbox.poll(settings.pollMillis(), TimeUnit.MILLISECONDS);
      Optional<String> leaseLost = controls.leaseLost();
      if (leaseLost.isPresent()) {
        // Another driver owns the sweep now: stop the trials and write nothing more (its rows are its own).
        running.values().forEach(launcher::cancel);
        records.discardPending();
        throw new IllegalStateException("sweep " + run.sweepId() + ": this driver lost its lease ("
            + leaseLost.get() + "); it stopped without writing further results");
      }
      if (!cancelled && controls.cancelRequested()) {
        cancelled = true;
        stop = true;
        status = "CANCELLED";
        message = "cancelled on request";
        LOG.warn("sweep {}: cancel requested; stopping {} running trial(s)", run.sweepId(), running.size());
        running.values().forEach(launcher::cancel);
      }
      endHung();
      if (next == null) {
        if (clock.getAsLong() - lastProgress > settings.progressEveryMillis()) {
          progress.log(running.size());
          lastProgress = clock.getAsLong();
        }
        continue;
      }
      if (next.task() != null) {
        taskEnded(next);
        continue;
      }
      if (next.failure() != null) {
        throw new IllegalStateException("sweep " + run.sweepId() + ": a trial launcher failed: "
            + next.failure().getMessage(), next.failure());
      }
      if (!settle(next.result())) {
        continue;
      }
      if (!stop && spec.budget().wallTime().isPresent()
          && clock.getAsLong() - run.startedAtMillis() > spec.budget().wallTime().get().toMillis()) {
        LOG.warn("sweep {}: wall time {} used up; letting {} running trial(s) finish", run.sweepId(),
            spec.budget().wallTime().get(), running.size());
        stop = true;
      }
      progress.log(running.size());
      lastProgress = clock.getAsLong();
      records.write(progress.sweepRecord(sweepRow, "RUNNING", null));
    }
  }

  /** Launches trials while the sweep's parallelism and the launcher's capacity allow. */
  private void launchWhatFits() {
    while (!stop && running.size() < inFlightLimit()) {
      Trial trial = nextTrial();
      if (trial == null) {
        return;
      }
      int done = epochsByTrial.get(trial.number()).size();
      int target = segmented ? Segments.nextTarget(pruner, trial.number(), done, specs.totalEpochs(trial)) : -1;
      TrialSpec attempt = specs.of(trial, attempts.get(trial.number()), target);
      long launchedAt = clock.getAsLong();
      records.write(AttemptRecords.running(cv, attempt, epochsOf(trial.number()), launchedAt));
      running.put(trial.number(), attempt);
      launchedAtMillis.put(trial.number(), launchedAt);
      List<TrialSpec> tasks = cv.tasks(attempt, AttemptSpecs.targetOf(attempt));
      // under cross-validation each fold task is reported as it ends (taskEnded), so a finished fold is kept
      (cv.enabled() ? launcher.launch(attempt, tasks,
          (task, outcome) -> inbox.add(new Completion(null, null, attempt, task, outcome)))
          : launcher.launch(attempt, tasks))
          .whenComplete((result, failure) -> inbox.add(new Completion(result, failure)));
    }
  }

  /** The attempts that may be in flight now: the sweep's parallelism within the launcher's live capacity. */
  private int inFlightLimit() {
    int capacity = launcher.capacity();
    if (capacity != lastCapacity && lastCapacity >= 0) {
      LOG.info("sweep {}: the cluster has room for {} trial(s) at once now (was {}); {} running", run.sweepId(),
          capacity == Integer.MAX_VALUE ? "any number of" : capacity, lastCapacity, running.size());
    }
    lastCapacity = capacity;
    int limit = Math.min(settings.parallelism(), capacity);
    return limit <= 0 ? 0 : limit + launcher.lookahead();
  }

  /** Whether a trial could be launched if there were room: queued, promotable, within the budget, or finishing. */
  private boolean hasWork() {
    return !queued.isEmpty() || (segmented && study.promotable().isPresent())
        || study.trials().size() < spec.budget().trials() || (segmented && study.finishing().isPresent());
  }

  /**
   * With work to do, nothing running and no capacity (no executor yet, or every one gone): keeps waiting while
   * within {@code executorWaitMillis} of when the wait began, else ends the sweep FAILED. Returns whether to wait on.
   */
  private boolean awaitCapacity() {
    long now = clock.getAsLong();
    if (waitingSince == 0) {
      waitingSince = now;
      LOG.warn("sweep {}: no executor to train on yet; waiting up to {} s for one ({})", run.sweepId(),
          settings.executorWaitMillis() / 1000, EXECUTOR_WAIT_KEY);
    }
    if (now - waitingSince <= settings.executorWaitMillis()) {
      return true;
    }
    status = "FAILED";
    message = "no executor to train on joined within " + settings.executorWaitMillis() / 1000 + " s ("
        + EXECUTOR_WAIT_KEY + "); check that the cluster has workers with free cores and memory (and trainer slots)";
    LOG.error("sweep {}: {}", run.sweepId(), message);
    stop = true;
    return false;
  }

  /** The trial to launch next: queued, promoted, newly sampled, or the one that finishes a spent budget; null: none. */
  private Trial nextTrial() {
    Optional<Trial> promote;
    if (!queued.isEmpty()) {
      return study.trial(queued.remove(0));
    }
    if (segmented && (promote = study.promotable()).isPresent()) {
      Trial trial = study.resumePaused(promote.get().number());
      progress.promoted(trial.number());
      LOG.info("trial {} promoted from epoch {}", trial.number(), promote.get().lastStep());
      return trial;
    }
    if (study.trials().size() < spec.budget().trials()) {
      Trial trial;
      try {
        trial = study.ask();
      } catch (NoSuchElementException exhausted) {
        LOG.info("sweep {}: the sampler has nothing left to propose ({}); ending early", run.sweepId(),
            exhausted.getMessage());
        stop = true;
        return null;
      }
      attempts.put(trial.number(), 1);
      epochsByTrial.put(trial.number(), new RecordedEpochs());
      return trial;
    }
    if (segmented && running.isEmpty() && (promote = study.finishing()).isPresent()) {
      // the budget is spent with every trial paused: finish the deepest, best one so the sweep has a result
      Trial trial = study.resumePaused(promote.get().number());
      progress.promoted(trial.number());
      LOG.info("trial {} continues from epoch {} to the end: the budget is spent and no trial completed",
          trial.number(), promote.get().lastStep());
      return trial;
    }
    return null;
  }

  /**
   * A fold task of a running cross-validated attempt ended while other folds run: its epochs are kept (a finished
   * fold is not launched again, whatever ends the attempt) and written with the attempt's RUNNING row, so they
   * outlive this driver.
   */
  private void taskEnded(Completion done) {
    TrialSpec attempt = done.attempt();
    if (!cv.enabled() || running.get(attempt.trialId()) != attempt || !done.taskOutcome().complete()) {
      return;
    }
    cv.recordTask(attempt, done.task(), done.taskOutcome());
    records.write(AttemptRecords.running(cv, attempt, epochsOf(attempt.trialId()),
        launchedAtMillis.getOrDefault(attempt.trialId(), clock.getAsLong())));
  }

  /** Cancels the attempts the hang rule ends; they are recorded when their launcher reports them. */
  private void endHung() {
    long now = clock.getAsLong();
    for (Map.Entry<Integer, TrialSpec> r : running.entrySet()) {
      if (hung.containsKey(r.getKey())) {
        continue;
      }
      HangRule.Verdict verdict = launcher.heartbeat(r.getValue())
          .map(h -> settings.hangRule().check(h.launchedAtMillis(), h.lastProgressAtMillis(), now)).orElse(null);
      if (verdict != null) {
        LOG.warn("trial {} {}: {}", r.getKey(), verdict.state(), verdict.reason());
        hung.put(r.getKey(), verdict);
        launcher.cancel(r.getValue());
      }
    }
  }

  /**
   * Records an attempt's result and tells the study; returns false for an attempt that ended by the
   * sweep's cancellation (nothing more to decide).
   */
  private boolean settle(TrialLauncher.Result done) {
    TrialSpec ts = done.spec();
    // under cross-validation: the folds' outcomes as one, whose epochs are the fold averages
    TrialOutcome outcome = cv.merge(ts, done.tasks(), done.outcomes(), AttemptSpecs.targetOf(ts));
    int number = ts.trialId();
    running.remove(number);
    HangRule.Verdict verdict = hung.remove(number);
    RecordedEpochs epochs = epochsByTrial.get(number);
    int doneBefore = epochs.size();
    epochs.record(outcome.epochs(), ts.attempt());
    List<EpochMetrics> history = epochs.all();
    if (cancelled && !outcome.complete()) {
      records.write(AttemptRecords.of(cv, ts, TrialState.CANCELLED, List.of(), outcome, epochs, Double.NaN));
      study.tell(number, TrialState.FAILED);
      return false;
    }
    if (outcome.complete()) {
      settleComplete(ts, outcome, history, doneBefore);
    } else {
      settleFailed(ts, outcome, history, verdict, done.lost());
    }
    return true;
  }

  private void settleComplete(TrialSpec ts, TrialOutcome outcome, List<EpochMetrics> history, int doneBefore) {
    int number = ts.trialId();
    PruneDecision decision = PruneDecision.CONTINUE;
    if (segmented) {
      for (EpochMetrics m : history) {
        if (m.epoch() > doneBefore) {
          decision = study.report(number, m.epoch(), m.metric(run.metric()));
        }
      }
    }
    int total = segmented ? specs.totalEpochs(study.trial(number)) : 0;
    int reached = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
    // Early stopping (patience) inside the task ends the trial before its target epoch.
    boolean stoppedEarly = segmented && reached < AttemptSpecs.targetOf(ts);
    EpochMetrics best = AttemptRecords.best(history, run.metric(), maximize);
    if (!segmented || reached >= total || stoppedEarly) {
      Map<String, Double> metrics = TrialMetrics.of(best, outcome.serving());
      List<Double> values = TrialMetrics.values(metrics, spec.metrics().stream().map(SweepSpec.Metric::name).toList());
      double violation = book.violation(metrics);
      study.tell(number, values, violation);
      // a sweep without constraints records every COMPLETE trial as feasible (violation 0), so the leaderboard's
      // columns mean the same in every sweep; the sampler still sees an unconstrained trial (NaN)
      TrialRecord completed = AttemptRecords.of(cv, ts, TrialState.COMPLETE, values, outcome, epochsOf(number),
          Double.isNaN(violation) ? 0 : violation);
      records.write(completed);
      book.complete(completed, metrics);
      progress.complete(number, values.get(0), outcome, !(violation > 0));
      if (spec.budget().reachesTarget(values.get(0), spec.directions().get(0))) {
        LOG.info("sweep {}: trial {} reached the target {}; stopping", run.sweepId(), number,
            spec.budget().target().getAsDouble());
        stop = true;
      }
    } else if (decision == PruneDecision.STOP) {
      study.tell(number, TrialState.PRUNED);
      records.write(AttemptRecords.of(cv, ts, TrialState.PRUNED, List.of(best.metric(run.metric())), outcome, epochsOf(number),
          Double.NaN));
      progress.pruned(number, reached);
    } else {
      records.write(AttemptRecords.of(cv, ts, TrialState.RUNNING, List.of(), outcome, epochsOf(number), Double.NaN));
      queued.add(0, number);
    }
  }

  private void settleFailed(TrialSpec ts, TrialOutcome outcome, List<EpochMetrics> history, HangRule.Verdict verdict,
      Optional<ExecutorLoss> lost) {
    int number = ts.trialId();
    // An executor lost under the attempt is not the trial's fault unless it ran out of memory:
    // such a rerun uses none of max_retries, up to spark.task.maxFailures of them per trial.
    boolean executorLost = verdict == null && lost.isPresent();
    boolean notItsFault = executorLost && !lost.get().outOfMemory()
        && lostReruns.getOrDefault(number, 0) < settings.maxLostReruns();
    if (notItsFault) {
      lostReruns.merge(number, 1, Integer::sum);
    }
    boolean retry = !stop && (notItsFault || ts.attempt() - lostReruns.getOrDefault(number, 0) <= spec.maxRetries());
    TrialState state = verdict != null ? verdict.state() : executorLost ? TrialState.LOST : TrialState.FAILED;
    TrialOutcome ended = outcome;
    if (verdict != null) {
      ended = AttemptRecords.ended(outcome, verdict.reason(), outcome.executorId(), outcome.host());
    } else if (executorLost) {
      ended = AttemptRecords.ended(outcome, lost.get().reason()
          + (retry ? "; the trial runs again as attempt " + (ts.attempt() + 1) : ""), lost.get().executorId(),
          lost.get().host());
    }
    records.write(AttemptRecords.of(cv, ts, state, List.of(), ended, epochsOf(number), Double.NaN));
    if (retry) {
      LOG.warn("trial {} attempt {} {} ({}); retrying", number, ts.attempt(), state, ended.error());
      attempts.put(number, ts.attempt() + 1);
      queued.add(0, number);
      return;
    }
    study.tell(number, TrialState.FAILED);
    progress.failed(number, ended.error());
    if (spec.budget().failures().isPresent() && progress.failed >= spec.budget().failures().getAsInt()) {
      status = "FAILED";
      message = progress.failed + " trials failed: the failure budget (" + spec.budget().failures().getAsInt()
          + ") is spent";
      LOG.error("sweep {}: {}; stopping", run.sweepId(), message);
      stop = true;
    }
  }

  /**
   * Pareto ranks and the selection rule over every COMPLETE trial, earlier drivers' included (a resumed sweep
   * decides as an uninterrupted one would); the selected trial is the one scored on test. When some COMPLETE
   * trial's metrics could not be read back, the plain best of the first metric is kept. Writes the sweep's last row.
   */
  private void finish(SweepRecord.Builder sweepRow) {
    ObjectiveBook.Decision decision = book.noted().size() == progress.complete ? book.finish() : null;
    if (decision == null) {
      LOG.warn("sweep {}: {} of {} COMPLETE trials ran under an earlier driver and their metrics could not be read back;"
          + " Pareto ranks and the selection rule are not applied, the best trial by {} is scored", run.sweepId(), progress.complete - book.noted().size(),
          progress.complete, run.metric());
    } else {
      decision.ranked().forEach(records::write);
      decision.earlierRanks().forEach(r -> records.rank(r.trial(), r.attempt(), r.rank()));
      sweepRow.selected(decision.rule(), decision.selected().orElse(null),
          spec.isMultiObjective() ? decision.front() : null);
      progress.bestTrial = decision.selected().orElse(null);
      progress.bestValue = decision.selected().map(book::firstValue).orElse(null);
    }
    if (decision != null && progress.complete > 0 && decision.selected().isEmpty()) {
      LOG.warn("sweep {}: no COMPLETE trial meets the selection rule '{}' and the constraints; nothing is scored on test",
          run.sweepId(), decision.rule());
      message = message != null ? message : "no trial meets the selection rule '" + decision.rule() + "'";
    }
    if (progress.complete == 0 && !cancelled) {
      status = "FAILED";
      message = message != null ? message : "no trial completed; see the error column of trials";
    }
    records.write(progress.sweepRecord(sweepRow, status, message));
    records.flush();
  }

  /** A trial's epochs so far (the history its rows count and rank) and who recorded each first. */
  private RecordedEpochs epochsOf(int trial) {
    return epochsByTrial.get(trial);
  }
}
