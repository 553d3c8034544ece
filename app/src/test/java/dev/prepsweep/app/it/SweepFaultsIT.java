package dev.prepsweep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.cli.Main;
import dev.prepsweep.app.spark.SparkSessions;
import dev.prepsweep.sweep.sampler.Seeds;
import dev.prepsweep.testkit.LocalProcesses;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import scala.Option;

/**
 * The failures clusters have, on real Spark processes: a worker lost mid-trial, an executor removed
 * mid-trial, executors added under dynamic allocation (these three on the test JVM's
 * {@link SharedCluster}), a driver killed mid-sweep and resumed, and GPU scheduling with a fake
 * discovery script (its own one-worker cluster: its GPU addresses must be one worker's).
 */
class SweepFaultsIT {

  private static final Path WORK = Path.of("target/it-faults").toAbsolutePath();
  /**
   * Trials long enough that a kill lands while they run: a first trial on a new executor spends about
   * 25 s warming up (engine, pinned data) before its epochs, a later one about 5 s on its 60 epochs.
   */
  private static final String SWEEP = """
      train: {epochs: 60, hash_dim: 512, hidden: 32}
      sweep:
        method: random
        metric: {name: val_accuracy, goal: maximize}
        parameters:
          lr: {distribution: log_uniform, min: 1.0e-3, max: 1.0e-2}
        budget: {trials: 6}
        parallelism: 2
      """;
  /**
   * The driver-crash sweep's budget: two trials complete before the crash, two are running at it
   * (orphans to close and rerun) and two are new to the resumed driver (trial numbers go on).
   */
  private static final int CRASH_BUDGET = 6;
  /** The driver-crash sweep's seed, from which its trials' seeds derive (SweepDriver.trialSpec). */
  private static final long CRASH_SEED = 21;
  /** The log of the lost-worker case's driver (spark-submit) among the shared cluster's processes. */
  private static final String LOST_SUBMIT = "faults-lost-worker";
  /**
   * A session for reading results, opened only after the test's jobs ran: jobs run in this JVM
   * (prep, resume) stop the session they used, which getOrCreate would have shared.
   */
  private static SparkSession checks() {
    return SparkSessions.create("local[2]", "SweepFaultsIT checks");
  }

  @AfterEach
  void stopChecks() {
    if (SparkSession.getActiveSession().isDefined()) {
      SparkSession.getActiveSession().get().stop();
    }
  }

  @Test
  void lostExecutorsAreRecordedAsLostAttemptsAndEveryTrialCompletesOnce() throws Exception {
    Path dir = WORK.resolve("lost-worker");
    Path warehouse = PreparedSplits.warehouse(dir.resolve("warehouse"));
    Path config = PreparedSplits.config(dir, SWEEP);
    String killed;
    String driverLog;
    StandaloneCluster cluster = SharedCluster.whole();
    try {
      // two executors of two cores, on two of the shared cluster's workers
      Process submit = cluster.submit(LOST_SUBMIT, List.of("spark.executor.cores=2", "spark.executor.memory=1g",
              "spark.cores.max=4"),
          "sweep", "--config", config.toString(), "--warehouse", warehouse.toString());
      // kill -9 the executor of the first trial task to start (the driver logs each one), as it trains
      killed = awaitNextTaskStart(cluster, LOST_SUBMIT, 0);
      assertThat(cluster.killExecutor(killed)).as("executor %s is alive to be killed", killed).isTrue();
      cluster.procs.awaitLog(LOST_SUBMIT, "executor " + killed + " on ", Duration.ofMinutes(3));
      // then a whole worker running one of the sweep's executors, once a trial has completed
      // (generous waits: CI machines may be loaded)
      cluster.procs.awaitLog(LOST_SUBMIT, " COMPLETE val_accuracy=", Duration.ofMinutes(10));
      int worker = cluster.executorIds().stream().mapToInt(cluster::workerOf).filter(w -> w > 0).findFirst()
          .orElseThrow(() -> new AssertionError("no executor runs to lose its worker:\n" + cluster.procs.log(LOST_SUBMIT)));
      cluster.killWorker(worker);
      assertThat(submit.waitFor(10, TimeUnit.MINUTES)).as("sweep finished after losing a worker").isTrue();
      driverLog = cluster.procs.log(LOST_SUBMIT);
      assertThat(submit.exitValue()).as(driverLog).isZero();
    } finally {
      cluster.restartDownWorkers();
    }
    SparkSession spark = checks();
    Dataset<Row> trials = spark.read().format("delta").load(warehouse + "/trials");
    assertThat(trials.filter("state = 'COMPLETE'").count()).isEqualTo(6);
    assertThat(trials.filter("state = 'COMPLETE'").select("trial_id").distinct().count()).isEqualTo(6);
    assertThat(trials.groupBy("trial_id", "attempt").count().filter("count > 1").count())
        .as("no attempt recorded twice").isZero();
    assertThat(trials.filter("state NOT IN ('COMPLETE', 'LOST')").count())
        .as("an executor loss is not a failure of the trial").isZero();
    // the killed executor's attempt is on record, before its rerun, with who died and why
    List<Row> lost = trials.filter("state = 'LOST'").select("trial_id", "attempt", "error", "executor_id")
        .collectAsList();
    assertThat(lost).as(driverLog).anySatisfy(r -> {
      assertThat(r.getString(3)).isEqualTo(killed);
      assertThat(r.getString(2)).startsWith("executor " + killed + " on 127.0.0.1 was lost while running this attempt: ")
          .contains("the trial runs again as attempt " + (r.getInt(1) + 1));
    });
    for (Row r : lost) {
      assertThat(trials.filter("trial_id = " + r.getInt(0) + " AND attempt = " + (r.getInt(1) + 1)).count())
          .as("lost attempt %d of trial %d reran as the next attempt: %s", r.getInt(1), r.getInt(0), r.getString(2))
          .isEqualTo(1);
    }
    assertThat(spark.read().format("delta").load(warehouse + "/trial_metrics").groupBy("trial_id", "epoch").count()
        .filter("count > 1").count()).as("no epoch row twice").isZero();
    // the progress line's count never goes backwards
    Matcher done = Pattern.compile(": (\\d+)/6 done").matcher(driverLog);
    int last = 0;
    while (done.find()) {
      int now = Integer.parseInt(done.group(1));
      assertThat(now).as("progress went from %d to %d", last, now).isGreaterThanOrEqualTo(last);
      last = now;
    }
    assertThat(last).isEqualTo(6);
  }

