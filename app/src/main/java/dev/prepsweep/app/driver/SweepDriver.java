package dev.prepsweep.app.driver;

import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.app.config.TrialResources;
import dev.prepsweep.app.results.ResultTables;
import dev.prepsweep.app.results.ResultWriter;
import dev.prepsweep.app.results.SweepRecord;
import dev.prepsweep.app.results.TrialRecord;
import dev.prepsweep.app.spark.SparkSessions;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.sweep.sampler.Seeds;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Study;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import dev.prepsweep.training.TrialOutcome;
import dev.prepsweep.training.TrialSpec;
import dev.prepsweep.training.TrialTask;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
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
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  /** How often the loop wakes without a finished trial, to log progress and check for cancellation. */
  private static final long POLL_SECONDS = 5;
  private static final long PROGRESS_EVERY_MILLIS = 30_000;

  private final SparkSession spark;
  private final Warehouse warehouse;

  public SweepDriver(SparkSession spark, Warehouse warehouse) {
    this.spark = spark;
    this.warehouse = warehouse;
  }

  /** Starts a new sweep of {@code config} on the latest train/val versions and runs it to the end of its budget. */
  public SweepSummary run(JobConfig config) {
    SweepSpec spec = config.requireSweep();
    TableVersion train = warehouse.latest("train");
    TableVersion val = warehouse.latest("val");
    long started = System.currentTimeMillis();
    String sweepId = "sw-" + ID_TIME.format(Instant.ofEpochMilli(started)) + "-" + config.hash().substring(0, 6);
    SweepRun run = new SweepRun(sweepId, config, spec, spec.seedOr(config.seed()), train, val,
        warehouse.dataFiles(train), warehouse.dataFiles(val), labels(train), started);
    return execute(run, Study.fromSpec(spec, config.seed()), Map.of());
  }

  /**
   * Continues a sweep from its tables after its driver died: the study is rebuilt from the trials
   * recorded so far (same sampler state as before the crash), trials left RUNNING are run again as
   * their next attempt, and new trials fill the rest of the budget. The sweep trains on the data
   * versions it started with.
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
    Map<String, Long> versions = row.getJavaMap(row.fieldIndex("data_versions"));
    Map<String, String> paths = row.getJavaMap(row.fieldIndex("data_paths"));
    TableVersion train = new TableVersion("train", paths.get("train"), versions.get("train"));
    TableVersion val = new TableVersion("val", paths.get("val"), versions.get("val"));
    long seed = row.<Long>getAs("seed");
    List<SweepHistory.StoredTrial> stored = SweepHistory.trials(spark, warehouse, sweepId, spec.space());
    List<Trial> history = stored.stream().map(SweepHistory.StoredTrial::trial).toList();
    Map<Integer, Integer> relaunch = new LinkedHashMap<>();
    for (SweepHistory.StoredTrial t : stored) {
      if (t.trial().state() == TrialState.RUNNING) {
        relaunch.put(t.trial().number(), t.lastAttempt() + 1);
      }
    }
    LOG.info("resuming sweep {}: {} trials recorded, {} to run again, data {} {}", sweepId, history.size(),
        relaunch.size(), train, val);
    SweepRun run = new SweepRun(sweepId, config, spec, seed, train, val, warehouse.dataFiles(train),
        warehouse.dataFiles(val), labels(train), row.<java.sql.Timestamp>getAs("started_at").getTime());
    return execute(run, Study.resumeKeepingRunning(spec, seed, history), relaunch);
  }

  private SweepSummary execute(SweepRun run, Study study, Map<Integer, Integer> relaunch) {
    SweepSpec spec = run.spec();
    List<Direction> directions = spec.directions();
    boolean maximize = directions.get(0) == Direction.MAXIMIZE;
    int parallelism = effectiveParallelism(spec.parallelism());
    LOG.info("sweep {}: {} trials of method '{}' ({} at a time), {} {} on {} and {}", run.sweepId(),
        spec.budget().trials(), spec.method(), parallelism, maximize ? "maximising" : "minimising", run.metric(),
        run.train(), run.val());

    ResourceProfile profile = trialProfile(run.config().resources());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "prepsweep-trial-launcher");
      t.setDaemon(true);
      return t;
    });
    ExecutorCompletionService<Attempt> completions = new ExecutorCompletionService<>(pool);
    Progress progress = new Progress(run, maximize, parallelism);
    progress.seed(study.trials());
    String status = "COMPLETE";
    String message = null;
    SweepRecord.Builder sweepRow = new SweepRecord.Builder(run.sweepId(), spec, run.seed(), parallelism,
        spark.sparkContext().master(), run.dataVersions(), run.dataPaths(), run.config(), run.startedAtMillis());
    try (ResultWriter writer = new ResultWriter(spark, warehouse, ResultTables.paramsType(spec.space()))) {
      writer.write(sweepRow.build("RUNNING", null, progress.complete, progress.failed, progress.bestTrial, progress.bestValue));
      Map<Integer, Integer> attempts = new HashMap<>(relaunch);
      Map<Integer, String> runningGroups = new LinkedHashMap<>();
      List<Integer> queued = new ArrayList<>(relaunch.keySet());
      boolean stop = false;
      boolean cancelled = false;
      long lastProgress = System.currentTimeMillis();
      while (true) {
        while (!stop && runningGroups.size() < parallelism) {
          Trial trial;
          int attempt;
          if (!queued.isEmpty()) {
            trial = study.trial(queued.remove(0));
            attempt = attempts.get(trial.number());
          } else if (study.trials().size() < spec.budget().trials()) {
            try {
              trial = study.ask();
            } catch (NoSuchElementException exhausted) {
              LOG.info("sweep {}: the sampler has nothing left to propose ({}); ending early", run.sweepId(), exhausted.getMessage());
              stop = true;
              break;
            }
            attempt = 1;
            attempts.put(trial.number(), 1);
          } else {
            break;
          }
          TrialSpec trialSpec = trialSpec(run, trial, attempt);
          runningGroups.put(trial.number(), submit(completions, jsc, profile, writer, trialSpec));
        }
        if (runningGroups.isEmpty()) {
          break;
        }
        Future<Attempt> next = completions.poll(POLL_SECONDS, TimeUnit.SECONDS);
        if (!cancelled && warehouse.isCancelRequested(run.sweepId())) {
          cancelled = true;
          stop = true;
          status = "CANCELLED";
          message = "cancelled on request";
          LOG.warn("sweep {}: cancel requested; stopping {} running trial(s)", run.sweepId(), runningGroups.size());
          runningGroups.values().forEach(jsc::cancelJobGroup);
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
        TrialOutcome outcome = done.outcome();
        runningGroups.remove(ts.trialId());
        if (cancelled && !outcome.complete()) {
          writer.write(record(ts, "CANCELLED", List.of(), outcome));
          study.tell(ts.trialId(), TrialState.FAILED);
          continue;
        }
        if (outcome.complete()) {
          List<Double> values = spec.metrics().stream().map(m -> outcome.best().metric(m.name())).toList();
          study.tell(ts.trialId(), values);
          writer.write(record(ts, "COMPLETE", values, outcome));
          progress.complete(ts.trialId(), values.get(0), outcome);
          if (spec.budget().reachesTarget(values.get(0), directions.get(0))) {
            LOG.info("sweep {}: trial {} reached the target {}; stopping", run.sweepId(), ts.trialId(),
                spec.budget().target().getAsDouble());
            stop = true;
          }
        } else {
          writer.write(record(ts, "FAILED", List.of(), outcome));
          if (ts.attempt() <= spec.maxRetries() && !stop) {
            LOG.warn("trial {} attempt {} failed ({}); retrying", ts.trialId(), ts.attempt(), outcome.error());
            attempts.put(ts.trialId(), ts.attempt() + 1);
            queued.add(0, ts.trialId());
            continue;
          }
          study.tell(ts.trialId(), TrialState.FAILED);
          progress.failed(ts.trialId(), outcome.error());
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
        writer.write(sweepRow.build("RUNNING", null, progress.complete, progress.failed, progress.bestTrial, progress.bestValue));
      }
      if (progress.complete == 0 && !cancelled) {
        status = "FAILED";
        message = message != null ? message : "no trial completed; see the error column of trials";
      }
      writer.write(sweepRow.build(status, message, progress.complete, progress.failed, progress.bestTrial, progress.bestValue));
      writer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("sweep " + run.sweepId() + " was interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("sweep " + run.sweepId() + ": a trial launcher failed: " + e.getCause().getMessage(),
          e.getCause());
    } finally {
      pool.shutdownNow();
    }
    LOG.info("sweep {} {}: {} complete, {} failed; best {} = {} (trial {})", run.sweepId(), status, progress.complete,
        progress.failed, run.metric(), progress.bestValue, progress.bestTrial);
    return new SweepSummary(run.sweepId(), status, progress.complete, progress.failed, 0, progress.bestTrial,
        progress.bestValue, run.metric(), maximize, run.dataVersions());
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

  private static TrialSpec trialSpec(SweepRun run, Trial trial, int attempt) {
    Map<String, Object> params = new LinkedHashMap<>(run.config().train());
    params.putAll(trial.params());
    // The trial seed depends on the sweep seed and trial number only, so a retry repeats the attempt exactly.
    long trialSeed = Seeds.forIndex(run.seed(), 1_000_000L + trial.number()).nextLong();
    return new TrialSpec(run.sweepId(), trial.number(), attempt, params, trialSeed, run.metric(),
        run.spec().directions().get(0) == Direction.MAXIMIZE, run.train(), run.val(), run.trainFiles(), run.valFiles(),
        run.labels(), run.config().resources().requireGpu());
  }

  /** Submits one attempt as its own Spark job; returns the job group (to cancel it). */
  private String submit(ExecutorCompletionService<Attempt> completions, JavaSparkContext jsc, ResourceProfile profile,
      ResultWriter writer, TrialSpec spec) {
    writer.write(new TrialRecord(spec.sweepId(), spec.trialId(), spec.attempt(), "RUNNING", List.of(), spec.params(),
        spec.seed(), null, List.of(), null, null, null, null, System.currentTimeMillis(), null, null, spec.train(),
        spec.val()));
    String group = spec.sweepId() + "-trial-" + spec.trialId() + "-" + spec.attempt();
    completions.submit(() -> {
      // One Spark UI entry per trial attempt, named after it.
      jsc.setJobGroup(group, "prepsweep " + spec.sweepId() + " trial " + spec.trialId() + " attempt " + spec.attempt()
          + " " + spec.params(), true);
      try {
        var rdd = jsc.parallelize(List.of(spec), 1);
        if (profile != null) {
          rdd = rdd.withResources(profile);
        }
        return new Attempt(spec, rdd.map(TrialTask::run).collect().get(0));
      } catch (RuntimeException e) {
        // The Spark job itself failed: cancelled, or the task was lost more often than spark.task.maxFailures.
        long now = System.currentTimeMillis();
        return new Attempt(spec, new TrialOutcome(spec.sweepId(), spec.trialId(), spec.attempt(), false,
            "Spark job failed: " + e.getMessage(), List.of(), null, null, null, null, null, now, now));
      }
    });
    return group;
  }

  private static TrialRecord record(TrialSpec spec, String state, List<Double> values, TrialOutcome o) {
    return new TrialRecord(spec.sweepId(), spec.trialId(), spec.attempt(), state, values, spec.params(), spec.seed(),
        o.best(), o.epochs(), o.executorId(), o.host(), o.gpuAddress(), o.device(), o.startedAtMillis(),
        o.endedAtMillis(), o.error(), spec.train(), spec.val());
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

  /** Label names in label_index order, from the pinned train snapshot (a handful of rows). */
  private List<String> labels(TableVersion train) {
    List<Row> rows = spark.read().format("delta").option("versionAsOf", train.version()).load(train.path())
        .select("label_index", "label").distinct().orderBy("label_index").collectAsList();
    List<String> labels = new ArrayList<>();
    for (Row r : rows) {
      if (r.getInt(0) != labels.size()) {
        throw new IllegalStateException("table " + train + " has label_index values that are not 0.." + (rows.size() - 1));
      }
      labels.add(r.getString(1));
    }
    return labels;
  }

  record Attempt(TrialSpec spec, TrialOutcome outcome) {}

  /** Counts, best so far and a time-left estimate, logged as one readable progress line. */
  static final class Progress {
    private final SweepRun run;
    private final boolean maximize;
    private final int parallelism;
    private final long startedNanos = System.nanoTime();
    private double trialSecondsSum;
    private int timed;
    int complete;
    int failed;
    Integer bestTrial;
    Double bestValue;

    Progress(SweepRun run, boolean maximize, int parallelism) {
      this.run = run;
      this.maximize = maximize;
      this.parallelism = parallelism;
    }

    /** Counts what a resumed sweep had already finished. */
    void seed(List<Trial> trials) {
      for (Trial t : trials) {
        if (t.state() == TrialState.COMPLETE) {
          complete++;
          better(t.number(), t.values().get(0));
        } else if (t.state() == TrialState.FAILED) {
          failed++;
        }
      }
    }

    void complete(int trial, double value, TrialOutcome o) {
      complete++;
      better(trial, value);
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

    void failed(int trial, String error) {
      failed++;
      LOG.warn("trial {} FAILED: {}", trial, error);
    }

    void log(int running) {
      int budget = run.spec().budget().trials();
      int left = Math.max(0, budget - complete - failed);
      String eta = timed == 0 ? "?" : String.format("%.0f s", Math.ceil((double) left / parallelism) * trialSecondsSum / timed);
      LOG.info("sweep {}: {}/{} done, {} running, {} failed; best {} {}; about {} left ({} s so far)", run.sweepId(),
          complete + failed, budget, running, failed, run.metric(),
          bestValue == null ? "-" : String.format("%.4f (trial %d)", bestValue, bestTrial), eta,
          (System.nanoTime() - startedNanos) / 1_000_000_000L);
    }
  }
}
