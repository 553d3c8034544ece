package dev.prepsweep.app.driver;

import dev.prepsweep.app.config.CrossValidation;
import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.app.config.JobDefaults;
import dev.prepsweep.app.config.TrialResources;
import dev.prepsweep.app.results.ResultTables;
import dev.prepsweep.app.results.ResultWriter;
import dev.prepsweep.app.results.SweepRecord;
import dev.prepsweep.app.results.TrialRecord;
import dev.prepsweep.app.spark.SparkSessions;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.sweep.pruner.PruneDecision;
import dev.prepsweep.sweep.pruner.Pruner;
import dev.prepsweep.sweep.sampler.Seeds;
import dev.prepsweep.sweep.spec.EarlyTerminateSpec;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Study;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import dev.prepsweep.training.EpochMetrics;
import dev.prepsweep.training.TrainingParams;
import dev.prepsweep.training.ModelCheck;
import dev.prepsweep.training.TrialOutcome;
import dev.prepsweep.training.TrialSpec;
import dev.prepsweep.training.TrialTask;
import dev.prepsweep.training.torchscript.ModelCheckException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep: keeps up to {@code parallelism} trials in flight with no batch barrier (one Spark
 * job of one task per trial attempt), asks the sampler for the next trial as soon as a slot frees
 * (running trials are passed to it), retries failed attempts, stops on the budget or a cancel
 * request, and records every attempt in Delta through a {@link ResultWriter}. Executors receive
 * only {@link TrialSpec}s. A sweep whose driver died is continued with {@link #resume}.
 */
public final class SweepDriver {

  private static final Logger LOG = LoggerFactory.getLogger(SweepDriver.class);
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(ZoneOffset.UTC);
  /** How often the loop wakes without a finished trial, to log progress and check for cancellation. */
  private static final long POLL_SECONDS = 5;
  private static final long PROGRESS_EVERY_MILLIS = 30_000;
  /** The trainer's default epoch count, for trials whose config sets none. */
  private static final int DEFAULT_EPOCHS = 5;
  /** An attempt whose driver or executor stopped reporting: closed by whoever noticed, with the reason. */
  static final String LOST = "LOST";

  private final SparkSession spark;
  private final Warehouse warehouse;

  public SweepDriver(SparkSession spark, Warehouse warehouse) {
    this.spark = spark;
    this.warehouse = warehouse;
  }

  /**
   * Starts a new sweep of {@code config} on the latest versions of its training table
   * ({@code data.train}), val and, when there is one, test, and runs it to the end of its budget.
   *
   * @throws ConfigException when the warehouse lacks the table {@code data.train} names (before any trial)
   * @throws dev.prepsweep.tables.PinnedDataException when a pinned version cannot be read exactly or is
   *     incomplete (before any trial)
   */
  public SweepSummary run(JobConfig config) {
    SweepSpec spec = config.requireSweep();
    String trainTable = config.data().train();
    TableVersion train = warehouse.find(trainTable).orElseThrow(() -> new ConfigException(config.source()
        + ": the sweep trains on '" + trainTable + "' (data.train), but " + warehouse.path(trainTable)
        + " holds no Delta table; " + (trainTable.equals(JobDefaults.DATA.train())
        ? "run 'prepsweep prep' (or 'run') first"
        : "run a prep whose config writes it (prep.balance for train_balanced, prep.augment for train_augmented)")));
    TableVersion val = warehouse.latest("val");
    Optional<TableVersion> test = warehouse.find("test");
    long started = System.currentTimeMillis();
    String sweepId = "sw-" + ID_TIME.format(Instant.ofEpochMilli(started)) + "-" + config.hash().substring(0, 6);
    config.cv().ifPresent(cv -> FoldColumn.require(spark, config, train, cv.folds()));
    Optional<TableVersion> classWeights = ClassWeightsPin.wanted(config)
        ? Optional.of(ClassWeightsPin.find(spark, warehouse, config, train, val)) : Optional.empty();
    SweepRun run = new SweepRun(sweepId, config, spec, spec.seedOr(config.seed()), train, val, test,
        PinnedData.resolve(spark, warehouse, train, val, test, classWeights), started);
    checkModel(run);
    return execute(run, warmStarted(Study.fromSpec(spec, config.seed()), spec), Map.of(), Map.of(), Map.of());
  }

  /**
   * Continues a sweep from its tables after its driver died: the study is rebuilt from the trials
   * recorded so far (same sampler state as before the crash), trials left RUNNING are run again as
   * their next attempt, and new trials fill the rest of the budget. The sweep trains, validates and
   * scores on the data versions it started with.
   *
   * @throws IllegalArgumentException when no such sweep exists, or it already finished
   */
  public SweepSummary resume(String sweepId) {
    Row row = SweepHistory.sweepRow(spark, warehouse, sweepId)
        .orElseThrow(() -> new IllegalArgumentException("no sweep '" + sweepId + "' in " + warehouse.root()
            + "; list them with: prepsweep sweep list"));
    String status = row.getAs("status");
    if (!"RUNNING".equals(status)) {
      throw new IllegalArgumentException("sweep " + sweepId + " is " + status + "; only a sweep whose driver stopped"
          + " while RUNNING can be resumed");
    }
    JobConfig config = JobConfig.parse(row.getAs("config"), "sweeps[" + sweepId + "].config")
        .withWarehouse(warehouse.root());
    SweepSpec spec = config.requireSweep();
    // Before anything is read or written: a sweep whose driver is alive is refused, naming it.
    SweepLease.Acquired lease = SweepLease.acquire(hadoopConf(), warehouse.root(), sweepId, spec.guards().driverLease());
    try {
      return resumeHolding(sweepId, row, config, spec, lease);
    } catch (RuntimeException e) {
      lease.lease().close();
      throw e;
    }
  }

  private SweepSummary resumeHolding(String sweepId, Row row, JobConfig config, SweepSpec spec,
      SweepLease.Acquired lease) {
    Map<String, Long> versions = row.getJavaMap(row.fieldIndex("data_versions"));
    Map<String, String> paths = row.getJavaMap(row.fieldIndex("data_paths"));
    TableVersion train = pinned(config.data().train(), versions, paths)
        .orElseThrow(() -> new IllegalStateException("sweep " + sweepId + " recorded no version of its training table '"
            + config.data().train() + "'; recorded: " + versions));
    TableVersion val = pinned("val", versions, paths)
        .orElseThrow(() -> new IllegalStateException("sweep " + sweepId + " recorded no version of 'val'"));
    // sweeps recorded before the test split was pinned with them are not scored on resume
    Optional<TableVersion> test = pinned("test", versions, paths);
    Optional<TableVersion> classWeights = pinned(ClassWeightsPin.TABLE, versions, paths);
    if (classWeights.isEmpty() && ClassWeightsPin.wanted(config)) {
      throw new IllegalStateException("sweep " + sweepId + " asks for class_weights: table but recorded no version of '"
          + ClassWeightsPin.TABLE + "'; recorded: " + versions);
    }
    long seed = row.<Long>getAs("seed");
    List<SweepHistory.StoredTrial> stored = SweepHistory.trials(spark, warehouse, sweepId, spec.space());
    Map<Integer, List<EpochMetrics>> epochs = SweepHistory.epochs(spark, warehouse, sweepId);
    String metric = spec.metrics().get(0).name();
    List<Trial> history = stored.stream()
        .map(t -> SweepHistory.withIntermediates(t.trial(), epochs.getOrDefault(t.trial().number(), List.of()), metric))
        .toList();
    // Orphans run again as their next attempt; every other trial keeps its last attempt number
    // (a paused ASHA trial promoted later continues that attempt's row).
    Map<Integer, Integer> relaunch = new LinkedHashMap<>();
    for (SweepHistory.StoredTrial t : stored) {
      if (t.trial().state() == TrialState.RUNNING) {
        relaunch.put(t.trial().number(), t.lastAttempt() + 1);
      }
    }
    Map<Integer, Integer> lastAttempts = new HashMap<>();
    stored.forEach(t -> lastAttempts.put(t.trial().number(), t.lastAttempt()));
    LOG.info("resuming sweep {}: {} trials recorded, {} to run again, data {} {}", sweepId, history.size(),
        relaunch.size(), train, val);
    SweepRun run = new SweepRun(sweepId, config, spec, seed, train, val, test,
        PinnedData.resolve(spark, warehouse, train, val, test, classWeights),
        row.<java.sql.Timestamp>getAs("started_at").getTime());
    return execute(run, warmStarted(Study.resumeKeepingRunning(spec, seed, history), spec), relaunch, lastAttempts,
        epochs, lease);
  }

  /**
   * A user's model (train.model: torchscript) is loaded on the driver and given one real batch of the
   * pinned train rows before any trial: a file that is not TorchScript or a module whose output is not one
   * logit per label fails the sweep here with exit code 2, naming the file and the shapes.
   */
  private static void checkModel(SweepRun run) {
    Map<String, Object> params = run.config().train();
    if (!"torchscript".equals(String.valueOf(params.get("model")))) {
      return;
    }
    TrialSpec probe = new TrialSpec(run.sweepId(), 0, 0, params, run.seed(), run.metric(), true, run.train(), run.val(),
        run.data().labels(), false);
    try {
      ModelCheck.check(probe);
    } catch (ModelCheckException e) {
      throw new ConfigException(run.config().source() + ": train.path: " + e.getMessage(), e);
    }
  }

  private org.apache.hadoop.conf.Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /** The version of {@code table} that a sweep's row recorded, if it recorded one. */
  private static Optional<TableVersion> pinned(String table, Map<String, Long> versions, Map<String, String> paths) {
    Long version = versions.get(table);
    String path = paths.get(table);
    return version == null || path == null ? Optional.empty() : Optional.of(new TableVersion(table, path, version));
  }

  /** Runs a new sweep under a new lease. */
  private SweepSummary execute(SweepRun run, Study study, Map<Integer, Integer> relaunch,
      Map<Integer, Integer> lastAttempts, Map<Integer, List<EpochMetrics>> recordedEpochs) {
    return execute(run, study, relaunch, lastAttempts, recordedEpochs,
        SweepLease.acquire(hadoopConf(), warehouse.root(), run.sweepId(), run.spec().guards().driverLease()));
  }

  /** Runs the sweep while holding its lease; gives the lease up when done. */
  private SweepSummary execute(SweepRun run, Study study, Map<Integer, Integer> relaunch,
      Map<Integer, Integer> lastAttempts, Map<Integer, List<EpochMetrics>> recordedEpochs, SweepLease.Acquired lease) {
    try (SweepLease held = lease.lease()) {
      return executeHolding(run, study, relaunch, lastAttempts, recordedEpochs, lease);
    }
  }

  private SweepSummary executeHolding(SweepRun run, Study study, Map<Integer, Integer> relaunch,
      Map<Integer, Integer> lastAttempts, Map<Integer, List<EpochMetrics>> recordedEpochs, SweepLease.Acquired lease) {
    SweepSpec spec = run.spec();
    List<Direction> directions = spec.directions();
    boolean maximize = directions.get(0) == Direction.MAXIMIZE;
    int parallelism = effectiveParallelism(spec.parallelism());
    Pruner pruner = spec.pruner(run.seed());
    boolean segmented = Segments.segmented(pruner);
    LOG.info("sweep {}: {} trials of method '{}' ({} at a time{}), {} {} on {} and {}", run.sweepId(),
        spec.budget().trials(), spec.method(), parallelism, segmented ? ", early stopping " + pruner : "",
        maximize ? "maximising" : "minimising", run.metric(), run.train(), run.val());

    ResourceProfile profile = trialProfile(run.config().resources());
    // Where slots are enforced by Spark (a trainer slot or GPU per trial task), one extra trial job
    // waits in Spark's queue, so a freed slot starts the next trial without waiting for the driver.
    int lookahead = profile != null && (SparkSessions.hasTrainerSlots(spark) || run.config().resources().gpus() > 0) ? 1 : 0;
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ExecutorService pool = Executors.newFixedThreadPool(parallelism + lookahead, r -> {
      Thread t = new Thread(r, "prepsweep-trial-launcher");
      t.setDaemon(true);
      return t;
    });
    ExecutorCompletionService<Attempt> completions = new ExecutorCompletionService<>(pool);
    AttemptWatch watch = new AttemptWatch(spark.sparkContext());
    FoldTrials cv = new FoldTrials(run.config().cv().map(CrossValidation::folds).orElse(0));
    HangRule hangRule = new HangRule(spec.guards().trialTimeout(), spec.guards().missedHeartbeats(),
        spark.sparkContext().getConf().getTimeAsMs("spark.executor.heartbeatInterval", "10s"));
    Progress progress = new Progress(run, maximize, parallelism);
    progress.seed(study.trials());
    String status = "COMPLETE";
    String message = null;
    SweepRecord.Builder sweepRow = new SweepRecord.Builder(run.sweepId(), spec, run.seed(), parallelism,
        spark.sparkContext().master(), run.dataVersions(), run.dataPaths(), run.config(), run.startedAtMillis());
    ObjectiveBook book = new ObjectiveBook(spec);
    Map<Integer, String> runningGroups = new LinkedHashMap<>();
    // Resources close in reverse order: if the loop fails, running trial jobs are cancelled before the
    // writer's last flush, whose Delta jobs would otherwise wait for cores that hung trials hold.
    try (ResultWriter writer = new ResultWriter(spark, warehouse, ResultTables.paramsType(spec.space()));
        Cleanup cancelRunning = () -> runningGroups.values().forEach(jsc::cancelJobGroup)) {
      writer.write(progress.sweepRecord(sweepRow, "RUNNING", null));
      Map<Integer, Integer> attempts = new HashMap<>(lastAttempts);
      attempts.putAll(relaunch);
      Map<Integer, Map<Integer, EpochMetrics>> epochsByTrial = new HashMap<>();
      for (Trial t : study.trials()) {
        Map<Integer, EpochMetrics> known = new TreeMap<>();
        recordedEpochs.getOrDefault(t.number(), List.of()).forEach(m -> known.put(m.epoch(), m));
        epochsByTrial.put(t.number(), known);
        attempts.putIfAbsent(t.number(), 1);
      }
      // The attempts that were running when the previous driver died end here, as LOST with why.
      String previous = lease.previous().map(h -> " (driver " + h.owner() + " on " + h.host() + ", pid " + h.pid() + ")")
          .orElse("");
      for (Map.Entry<Integer, Integer> orphan : relaunch.entrySet()) {
        Trial trial = study.trial(orphan.getKey());
        TrialSpec lost = trialSpec(run, trial, orphan.getValue() - 1, -1);
        List<EpochMetrics> history = List.copyOf(epochsByTrial.get(trial.number()).values());
        long now = System.currentTimeMillis();
        writer.write(withoutOutcome(lost, LOST, history, now, now, "the driver stopped while this attempt ran" + previous
            + "; sweep resume reran the trial as attempt " + orphan.getValue()));
      }
      // attempts ended by the driver (timed out, no heartbeat): why, until their job reports back cancelled
      Map<Integer, HangRule.Verdict> hung = new HashMap<>();
      // reruns after executor losses that were not the trial's fault, per trial; bounded like Spark's own task reruns
      Map<Integer, Integer> lostReruns = new HashMap<>();
      int maxLostReruns = spark.sparkContext().getConf().getInt("spark.task.maxFailures", 4);
      List<Integer> queued = new ArrayList<>(relaunch.keySet());
      boolean stop = false;
      boolean cancelled = false;
      long lastProgress = System.currentTimeMillis();
      while (true) {
        while (!stop && runningGroups.size() < parallelism + lookahead) {
          Trial trial;
          Optional<Trial> promote;
          if (!queued.isEmpty()) {
            trial = study.trial(queued.remove(0));
          } else if (segmented && (promote = study.promotable()).isPresent()) {
            trial = study.resumePaused(promote.get().number());
            progress.promoted(trial.number());
            LOG.info("trial {} promoted from epoch {}", trial.number(), promote.get().lastStep());
          } else if (study.trials().size() < spec.budget().trials()) {
            try {
              trial = study.ask();
            } catch (NoSuchElementException exhausted) {
              LOG.info("sweep {}: the sampler has nothing left to propose ({}); ending early", run.sweepId(),
                  exhausted.getMessage());
              stop = true;
              break;
            }
            attempts.put(trial.number(), 1);
            epochsByTrial.put(trial.number(), new TreeMap<>());
          } else if (segmented && runningGroups.isEmpty() && (promote = study.finishing()).isPresent()) {
            // the budget is spent with every trial paused: finish the deepest, best one so the sweep has a result
            trial = study.resumePaused(promote.get().number());
            progress.promoted(trial.number());
            LOG.info("trial {} continues from epoch {} to the end: the budget is spent and no trial completed",
                trial.number(), promote.get().lastStep());
          } else {
            break;
          }
          int done = epochsByTrial.get(trial.number()).size();
          int target = segmented ? Segments.nextTarget(pruner, trial.number(), done, totalEpochs(run, trial)) : -1;
          TrialSpec trialSpec = trialSpec(run, trial, attempts.get(trial.number()), target);
          runningGroups.put(trial.number(), submit(completions, jsc, profile, writer, watch, trialSpec,
              cv.tasks(trialSpec, targetOf(trialSpec)),
              List.copyOf(epochsByTrial.get(trial.number()).values())));
        }
        if (runningGroups.isEmpty()) {
          break;
        }
        Future<Attempt> next = completions.poll(POLL_SECONDS, TimeUnit.SECONDS);
        if (lease.lease().lost()) {
          // Another driver owns the sweep now: stop the trials and write nothing more (its rows are its own).
          runningGroups.values().forEach(jsc::cancelJobGroup);
          writer.discardPending();
          throw new IllegalStateException("sweep " + run.sweepId() + ": this driver lost its lease ("
              + lease.lease().lostReason() + "); it stopped without writing further results");
        }
        if (!cancelled && warehouse.isCancelRequested(run.sweepId())) {
          cancelled = true;
          stop = true;
          status = "CANCELLED";
          message = "cancelled on request";
          LOG.warn("sweep {}: cancel requested; stopping {} running trial(s)", run.sweepId(), runningGroups.size());
          runningGroups.values().forEach(jsc::cancelJobGroup);
        }
        long now = System.currentTimeMillis();
        for (Map.Entry<Integer, String> r : runningGroups.entrySet()) {
          HangRule.Verdict verdict = hung.containsKey(r.getKey()) ? null : watch.check(r.getValue(), hangRule, now);
          if (verdict != null) {
            LOG.warn("trial {} {}: {}", r.getKey(), verdict.state(), verdict.reason());
            hung.put(r.getKey(), verdict);
            jsc.cancelJobGroup(r.getValue());
          }
        }
        if (next == null) {
          if (System.currentTimeMillis() - lastProgress > PROGRESS_EVERY_MILLIS) {
            progress.log(runningGroups.size());
            lastProgress = System.currentTimeMillis();
          }
          continue;
        }
        Attempt done = next.get();
        TrialSpec ts = done.spec();
        // under cross-validation: the folds' outcomes as one, whose epochs are the fold averages
        TrialOutcome outcome = cv.merge(ts, done.tasks(), done.outcomes(), targetOf(ts));
        int number = ts.trialId();
        String group = runningGroups.remove(number);
        Optional<ExecutorLoss> lost = watch.lost(group);
        watch.forget(group);
        HangRule.Verdict verdict = hung.remove(number);
        Map<Integer, EpochMetrics> epochs = epochsByTrial.get(number);
        int doneBefore = epochs.size();
        for (EpochMetrics m : outcome.epochs()) {
          epochs.put(m.epoch(), m);
        }
        List<EpochMetrics> history = List.copyOf(epochs.values());
        if (cancelled && !outcome.complete()) {
          writer.write(record(cv, ts, "CANCELLED", List.of(), outcome, history));
          study.tell(number, TrialState.FAILED);
          continue;
        }
        if (outcome.complete()) {
          PruneDecision decision = PruneDecision.CONTINUE;
          if (segmented) {
            for (EpochMetrics m : history) {
              if (m.epoch() > doneBefore) {
                decision = study.report(number, m.epoch(), m.metric(run.metric()));
              }
            }
          }
          int total = segmented ? totalEpochs(run, study.trial(number)) : 0;
          int reached = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
          // Early stopping (patience) inside the task ends the trial before its target epoch.
          boolean stoppedEarly = segmented && reached < targetOf(ts);
          EpochMetrics best = best(history, run.metric(), maximize);
          if (!segmented || reached >= total || stoppedEarly) {
            Map<String, Double> metrics = TrialMetrics.of(best, outcome.serving());
            List<Double> values = TrialMetrics.values(metrics, spec.metrics().stream().map(SweepSpec.Metric::name).toList());
            double violation = book.violation(metrics);
            study.tell(number, values, violation);
            TrialRecord completed = record(cv, ts, "COMPLETE", values, outcome, history, violation);
            writer.write(completed);
            book.complete(completed, metrics);
            progress.complete(number, values.get(0), outcome, !(violation > 0));
            if (spec.budget().reachesTarget(values.get(0), directions.get(0))) {
              LOG.info("sweep {}: trial {} reached the target {}; stopping", run.sweepId(), number,
                  spec.budget().target().getAsDouble());
              stop = true;
            }
          } else if (decision == PruneDecision.STOP) {
            study.tell(number, TrialState.PRUNED);
            writer.write(record(cv, ts, "PRUNED", List.of(best.metric(run.metric())), outcome, history));
            progress.pruned(number, reached);
          } else {
            writer.write(record(cv, ts, "RUNNING", List.of(), outcome, history));
            queued.add(0, number);
          }
        } else {
          // An executor lost under the attempt is not the trial's fault unless it ran out of memory:
          // such a rerun uses none of max_retries, up to spark.task.maxFailures of them per trial.
          boolean executorLost = verdict == null && lost.isPresent();
          boolean notItsFault = executorLost && !lost.get().outOfMemory()
              && lostReruns.getOrDefault(number, 0) < maxLostReruns;
          if (notItsFault) {
            lostReruns.merge(number, 1, Integer::sum);
          }
          boolean retry = !stop && (notItsFault || ts.attempt() - lostReruns.getOrDefault(number, 0) <= spec.maxRetries());
          String why = verdict != null ? verdict.reason()
              : executorLost ? lost.get().reason() + (retry ? "; the trial runs again as attempt " + (ts.attempt() + 1) : "")
              : null;
          TrialOutcome ended = why == null ? outcome : executorLost ? lostOn(outcome, why, lost.get()) : withError(outcome, why);
          String state = verdict != null ? verdict.state() : executorLost ? LOST : "FAILED";
          writer.write(record(cv, ts, state, List.of(), ended, history));
          if (retry) {
            LOG.warn("trial {} attempt {} {} ({}); retrying", number, ts.attempt(), state, ended.error());
            attempts.put(number, ts.attempt() + 1);
            queued.add(0, number);
            continue;
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
        if (!stop && spec.budget().wallTime().isPresent()
            && System.currentTimeMillis() - run.startedAtMillis() > spec.budget().wallTime().get().toMillis()) {
          LOG.warn("sweep {}: wall time {} used up; letting {} running trial(s) finish", run.sweepId(),
              spec.budget().wallTime().get(), runningGroups.size());
          stop = true;
        }
        progress.log(runningGroups.size());
        lastProgress = System.currentTimeMillis();
        writer.write(progress.sweepRecord(sweepRow, "RUNNING", null));
      }
      // Pareto ranks and the selection rule over every COMPLETE trial; the selected trial is the one scored on test
      // (a resumed sweep's earlier trials have no metrics in this driver: it keeps the plain best of the first metric)
      ObjectiveBook.Decision decision = book.noted().size() == progress.complete ? book.finish() : null;
      if (decision == null) {
        LOG.warn("sweep {}: {} of {} COMPLETE trials ran under an earlier driver; Pareto ranks and the selection rule"
            + " are not applied, the best trial by {} is scored", run.sweepId(), progress.complete - book.noted().size(),
            progress.complete, run.metric());
      } else {
        decision.ranked().forEach(writer::write);
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
      writer.write(progress.sweepRecord(sweepRow, status, message));
      writer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("sweep " + run.sweepId() + " was interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("sweep " + run.sweepId() + ": a trial launcher failed: " + e.getCause().getMessage(),
          e.getCause());
    } finally {
      watch.stop();
      pool.shutdownNow();
    }
    LOG.info("sweep {} {}: {} complete, {} pruned, {} failed; best {} = {} (trial {})", run.sweepId(), status,
        progress.complete, progress.pruned, progress.failed, run.metric(), progress.bestValue, progress.bestTrial);
    return new SweepSummary(run.sweepId(), status, progress.complete, progress.failed, progress.pruned,
        progress.bestTrial, progress.bestValue, run.metric(), maximize, run.dataVersions(), run.test());
  }

  /** The epochs a trial trains in all: ASHA/Hyperband's max_resource, else its {@code epochs} setting. */
  private static int totalEpochs(SweepRun run, Trial trial) {
    EarlyTerminateSpec et = run.spec().earlyTerminate();
    if (et instanceof EarlyTerminateSpec.Asha a) {
      return a.maxResource();
    }
    if (et instanceof EarlyTerminateSpec.Hyperband h) {
      return h.maxResource();
    }
    Object epochs = trial.params().containsKey("epochs") ? trial.params().get("epochs") : run.config().train().get("epochs");
    return epochs == null ? DEFAULT_EPOCHS : ((Number) epochs).intValue();
  }

  private static int targetOf(TrialSpec spec) {
    return ((Number) spec.params().get("epochs")).intValue();
  }

  /** The best epoch by the objective. */
  private static EpochMetrics best(List<EpochMetrics> history, String metric, boolean maximize) {
    EpochMetrics best = null;
    for (EpochMetrics m : history) {
      if (best == null || (maximize ? m.metric(metric) > best.metric(metric) : m.metric(metric) < best.metric(metric))) {
        best = m;
      }
    }
    return best;
  }

  /** Teaches the sampler the finished trials of the sweeps named in {@code warm_start}. */
  private Study warmStarted(Study study, SweepSpec spec) {
    for (String earlier : spec.warmStart()) {
      if (SweepHistory.sweepRow(spark, warehouse, earlier).isEmpty()) {
        throw new IllegalArgumentException("warm_start names sweep '" + earlier + "', which is not in " + warehouse.root());
      }
      List<Trial> trials = SweepHistory.trials(spark, warehouse, earlier, spec.space()).stream()
          .map(SweepHistory.StoredTrial::trial).toList();
      int kept = study.addPriors(trials);
      LOG.info("warm start: the sampler learns from {} finished trials of sweep {} ({} others did not fit this space)",
          kept, earlier, trials.size() - kept);
    }
    return study;
  }

  private int effectiveParallelism(int requested) {
    if (SparkSessions.isSingleJvm(spark) && requested > 1) {
      LOG.warn("master {} runs every task in one JVM, where DJL can train only one model at a time:"
          + " running 1 trial at a time instead of {}. Use the embedded default (bin/prepsweep with no"
          + " --master) or a cluster for parallel trials.", spark.sparkContext().master(), requested);
      return 1;
    }
    return requested;
  }

  /** The spec of the next task of {@code trial}: it trains to epoch {@code targetEpochs} (-1: all of them). */
  private TrialSpec trialSpec(SweepRun run, Trial trial, int attempt, int targetEpochs) {
    Map<String, Object> params = new LinkedHashMap<>(run.config().train());
    params.putAll(trial.params());
    if (targetEpochs > 0) {
      params.put("epochs", (long) targetEpochs);
    } else if (!params.containsKey("epochs")) {
      params.put("epochs", (long) DEFAULT_EPOCHS);
    }
    // The trial seed depends on the sweep seed and trial number only, so a retry repeats the attempt exactly;
    // with retry_seed: new, a retry's seed derives from the trial seed and the attempt number instead.
    long trialSeed = retrySeed(Seeds.forIndex(run.seed(), 1_000_000L + trial.number()).nextLong(), attempt,
        run.spec().guards().retrySeed());
    TrialSpec spec = new TrialSpec(run.sweepId(), trial.number(), attempt, params, trialSeed, run.metric(),
        run.spec().directions().get(0) == Direction.MAXIMIZE, run.train(), run.val(), run.data().labels(),
        run.config().resources().requireGpu())
        .withArtifacts(Warehouse.qualify(run.config().artifactsOr(warehouse.root())))
        .withServing(servingSettings(run.spec()));
    // every trial gets the pinned weights; only those whose class_weights is 'table' use them
    return run.data().classWeightsTable() == null ? spec
        : spec.withClassWeights(run.data().classWeightsTable(), run.data().classWeights());
  }

  /** How trials of {@code spec} measure serving cost ({@code sweep.serving}). */
  private static dev.prepsweep.training.ServingSettings servingSettings(SweepSpec spec) {
    var o = spec.objectives();
    return new dev.prepsweep.training.ServingSettings(o.servingBatchSize(), o.servingCalls(), o.servingWarmupCalls());
  }

  /** The seed of an attempt: the trial's, or for a retry under {@code retry_seed: new} one derived from it and the attempt. */
  static long retrySeed(long trialSeed, int attempt, SweepSpec.RetrySeed policy) {
    return policy == SweepSpec.RetrySeed.NEW && attempt > 1 ? Seeds.forIndex(trialSeed, attempt).nextLong() : trialSeed;
  }

  /** Submits one attempt as its own Spark job; returns the job group (to cancel it). */
  private String submit(ExecutorCompletionService<Attempt> completions, JavaSparkContext jsc, ResourceProfile profile,
      ResultWriter writer, AttemptWatch watch, TrialSpec spec, List<TrialSpec> tasks, List<EpochMetrics> history) {
    writer.write(withoutOutcome(spec, "RUNNING", history, System.currentTimeMillis(), null, null));
    String group = spec.sweepId() + "-trial-" + spec.trialId() + "-" + spec.attempt();
    // the task's heartbeat: one add when it starts and one per epoch, carried by executor heartbeats
    LongAccumulator beat = watch.watch(group);
    completions.submit(() -> {
      // One Spark UI entry per trial attempt, named after it.
      jsc.setJobGroup(group, "prepsweep " + spec.sweepId() + " trial " + spec.trialId() + " attempt " + spec.attempt()
          + " " + spec.params(), true);
      try {
        // one task per spec: a trial's cross-validation folds train in parallel where slots allow
        var rdd = jsc.parallelize(tasks, tasks.size());
        if (profile != null) {
          rdd = rdd.withResources(profile);
        }
        return new Attempt(spec, tasks, rdd.map(s -> {
          beat.add(1);
          return TrialTask.run(s, m -> beat.add(1));
        }).collect());
      } catch (Exception e) {
        // The Spark job itself failed: cancelled, or the task was lost more often than spark.task.maxFailures.
        // (Spark 4 throws a cancelled job's SparkException, a checked exception, through collect() unwrapped.)
        long now = System.currentTimeMillis();
        return new Attempt(spec, tasks, List.of(new TrialOutcome(spec.sweepId(), spec.trialId(), spec.attempt(), false,
            "Spark job failed: " + e.getMessage(), List.of(), null, null, null, null, null, now, now)));
      }
    });
    return group;
  }

  /** The outcome with the driver's reason for ending it (the task only saw its job cancelled). */
  private static TrialOutcome withError(TrialOutcome o, String error) {
    return new TrialOutcome(o.sweepId(), o.trialId(), o.attempt(), false, error, o.epochs(), null, o.executorId(),
        o.host(), o.gpuAddress(), o.device(), o.startedAtMillis(), o.endedAtMillis(), o.modelUri(), o.resumedFromEpoch(),
        o.serving());
  }

  /** The outcome of an attempt whose executor died: the task could not say where it ran, the loss does. */
  private static TrialOutcome lostOn(TrialOutcome o, String error, ExecutorLoss loss) {
    return new TrialOutcome(o.sweepId(), o.trialId(), o.attempt(), false, error, o.epochs(), null, loss.executorId(),
        loss.host(), o.gpuAddress(), o.device(), o.startedAtMillis(), o.endedAtMillis(), o.modelUri(), o.resumedFromEpoch());
  }

  /** An attempt with no task outcome to report: RUNNING when submitted, or lost with a driver that died. */
  private static TrialRecord withoutOutcome(TrialSpec spec, String state, List<EpochMetrics> history, long startedAt,
      Long endedAt, String error) {
    return new TrialRecord(spec.sweepId(), spec.trialId(), spec.attempt(), state, List.of(), spec.params(), spec.seed(),
        best(history, spec.objective(), spec.maximize()), history, null, null, null, null, startedAt, endedAt, error,
        spec.train(), spec.val(), null, 0, null, null, null, classWeightsChoice(spec), classWeightsVersion(spec), null,
        List.of(), null, List.of());
  }

  private static TrialRecord record(FoldTrials cv, TrialSpec spec, String state, List<Double> values, TrialOutcome o,
      List<EpochMetrics> history) {
    return record(cv, spec, state, values, o, history, Double.NaN);
  }

  /** A record with the attempt's serving cost and its constraint violation (NaN: the sweep has no constraints). */
  private static TrialRecord record(FoldTrials cv, TrialSpec spec, String state, List<Double> values, TrialOutcome o,
      List<EpochMetrics> history, double violation) {
    EpochMetrics best = best(history, spec.objective(), spec.maximize());
    List<List<EpochMetrics>> folds = cv.byFold(spec.trialId());
    // under cross-validation: each fold's objective at the trial's best (fold-averaged) epoch, and their spread
    List<Double> foldValues = folds.isEmpty() || best == null ? List.of()
        : FoldRounds.foldValues(folds, best.epoch(), spec.objective());
    return new TrialRecord(spec.sweepId(), spec.trialId(), spec.attempt(), state, values, spec.params(), spec.seed(),
        best, history, o.executorId(), o.host(), o.gpuAddress(), o.device(),
        o.startedAtMillis(), o.endedAtMillis(), o.error(), spec.train(), spec.val(), o.modelUri(), o.resumedFromEpoch(),
        o.serving(), Double.isNaN(violation) ? null : violation, null, classWeightsChoice(spec), classWeightsVersion(spec),
        cv.enabled() ? cv.folds() : null, foldValues, foldValues.isEmpty() ? null : FoldRounds.std(foldValues), folds);
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

  /**
   * The stage-level resources of a trial task: its cores, its GPU share, and one trainer slot where
   * executors have them. Null where Spark cannot schedule per stage (local mode) or nothing is asked.
   */
  private ResourceProfile trialProfile(TrialResources resources) {
    if (SparkSessions.isSingleJvm(spark)) {
      return null;
    }
    TaskResourceRequests requests = new TaskResourceRequests().cpus(resources.cpus());
    boolean custom = resources.cpus() != 1;
    if (resources.gpus() > 0) {
      requests.resource("gpu", resources.gpus());
      custom = true;
    }
    if (SparkSessions.hasTrainerSlots(spark)) {
      requests.resource(SparkSessions.TRAINER_RESOURCE, 1.0);
      custom = true;
    }
    return custom ? new ResourceProfileBuilder().require(requests).build() : null;
  }

  /** An attempt's spec, the task specs it ran (one, or one per fold under cross-validation) and their outcomes. */
  record Attempt(TrialSpec spec, List<TrialSpec> tasks, List<TrialOutcome> outcomes) {}

  /** A close action that throws nothing checked. */
  private interface Cleanup extends AutoCloseable {
    @Override
    void close();
  }

  /** Counts, best so far and a time-left estimate, logged as one readable progress line. */
  static final class Progress extends ProgressCount {
    private final SweepRun run;
    private final boolean maximize;
    private final int parallelism;
    private final long startedNanos = System.nanoTime();
    private double trialSecondsSum;
    private int timed;
    Integer bestTrial;
    Double bestValue;

    Progress(SweepRun run, boolean maximize, int parallelism) {
      this.run = run;
      this.maximize = maximize;
      this.parallelism = parallelism;
    }

    /** The sweep's row with these counts and best so far. */
    SweepRecord sweepRecord(SweepRecord.Builder row, String status, String message) {
      return row.build(status, message, complete, failed, pruned, bestTrial, bestValue);
    }

    /** Counts what a resumed sweep had already finished. */
    void seed(List<Trial> trials) {
      for (Trial t : trials) {
        if (t.state() == TrialState.COMPLETE) {
          complete(t.number());
          better(t.number(), t.values().get(0));
        } else if (t.state() == TrialState.FAILED) {
          failed(t.number());
        } else if (t.state() == TrialState.PRUNED) {
          pruned(t.number());
        }
      }
    }

    void complete(int trial, double value, TrialOutcome o, boolean feasible) {
      complete(trial);
      if (feasible) {
        better(trial, value);
      }
      double seconds = (o.endedAtMillis() - o.startedAtMillis()) / 1000.0;
      trialSecondsSum += seconds;
      timed++;
      LOG.info("trial {} COMPLETE {}={} in {} s on executor {}", trial, run.metric(), String.format("%.4f", value),
          String.format("%.1f", seconds), o.executorId());
    }

    private void better(int trial, double value) {
      if (bestValue == null || (maximize ? value > bestValue : value < bestValue)) {
        bestValue = value;
        bestTrial = trial;
      }
    }

    void pruned(int trial, int epoch) {
      pruned(trial);
      LOG.info("trial {} paused/pruned at epoch {}", trial, epoch);
    }

    void failed(int trial, String error) {
      failed(trial);
      LOG.warn("trial {} FAILED: {}", trial, error);
    }

    void log(int running) {
      int budget = run.spec().budget().trials();
      int left = Math.max(0, budget - done());
      String eta = timed == 0 ? "?" : String.format("%.0f s", Math.ceil((double) left / parallelism) * trialSecondsSum / timed);
      LOG.info("sweep {}: {}/{} done, {} running, {} pruned, {} failed; best {} {}; about {} left ({} s so far)",
          run.sweepId(), done(), budget, running, pruned, failed, run.metric(),
          bestValue == null ? "-" : String.format("%.4f (trial %d)", bestValue, bestTrial), eta,
          (System.nanoTime() - startedNanos) / 1_000_000_000L);
    }
  }
}