  /**
   * Elastic executors (issue #17 item 6): under dynamic allocation from no executor at all (min 0, max 2), the
   * sweep waits for Spark to add executors, the added ones receive trials, idle ones are removed mid-sweep, and
   * every trial completes exactly once.
   */
  @Test
  void dynamicAllocationFromNoExecutorGrowsAndEveryTrialCompletesOnce() throws Exception {
    Path dir = WORK.resolve("elastic");
    Path warehouse = PreparedSplits.warehouse(dir.resolve("warehouse"));
    Path config = PreparedSplits.config(dir, SWEEP.replace("trials: 6", "trials: 4"));
    String driverLog;
    // the shared cluster's two trainer slots per worker: executors of the trials' profile and of the
    // default one (Delta writes) both fit
    StandaloneCluster cluster = SharedCluster.whole();
    Process submit = cluster.submit("faults-elastic", List.of("spark.executor.cores=1", "spark.executor.memory=512m",
            "spark.dynamicAllocation.enabled=true", "spark.dynamicAllocation.shuffleTracking.enabled=true",
            "spark.dynamicAllocation.minExecutors=0", "spark.dynamicAllocation.initialExecutors=0",
            "spark.dynamicAllocation.maxExecutors=2", "spark.dynamicAllocation.executorIdleTimeout=3s"),
        "sweep", "--config", config.toString(), "--warehouse", warehouse.toString());
    assertThat(submit.waitFor(8, TimeUnit.MINUTES)).as("sweep finished").isTrue();
    driverLog = cluster.procs.log("faults-elastic");
    assertThat(submit.exitValue()).as(driverLog).isZero();
    assertThat(driverLog).as("the in-flight limit followed the executors Spark added")
        .contains("the cluster has room for 2 trial(s) at once now (was 1)");
    SparkSession spark = checks();
    Dataset<Row> trials = spark.read().format("delta").load(warehouse + "/trials");
    assertThat(trials.filter("state = 'COMPLETE'").select("trial_id").distinct().count()).isEqualTo(4);
    assertThat(trials.filter("state = 'COMPLETE'").count()).as("each trial completed once").isEqualTo(4);
    assertThat(trials.groupBy("trial_id", "attempt").count().filter("count > 1").count())
        .as("no attempt recorded twice").isZero();
    assertThat(trials.filter("state NOT IN ('COMPLETE', 'LOST')").count()).as(driverLog).isZero();
    assertThat(trials.filter("state = 'COMPLETE'").select("executor_id").distinct().count())
        .as("executors added mid-sweep received trials").isGreaterThanOrEqualTo(2);
  }

