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
import dev.prepsweep.sweep.sampler.SamplerFactory;
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
 * (running trials are passed to it), retries failed attempts, stops on the budget and records
 * every attempt in Delta through a {@link ResultWriter}. Executors receive only {@link TrialSpec}s.
 */
public final class SweepDriver {

  private static final Logger LOG = LoggerFactory.getLogger(SweepDriver.class);
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final SparkSession spark;
  private final Warehouse warehouse;
  private final JobConfig config;

  public SweepDriver(SparkSession spark, Warehouse warehouse, JobConfig config) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.config = config;
  }

  /** Runs a new sweep to the end of its budget. */
  public SweepSummary run() {
    SweepSpec spec = config.requireSweep();
    long seed = spec.seedOr(config.seed());
    List<Direction> directions = spec.directions();
    String metric = spec.metrics().get(0).name();
    boolean maximize = directions.get(0) == Direction.MAXIMIZE;

    TableVersion train = warehouse.latest("train");
    TableVersion val = warehouse.latest("val");
    List<String> trainFiles = warehouse.dataFiles(train);
    List<String> valFiles = warehouse.dataFiles(val);
    List<String> labels = labels(train);
    long started = System.currentTimeMillis();
    String sweepId = "sw-" + ID_TIME.format(Instant.ofEpochMilli(started)) + "-" + config.hash().substring(0, 6);

    int parallelism = spec.parallelism();
    if (SparkSessions.isSingleJvm(spark) && parallelism > 1) {
      LOG.warn("master {} runs every task in one JVM, where DJL can train only one model at a time:"
          + " running 1 trial at a time instead of {}. Use the embedded default (bin/prepsweep with no"
          + " --master) or a cluster for parallel trials.", spark.sparkContext().master(), parallelism);
      parallelism = 1;
    }
    Study study = new Study(spec.space(), directions, SamplerFactory.create(spec.method(), spec.space(), directions, seed),
        spec.pruner(seed));
    Map<String, Long> versions = new LinkedHashMap<>();
    versions.put(train.name(), train.version());
    versions.put(val.name(), val.version());
    Map<String, String> paths = Map.of(train.name(), train.path(), val.name(), val.path());
    LOG.info("sweep {}: {} trials of method '{}' ({} at a time), {} {} on {} and {}",
        sweepId, spec.budget().trials(), spec.method(), parallelism, maximize ? "maximising" : "minimising", metric, train, val);

    ResourceProfile profile = trialProfile(config.resources());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "prepsweep-trial-launcher");
      t.setDaemon(true);
      return t;
    });
    ExecutorCompletionService<Attempt> completions = new ExecutorCompletionService<>(pool);
    Progress progress = new Progress(sweepId, spec.budget().trials(), metric, maximize);
    String status = "COMPLETE";
    String message = null;
    try (ResultWriter writer = new ResultWriter(spark, warehouse, ResultTables.paramsType(spec.space()))) {
      SweepRecord.Builder sweepRow = new SweepRecord.Builder(sweepId, spec, seed, parallelism,
          spark.sparkContext().master(), versions, paths, config, started);
      writer.write(sweepRow.build("RUNNING", null, 0, 0, null, null));
      int launched = 0;
      int running = 0;
      Map<Integer, Integer> attempts = new HashMap<>();
      Map<Integer, Trial> active = new HashMap<>();
      boolean stop = false;
      while (true) {
        while (!stop && running < parallelism && launched < spec.budget().trials()) {
          Trial trial = study.ask();
          launched++;
          attempts.put(trial.number(), 1);
          active.put(trial.number(), trial);
          submit(completions, jsc, profile, writer, trialSpec(sweepId, trial, 1, seed, spec, train, val, trainFiles, valFiles, labels));
          running++;
        }
        if (running == 0) {
          break;
        }
        Future<Attempt> next = completions.poll(30, TimeUnit.SECONDS);
        if (next == null) {
          progress.log(running);
          continue;
        }
        running--;
        Attempt done = next.get();
        TrialOutcome outcome = done.outcome();
        Trial trial = active.get(done.spec().trialId());
        if (outcome.complete()) {
          List<Double> values = spec.metrics().stream().map(m -> outcome.best().metric(m.name())).toList();
          study.tell(trial.number(), values);
          active.remove(trial.number());
          writer.write(record(done.spec(), "COMPLETE", values.get(0), outcome));
          progress.complete(trial.number(), values.get(0), outcome);
          if (spec.budget().reachesTarget(values.get(0), directions.get(0))) {
            LOG.info("sweep {}: trial {} reached the target {}; stopping", sweepId, trial.number(), spec.budget().target().getAsDouble());
            stop = true;
          }
        } else {
          writer.write(record(done.spec(), "FAILED", null, outcome));
          int attempt = attempts.get(trial.number());
          if (attempt <= spec.maxRetries() && !stop) {
            attempts.put(trial.number(), attempt + 1);
            LOG.warn("trial {} attempt {} failed ({}); retrying", trial.number(), attempt, outcome.error());
            submit(completions, jsc, profile, writer, trialSpec(sweepId, trial, attempt + 1, seed, spec, train, val, trainFiles, valFiles, labels));
            running++;
            continue;
          }
          study.tell(trial.number(), TrialState.FAILED);
          active.remove(trial.number());
          progress.failed(trial.number(), outcome.error());
          if (spec.budget().failures().isPresent() && progress.failed >= spec.budget().failures().getAsInt()) {
            status = "FAILED";
            message = progress.failed + " trials failed, the failure budget (" + spec.budget().failures().getAsInt() + ") is spent";
            LOG.error("sweep {}: {}; stopping", sweepId, message);
            stop = true;
          }
        }
        if (spec.budget().wallTime().isPresent()
            && System.currentTimeMillis() - started > spec.budget().wallTime().get().toMillis() && !stop) {
          LOG.warn("sweep {}: wall time {} used up; letting {} running trial(s) finish", sweepId, spec.budget().wallTime().get(), running);
          stop = true;
        }
        progress.log(running);
      }
      if (progress.complete == 0) {
        status = "FAILED";
        message = message != null ? message : "no trial completed; see the error column of trials";
      }
      writer.write(sweepRow.build(status, message, progress.complete, progress.failed, progress.bestTrial, progress.bestValue));
      writer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("sweep " + sweepId + " was interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("sweep " + sweepId + ": a trial launcher failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    LOG.info("sweep {} {}: {} complete, {} failed; best {} = {} (trial {})", sweepId, status, progress.complete,
        progress.failed, metric, progress.bestValue, progress.bestTrial);
    return new SweepSummary(sweepId, status, progress.complete, progress.failed, 0, progress.bestTrial,
        progress.bestValue, metric, maximize, versions);
  }

  private TrialSpec trialSpec(String sweepId, Trial trial, int attempt, long sweepSeed, SweepSpec spec, TableVersion train,
      TableVersion val, List<String> trainFiles, List<String> valFiles, List<String> labels) {
    Map<String, Object> params = new LinkedHashMap<>(config.train());
    params.putAll(trial.params());
    // The trial seed depends on the sweep seed and trial number only, so a retry repeats the attempt exactly.
    long trialSeed = Seeds.forIndex(sweepSeed, 1_000_000L + trial.number()).nextLong();
    return new TrialSpec(sweepId, trial.number(), attempt, params, trialSeed, spec.metrics().get(0).name(),
        spec.directions().get(0) == Direction.MAXIMIZE, train, val, trainFiles, valFiles, labels,
        config.resources().requireGpu());
  }

  private void submit(ExecutorCompletionService<Attempt> completions, JavaSparkContext jsc, ResourceProfile profile,
      ResultWriter writer, TrialSpec spec) {
    writer.write(new TrialRecord(spec.sweepId(), spec.trialId(), spec.attempt(), "RUNNING", null, spec.params(), spec.seed(),
        null, List.of(), null, null, null, null, System.currentTimeMillis(), null, null, spec.train(), spec.val()));
    completions.submit(() -> {
      jsc.setJobGroup(spec.sweepId() + "-trial-" + spec.trialId(), "prepsweep " + spec.sweepId() + " trial "
          + spec.trialId() + " attempt " + spec.attempt() + " " + spec.params(), true);
      try {
        var rdd = jsc.parallelize(List.of(spec), 1);
        if (profile != null) {
          rdd = rdd.withResources(profile);
        }
        return new Attempt(spec, rdd.map(TrialTask::run).collect().get(0));
      } catch (RuntimeException e) {
        // The Spark job itself failed (e.g. the task was lost more often than spark.task.maxFailures).
        long now = System.currentTimeMillis();
        return new Attempt(spec, new TrialOutcome(spec.sweepId(), spec.trialId(), spec.attempt(), false,
            "Spark job failed: " + e.getMessage(), List.of(), null, null, null, null, null, now, now));
      }
    });
  }

  private static TrialRecord record(TrialSpec spec, String state, Double value, TrialOutcome o) {
    return new TrialRecord(spec.sweepId(), spec.trialId(), spec.attempt(), state, value, spec.params(), spec.seed(),
        o.best(), o.epochs(), o.executorId(), o.host(), o.gpuAddress(), o.device(), o.startedAtMillis(),
        o.endedAtMillis(), o.error(), spec.train(), spec.val());
  }

  /**
   * The stage-level resources of a trial task: its cores, its GPU share, and the embedded cluster's
   * one trainer slot. Null where Spark cannot schedule per stage (local mode) or nothing is asked.
   */
  private ResourceProfile trialProfile(TrialResources resources) {
    if (spark.sparkContext().master().startsWith("local[") || spark.sparkContext().master().equals("local")) {
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

  /** Counts and the best value so far, logged as one readable progress line. */
  static final class Progress {
    private final String sweepId;
    private final int budget;
    private final String metric;
    private final boolean maximize;
    int complete;
    int failed;
    Integer bestTrial;
    Double bestValue;

    Progress(String sweepId, int budget, String metric, boolean maximize) {
      this.sweepId = sweepId;
      this.budget = budget;
      this.metric = metric;
      this.maximize = maximize;
    }

    void complete(int trial, double value, TrialOutcome o) {
      complete++;
      if (bestValue == null || (maximize ? value > bestValue : value < bestValue)) {
        bestValue = value;
        bestTrial = trial;
      }
      LOG.info("trial {} COMPLETE {}={} in {} s on executor {}", trial, metric, String.format("%.4f", value),
          String.format("%.1f", (o.endedAtMillis() - o.startedAtMillis()) / 1000.0), o.executorId());
    }

    void failed(int trial, String error) {
      failed++;
      LOG.warn("trial {} FAILED: {}", trial, error);
    }

    void log(int running) {
      LOG.info("sweep {}: {}/{} done, {} running, {} failed; best {} {}", sweepId, complete + failed, budget, running,
          failed, metric, bestValue == null ? "-" : String.format("%.4f (trial %d)", bestValue, bestTrial));
    }
  }
}
