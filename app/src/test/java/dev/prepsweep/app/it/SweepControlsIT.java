package dev.prepsweep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.cli.Main;
import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.app.driver.SweepDriver;
import dev.prepsweep.app.driver.SweepSummary;
import dev.prepsweep.app.spark.SparkSessions;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.sweep.sampler.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every budget and control of a sweep, end to end on one embedded {@code local-cluster} shared by
 * all tests (two executor JVMs of two cores: one trains, one serves Delta writes): a hung attempt ended by {@code trial_timeout} and retried with a new
 * seed, attempts without heartbeats closed as LOST until the failure budget is spent, the wall-time
 * and target budgets, and {@code sweep cancel}.
 *
 * <p>Hangs are real: executors run with the test-only property {@code prepsweep.test.hangSeeds}
 * listing trial seeds whose attempts sleep after their first epoch until Spark interrupts them. Seeds
 * are computed here as the driver computes them (sweep seed, trial number; see SweepDriver.trialSpec).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SweepControlsIT {

  private static final Path WORK = Path.of("target/it-controls").toAbsolutePath();
  private static final long HUNG_SEED = 11;
  private static final long LOST_SEED = 12;
  /** Executor heartbeats every 2 s, so three missed ones take 6 s instead of Spark's default 30 s. */
  private static final String HEARTBEAT = "2s";
  private static SparkSession spark;
  private static Path hungWarehouse;
  private static Path lostWarehouse;
  private static Path budgetWarehouse;
  private static Path cancelWarehouse;

  private static final String BASE = """
      train: {epochs: 3, hash_dim: 512, hidden: 32}
      sweep:
        method: random
        metric: {name: val_accuracy, goal: maximize}
        parameters:
          lr: {distribution: log_uniform, min: 1.0e-3, max: 1.0e-2}
        parallelism: 2
      """;

  @BeforeAll
  static void cluster() {
    // warehouses first: preparing them runs (and stops) a session of its own
    hungWarehouse = PreparedSplits.warehouse(WORK.resolve("hung"));
    lostWarehouse = PreparedSplits.warehouse(WORK.resolve("lost"));
    budgetWarehouse = PreparedSplits.warehouse(WORK.resolve("budgets"));
    cancelWarehouse = PreparedSplits.warehouse(WORK.resolve("cancel"));
    String hang = Stream.concat(Stream.of(Seeds.forTrial(HUNG_SEED, 0)), LongStream.range(0, 6).mapToObj(n -> Seeds.forTrial(LOST_SEED, (int) n)))
        .map(String::valueOf).collect(Collectors.joining(","));
    System.setProperty("spark.executor.extraJavaOptions", "-Dprepsweep.test.hangSeeds=" + hang);
    System.setProperty("spark.executor.heartbeatInterval", HEARTBEAT);
    try {
      spark = SparkSessions.create("local-cluster[2,2,1536]", "SweepControlsIT");
    } finally {
      System.clearProperty("spark.executor.extraJavaOptions");
      System.clearProperty("spark.executor.heartbeatInterval");
    }
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static SweepSummary sweep(Path warehouse, String name, String yaml) {
    Path config = PreparedSplits.config(WORK.resolve(name), yaml);
    JobConfig job = JobConfig.load(config).withWarehouse(warehouse.toString());
    return new SweepDriver(spark, new Warehouse(spark, warehouse.toString())).run(job);
  }

  private static List<Row> trials(Path warehouse, String sweepId) {
    return spark.read().format("delta").load(warehouse + "/trials").filter("sweep_id = '" + sweepId + "'")
        .select("trial_id", "attempt", "state", "error", "seed", "started_at", "ended_at")
        .orderBy("trial_id", "attempt").collectAsList();
  }

  /**
   * Second: the first test's trials have loaded the engine on the executors, so a short trial_timeout
   * ends the hung attempt, not a healthy one still warming up on a loaded machine.
   */
  @Test
  @Order(2)
  void aHungAttemptIsTimedOutCancelledAndRetriedWithANewSeed() {
    SweepSummary s = sweep(hungWarehouse, "hung", BASE + """
          seed: 11
          budget: {trials: 2}
          max_retries: 2
          retry_seed: new
          trial_timeout: 20s
        """);
    assertThat(s.status()).isEqualTo("COMPLETE");
    assertThat(s.complete()).isEqualTo(2);
    List<Row> rows = trials(hungWarehouse, s.sweepId());
    Row hung = rows.stream().filter(r -> r.getInt(0) == 0 && r.getInt(1) == 1).findFirst().orElseThrow();
    assertThat(hung.getString(2)).isEqualTo("TIMED_OUT");
    assertThat(hung.getString(3)).matches("the attempt ran \\d+\\.\\d s, longer than trial_timeout \\(20 s\\); its Spark job was cancelled");
    assertThat(hung.getLong(4)).isEqualTo(Seeds.forTrial(HUNG_SEED, 0));
    Row retry = rows.stream().filter(r -> r.getInt(0) == 0).reduce((a, b) -> b).orElseThrow();
    assertThat(retry.getInt(1)).as("retried").isGreaterThan(1);
    assertThat(retry.getString(2)).as("the retry, with a new seed, did not hang").isEqualTo("COMPLETE");
    assertThat(retry.getLong(4)).isNotEqualTo(hung.getLong(4));
    assertThat(rows).as("no attempt left RUNNING").noneSatisfy(r -> assertThat(r.getString(2)).isEqualTo("RUNNING"));
    assertThat(rows.stream().map(r -> r.getInt(0) + "/" + r.getInt(1)).toList()).as("no attempt recorded twice")
        .doesNotHaveDuplicates();
  }

  @Test
  @Order(3)
  void attemptsWithoutHeartbeatsAreLostUntilTheFailureBudgetIsSpent() {
    // every trial of this sweep hangs; no trial_timeout: only the missing heartbeats end them
    SweepSummary s = sweep(lostWarehouse, "lost", BASE + """
          seed: 12
          budget: {trials: 6, failures: 2}
          missed_heartbeats: 3
        """);
    assertThat(s.status()).isEqualTo("FAILED");
    // the budget stops new trials; the ones in flight when it was spent (parallelism 2, one more queued,
    // one submitted while two results were read in one wake-up) end too, here lost as well
    assertThat(s.failed()).isBetween(2, 5);
    List<Row> rows = trials(lostWarehouse, s.sweepId());
    assertThat(rows).as("one row per failed trial, no new trial after the budget was spent").hasSize(s.failed())
        .allSatisfy(r -> assertThat(r.getString(3)).startsWith("no heartbeat from the attempt's task for ")
            .contains("(3 missed at 2.0 s, missed_heartbeats)"))
        .allSatisfy(r -> assertThat(r.getString(2)).isEqualTo("LOST"));
    Row sweep = spark.read().format("delta").load(lostWarehouse + "/sweeps").head();
    assertThat(sweep.<String>getAs("message")).isEqualTo(s.failed() + " trials failed: the failure budget (2) is spent");
  }

  /** First: its trials load the engine on the executors, so the next test's short trial_timeout meets warm ones. */
  @Test
  @Order(1)
  void theWallTimeAndTargetBudgetsEndASweepEarly() {
    SweepSummary wall = sweep(budgetWarehouse, "wall", BASE + """
          budget: {trials: 40, wall_time: 1s}
        """);
    assertThat(wall.status()).isEqualTo("COMPLETE");
    assertThat(wall.complete()).as("running trials finish, no new ones start").isBetween(1, 3);
    SweepSummary target = sweep(budgetWarehouse, "target", BASE + """
          budget: {trials: 40, target: 0.0}
        """);
    assertThat(target.status()).isEqualTo("COMPLETE");
    assertThat(target.complete()).as("the first complete trial reaches the target").isBetween(1, 3);
    assertThat(target.bestValue()).isGreaterThanOrEqualTo(0.0);
    assertThat(trials(budgetWarehouse, target.sweepId())).hasSizeLessThanOrEqualTo(3)
        .allSatisfy(r -> assertThat(r.getString(2)).isEqualTo("COMPLETE"));
  }

  /** Last: the command line stops the shared session when it ends. */
  @Test
  @Order(4)
  void cancelStopsRunningTrialsWithinSecondsClosesTheirRowsAndExitsWith5() throws Exception {
    Path config = PreparedSplits.config(WORK.resolve("cancel"), BASE.replace("epochs: 3", "epochs: 400") + """
          budget: {trials: 6}
        """);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // the command line runs on the shared session's SparkContext: its listener bus shows the trials' tasks
    TrialTasks tasks = new TrialTasks();
    spark.sparkContext().addSparkListener(tasks);
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"sweep", "--config",
        config.toString(), "--warehouse", cancelWarehouse.toString(), "--master", "local-cluster[2,2,1536]"}, new PrintStream(out, true, StandardCharsets.UTF_8)));
    // the driver holds the sweep's lease from its start: its folder names the sweep
    Path leases = cancelWarehouse.resolve("_prepsweep/leases");
    long deadline = System.currentTimeMillis() + 120_000;
    while (!Files.isDirectory(leases) && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    String sweepId;
    try (Stream<Path> ids = Files.list(leases)) {
      sweepId = ids.findFirst().orElseThrow().getFileName().toString();
    }
    // a trial task running (400 epochs take far longer than the wait): the cancellation has an attempt to stop
    tasks.awaitRunning(Duration.ofMinutes(2), code, out);
    new Warehouse(spark, cancelWarehouse.toString()).requestCancel(sweepId);
    long requested = System.nanoTime();
    int exit = code.get(3, TimeUnit.MINUTES);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - requested);
    assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(5);
    // the poll interval (5 s), the cancelled tasks' return and the final write of the results
    assertThat(seconds).as("the driver stopped within seconds of the request").isLessThan(60);

    SparkSession checks = SparkSessions.create("local[2]", "SweepControlsIT checks");
    try {
      List<Row> rows = checks.read().format("delta").load(cancelWarehouse + "/trials").select("state").collectAsList();
      assertThat(rows).as("running trials were cancelled and their rows closed").isNotEmpty()
          .allSatisfy(r -> assertThat(r.getString(0)).isIn("CANCELLED", "COMPLETE"));
      assertThat(rows.stream().filter(r -> r.getString(0).equals("CANCELLED")).count()).isPositive();
      assertThat(checks.read().format("delta").load(cancelWarehouse + "/sweeps").head().<String>getAs("status"))
          .isEqualTo("CANCELLED");
    } finally {
      checks.stop();
    }
  }
}
