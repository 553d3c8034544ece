package dev.prepsweep.app.driver;

import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.app.config.JobDefaults;
import dev.prepsweep.app.results.ResultTables;
import dev.prepsweep.app.results.ResultWriter;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.sweep.study.Study;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.training.ModelCheck;
import dev.prepsweep.training.TrialSpec;
import dev.prepsweep.training.torchscript.ModelCheckException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and resumes sweeps: pins the data, checks a user's model, rebuilds a resumed sweep's study
 * from its tables, takes the sweep's lease, and hands the trials to a {@link SweepScheduler} that runs
 * them on the executors ({@link SlotTrialLauncher}, or {@link SparkTrialLauncher} with {@code launcher: job}) and records every attempt in Delta through a
 * {@link ResultWriter}. A sweep whose driver died is continued with {@link #resume}.
 */
public final class SweepDriver {

  private static final Logger LOG = LoggerFactory.getLogger(SweepDriver.class);
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(ZoneOffset.UTC);
  /** How often the scheduler wakes without a finished trial, to log progress and check for cancellation. */
  private static final long POLL_MILLIS = 5_000;
  private static final long PROGRESS_EVERY_MILLIS = 30_000;

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
    return execute(run, warmStarted(Study.fromSpec(spec, config.seed()), spec), SweepScheduler.History.NONE);
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
      SweepResume.Resumed resumed = SweepResume.read(spark, warehouse, sweepId, row, config, spec);
      return execute(resumed.run(), warmStarted(resumed.study(), spec), resumed.history(), lease);
    } catch (RuntimeException e) {
      lease.lease().close();
      throw e;
    }
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

  /** Runs a new sweep under a new lease. */
  private SweepSummary execute(SweepRun run, Study study, SweepScheduler.History history) {
    return execute(run, study, history,
        SweepLease.acquire(hadoopConf(), warehouse.root(), run.sweepId(), run.spec().guards().driverLease()));
  }

  /** Runs the sweep while holding its lease, its trials as Spark jobs; gives the lease up when done. */
  private SweepSummary execute(SweepRun run, Study study, SweepScheduler.History history, SweepLease.Acquired lease) {
    SweepSpec spec = run.spec();
    int parallelism = SparkTrialLauncher.parallelism(spark, spec.parallelism());
    SparkConf conf = spark.sparkContext().getConf();
    SweepScheduler.Settings settings = new SweepScheduler.Settings(parallelism, POLL_MILLIS, PROGRESS_EVERY_MILLIS,
        // reruns after executor losses that were not the trial's fault: bounded like Spark's own task reruns
        conf.getInt("spark.task.maxFailures", 4),
        new HangRule(spec.guards().trialTimeout(), spec.guards().missedHeartbeats(),
            conf.getTimeAsMs("spark.executor.heartbeatInterval", "10s")),
        spark.sparkContext().master(), SparkTrialLauncher.executorWaitMillis(conf));
    SweepScheduler.History resumed = history.withPreviousDriver(lease.previous()
        .map(h -> " (driver " + h.owner() + " on " + h.host() + ", pid " + h.pid() + ")").orElse(""));
    AttemptSpecs specs = new AttemptSpecs(run, Warehouse.qualify(run.config().artifactsOr(warehouse.root())));
    // Closed in reverse order: the launcher (its trial jobs cancelled by the scheduler) before the writer's last flush.
    try (SweepLease held = lease.lease();
        ResultWriter writer = new ResultWriter(spark, warehouse, ResultTables.paramsType(spec.space()));
        TrialLauncher launcher = launcher(run, parallelism)) {
      SweepScheduler.Controls controls = new SweepScheduler.Controls() {
        @Override
        public boolean cancelRequested() {
          return warehouse.isCancelRequested(run.sweepId());
        }

        @Override
        public Optional<String> leaseLost() {
          return held.lost() ? Optional.of(held.lostReason()) : Optional.empty();
        }
      };
      return new SweepScheduler(run, specs, study, launcher, new ResultRecords(writer), controls,
          System::currentTimeMillis, settings).run(resumed);
    }
  }

  /** The sweep's {@code launcher}: one long-running task per trainer slot, or one Spark job per attempt. */
  private TrialLauncher launcher(SweepRun run, int parallelism) {
    return run.spec().guards().launcher() == SweepSpec.Launcher.SLOTS
        ? new SlotTrialLauncher(spark, run.config().resources(), parallelism, run.sweepId())
        : new SparkTrialLauncher(spark, run.config().resources(), parallelism);
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
}