  /**
   * An executor taken away while it runs a trial (issue #17 item 6), as dynamic allocation or an
   * operator removes one: the driver runs in this JVM so the test can call
   * {@code SparkContext.killExecutor} (a {@code @DeveloperApi}: what dynamic allocation calls on an
   * idle executor) on the executor of a running trial task. Spark stops it through the Master and
   * lowers the application's executor target, so the sweep finishes on the other executor. The
   * attempt is LOST with the executor and Spark's reason, the trial runs again as its next attempt,
   * and every trial completes once.
   */
  @Test
  void executorRemovedWhileRunningATrialIsLostAndRerun() throws Exception {
    Path dir = WORK.resolve("removed-executor");
    Path warehouse = PreparedSplits.warehouse(dir.resolve("warehouse"));
    // shorter trials than the other cases: the removal lands 2 s into a trial's first task, still warming up
    Path config = PreparedSplits.config(dir, SWEEP.replace("trials: 6", "trials: 3").replace("epochs: 60", "epochs: 20"));
    StandaloneCluster cluster = SharedCluster.whole();
    // what StandaloneCluster.submit's --conf would set (SparkConf reads spark.* system properties): two executors of
    // two cores, and small tables' partitions (Spark's default 200 made one executor's result writes take minutes)
    Map<String, String> conf = Map.of("spark.executor.resource.trainer.amount", "1", "spark.executor.cores", "2",
        "spark.executor.memory", "1g", "spark.cores.max", "4", "spark.driver.host", "127.0.0.1",
        "spark.ui.enabled", "false", "spark.sql.shuffle.partitions", "8", "spark.databricks.delta.snapshotPartitions", "2");
    conf.forEach(System::setProperty);
    ExecutorService driver = Executors.newSingleThreadExecutor();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String removed;
    try {
      Future<Integer> sweep = driver.submit(() -> Main.run(new String[] {"sweep", "--config", config.toString(),
          "--warehouse", warehouse.toString(), "--master", cluster.masterUrl,
          "--jars", ClusterInstall.clusterJar().toString()}, new PrintStream(out, true, StandardCharsets.UTF_8)));
      SparkContext sc = awaitDriver(cluster.masterUrl, sweep, out);
      TrialTasks tasks = new TrialTasks();
      sc.addSparkListener(tasks);
      removed = tasks.awaitRunning(Duration.ofMinutes(10), sweep, out);
      assertThat(sc.killExecutor(removed)).as("Spark accepted removing executor %s", removed).isTrue();
      // generous: CI machines may be loaded
      assertThat(sweep.get(10, TimeUnit.MINUTES)).as(out.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(tasks.endedRunning(removed)).as("executor %s was removed under a running trial task", removed).isTrue();
    } finally {
      driver.shutdownNow();
      conf.keySet().forEach(System::clearProperty);
    }
    SparkSession spark = checks();
    Dataset<Row> trials = spark.read().format("delta").load(warehouse + "/trials");
    String why = out.toString(StandardCharsets.UTF_8) + trials.collectAsList();
    assertThat(trials.filter("state = 'COMPLETE'").count()).as(why).isEqualTo(3);
    assertThat(trials.filter("state = 'COMPLETE'").select("trial_id").distinct().count()).as(why).isEqualTo(3);
    assertThat(trials.filter("state NOT IN ('COMPLETE', 'LOST')").count()).as(why).isZero();
    List<Row> lost = trials.filter("state = 'LOST'").select("trial_id", "attempt", "error", "executor_id").collectAsList();
    assertThat(lost).as(why).hasSize(1);
    Row r = lost.get(0);
    assertThat(r.getString(3)).isEqualTo(removed);
    assertThat(r.getString(2)).startsWith("executor " + removed + " on 127.0.0.1 was lost while running this attempt: ")
        .contains("killed by driver").contains("the trial runs again as attempt " + (r.getInt(1) + 1));
    assertThat(trials.filter("state = 'COMPLETE' AND trial_id = " + r.getInt(0) + " AND attempt = " + (r.getInt(1) + 1))
        .count()).as("the removed executor's trial reran as its next attempt: %s", why).isEqualTo(1);
    assertThat(spark.read().format("delta").load(warehouse + "/trial_metrics").groupBy("trial_id", "epoch").count()
        .filter("count > 1").count()).as("no epoch row twice").isZero();
  }

  /** The SparkContext of the sweep that {@code sweep} runs in this JVM on {@code master}, once it has started. */
  private static SparkContext awaitDriver(String master, Future<Integer> sweep, ByteArrayOutputStream out)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline && !sweep.isDone()) {
      Option<SparkSession> session = SparkSession.getDefaultSession();
      if (session.isDefined() && !session.get().sparkContext().isStopped()
          && master.equals(session.get().sparkContext().master())) {
        return session.get().sparkContext();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the sweep's driver did not start:\n" + out.toString(StandardCharsets.UTF_8));
  }

  /** The executor id of the first trial task started after {@code from} characters of driver {@code log}'s log. */
  static String awaitNextTaskStart(StandaloneCluster cluster, String log, int from) throws InterruptedException {
    Pattern started = Pattern.compile("-trial-\\d+-\\d+: task started on executor (\\S+) ");
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = started.matcher(cluster.procs.log(log));
      if (m.find(from)) {
        return m.group(1);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no trial task started:\n" + cluster.procs.log(log));
  }

  @Test
  void resumeAfterDriverCrashCompletesTheBudgetWithoutDuplicates() throws Exception {
    Path dir = WORK.resolve("driver-crash");
    Path warehouse = PreparedSplits.warehouse(dir.resolve("warehouse"));
    // short trials: what keeps attempts running at the crash is the first driver's executors hanging every trial
    // after the first two (TrialTask's test-only hang after epoch 1), not a long training; the resumed driver's
    // executors do not hang, so the reruns (same seed: retry_seed's default) and the new trials complete
    Path config = PreparedSplits.config(dir, SWEEP.replace("trials: 6", "trials: " + CRASH_BUDGET)
        .replace("epochs: 60", "epochs: 3") + "  seed: " + CRASH_SEED + "\n");
    String hang = IntStream.range(2, CRASH_BUDGET).mapToObj(t -> String.valueOf(Seeds.forTrial(CRASH_SEED, t)))
        .collect(Collectors.joining(","));
    try (LocalProcesses procs = new LocalProcesses(dir.resolve("logs"), Path.of("src/test/resources/it-cluster-log4j2.properties"))) {
      procs.java("driver", Map.of("SPARK_HOME", dir.resolve("spark-home").toString(), "SPARK_SCALA_VERSION", "2.13",
              "SPARK_LOCAL_IP", "127.0.0.1"), List.of("-Dspark.executor.extraJavaOptions=-Dprepsweep.test.hangSeeds=" + hang),
          "dev.prepsweep.app.cli.Main",
          "sweep", "--config", config.toString(), "--warehouse", warehouse.toString(), "--master", "local-cluster[2,2,1536]");
      procs.awaitLog("driver", "trial 1 COMPLETE", Duration.ofMinutes(5));
      // Results are written in batches a few seconds apart: kill once trials are on record, so the
      // resumed driver has finished and orphaned (RUNNING) attempts to pick up; the hung trials stay RUNNING.
      Path firstCommit = warehouse.resolve("trials/_delta_log/00000000000000000000.json");
      long deadline = System.currentTimeMillis() + Duration.ofMinutes(2).toMillis();
      while (!Files.exists(firstCommit) && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
      assertThat(firstCommit).as("the driver recorded trials before it was killed").exists();
      Process driver = procs.started().get(0);
      // One driver per sweep: resuming while the first driver is alive is refused, naming it.
      String running = Files.list(warehouse.resolve("_prepsweep/leases")).findFirst().orElseThrow().getFileName().toString();
      ByteArrayOutputStream refusedOut = new ByteArrayOutputStream();
      PrintStream stderr = System.err;
      ByteArrayOutputStream refusedErr = new ByteArrayOutputStream();
      int refused;
      System.setErr(new PrintStream(refusedErr, true, StandardCharsets.UTF_8));
      try {
        refused = Main.run(new String[] {"sweep", "resume", running, "--warehouse", warehouse.toString(),
            "--master", "local[1]"}, new PrintStream(refusedOut, true, StandardCharsets.UTF_8));
      } finally {
        System.setErr(stderr);
      }
      String why = refusedErr.toString(StandardCharsets.UTF_8);
      assertThat(refused).as(why).isEqualTo(2);
      assertThat(why).contains("sweep " + running + " is being run by another driver: ")
          .contains("(pid " + driver.pid() + ")");
      if (SparkSession.getActiveSession().isDefined()) {
        SparkSession.getActiveSession().get().stop();
      }
      // kill -9 of the driver and the executors it launched: no shutdown hooks, no final writes
      driver.descendants().forEach(ProcessHandle::destroyForcibly);
      driver.destroyForcibly();
      driver.waitFor(30, TimeUnit.SECONDS);
    }
    SparkSession before = checks();
    Row sweep = before.read().format("delta").load(warehouse + "/sweeps").head();
    assertThat(sweep.<String>getAs("status")).isEqualTo("RUNNING");
    String sweepId = sweep.getAs("sweep_id");
    before.stop();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"sweep", "resume", sweepId, "--warehouse", warehouse.toString(),
        "--master", "local-cluster[2,2,1536]"}, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
    // the resumed sweep scores its best model on the test version it pinned when it started
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("test split (");

    SparkSession spark = checks();
    Dataset<Row> trials = spark.read().format("delta").load(warehouse + "/trials");
    Dataset<Row> complete = trials.filter("state = 'COMPLETE'");
    assertThat(complete.count()).as("the whole budget completed").isEqualTo(CRASH_BUDGET);
    assertThat(complete.select("trial_id").distinct().count()).as("no trial completed twice").isEqualTo(CRASH_BUDGET);
    assertThat(trials.selectExpr("max(trial_id)").head().getInt(0)).as("trial numbers 0..budget-1, none repeated or skipped").isEqualTo(CRASH_BUDGET - 1);
    assertThat(trials.filter("state = 'RUNNING'").count()).as("no orphan left RUNNING").isZero();
    Dataset<Row> orphans = trials.filter("state = 'LOST' AND error LIKE 'the driver stopped while this attempt ran (driver %'");
    assertThat(orphans.count()).as("attempts running at the crash were closed with the reason").isPositive();
    for (Row orphan : orphans.select("trial_id", "attempt").collectAsList()) {
      assertThat(complete.filter("trial_id = " + orphan.getInt(0) + " AND attempt = " + (orphan.getInt(1) + 1)).count())
          .as("orphaned trial %d reran as its next attempt", orphan.getInt(0)).isEqualTo(1);
    }
    Row after = spark.read().format("delta").load(warehouse + "/sweeps").head();
    assertThat(after.<String>getAs("status")).isEqualTo("COMPLETE");
    assertThat(after.<Integer>getAs("trials_complete")).isEqualTo(CRASH_BUDGET);
    assertThat(after.<String, Long>getJavaMap(after.fieldIndex("data_versions"))).containsOnlyKeys("train", "val", "test");
    assertThat(spark.read().format("delta").load(warehouse + "/test_metrics").count()).isEqualTo(1);
  }

  @Test
  void concurrentTrialsHoldDistinctGpuAddresses() throws Exception {
    Path dir = WORK.resolve("gpus");
    Path warehouse = PreparedSplits.warehouse(dir.resolve("warehouse"));
    // short trials: two start together on the two executors, whose first trials warm up (engine, pinned data)
    // far longer than these epochs take, so they overlap (asserted below: the GPU check needs it)
    Path config = PreparedSplits.config(dir, SWEEP.replace("trials: 6", "trials: 4").replace("epochs: 60", "epochs: 10")
        + "resources: {gpus: 1}\n");
    // One worker with 4 cores, 2 fake GPUs and 2 trainer slots: two executors of 2 cores, each given one GPU.
    try (StandaloneCluster cluster = new StandaloneCluster(dir, 1, 4, "3g", 2, 2)) {
      Process submit = cluster.submit("submit", List.of("spark.executor.cores=2", "spark.executor.memory=1g",
              "spark.executor.resource.gpu.amount=1"),
          "sweep", "--config", config.toString(), "--warehouse", warehouse.toString());
      assertThat(submit.waitFor(6, TimeUnit.MINUTES)).isTrue();
      assertThat(submit.exitValue()).as(cluster.procs.log("submit")).isZero();
    }
    SparkSession spark = checks();
    List<Row> rows = spark.read().format("delta").load(warehouse + "/trials").filter("state = 'COMPLETE'")
        .select("trial_id", "gpu", "device", "started_at", "ended_at").collectAsList();
    assertThat(rows).hasSize(4);
    assertThat(rows.stream().map(r -> r.getString(1)).distinct().sorted().toList()).containsExactly("0", "1");
    assertThat(rows).allSatisfy(r -> assertThat(r.getString(2)).as("no CUDA here: trained on CPU").isEqualTo("cpu()"));
    int overlapping = 0;
    for (Row a : rows) {
      for (Row b : rows) {
        boolean overlap = a.getInt(0) < b.getInt(0) && ((Timestamp) a.get(3)).before((Timestamp) b.get(4))
            && ((Timestamp) b.get(3)).before((Timestamp) a.get(4));
        if (overlap) {
          overlapping++;
          assertThat(a.getString(1)).as("trials %d and %d ran at once", a.getInt(0), b.getInt(0)).isNotEqualTo(b.getString(1));
        }
      }
    }
    assertThat(overlapping).as("trials ran at once (else the check above proves nothing): %s", rows).isPositive();
  }
}
