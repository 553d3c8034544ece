package dev.prepsweep.app.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.testkit.SharedSpark;
import dev.prepsweep.training.EpochMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drivers of different sweeps writing one warehouse at the same moment, as two teams would: each
 * thread has its own {@link ResultWriter} (its own Delta transactions, racing on the same tables),
 * and every row of every sweep must land exactly once.
 */
class ConcurrentResultsTest {

  private static final int WRITERS = 2;
  private static final int TRIALS = 2;
  private static final int EPOCHS = 2;
  private static final StructType PARAMS = new StructType().add("lr", DataTypes.DoubleType);

  @TempDir
  java.nio.file.Path dir;

  @Test
  void sweepsWritingAFreshWarehouseAtOnceLoseAndDoubleNoRow() throws Exception {
    SparkSession spark = SharedSpark.session();
    Warehouse warehouse = new Warehouse(spark, dir.resolve("wh").toString());
    runConcurrently(spark, warehouse);
    assertEveryRowOnce(spark, warehouse);
    assertThat(spark.read().format("delta").load(warehouse.path(ResultTables.TRIALS)).inputFiles())
        .as("new tables are partitioned by sweep, so sweeps commit into disjoint partitions")
        .allSatisfy(f -> assertThat(f).contains("/sweep_id="));
  }

  @Test
  void sweepsWritingTablesCreatedUnpartitionedRetryTheirConflicts() throws Exception {
    SparkSession spark = SharedSpark.session();
    Warehouse warehouse = new Warehouse(spark, dir.resolve("legacy").toString());
    // Tables as earlier versions created them (one unpartitioned folder), holding another sweep's rows:
    // every MERGE reads the whole table, so any concurrent commit conflicts with it.
    spark.createDataFrame(List.of(ResultTables.sweepRow(sweep("sw-old", "COMPLETE"))), ResultTables.SWEEPS_SCHEMA)
        .write().format("delta").save(warehouse.path(ResultTables.SWEEPS));
    TrialRecord old = trial("sw-old", 0, "COMPLETE");
    spark.createDataFrame(List.of(ResultTables.trialRow(old, PARAMS)), ResultTables.trialsSchema(PARAMS))
        .write().format("delta").save(warehouse.path(ResultTables.TRIALS));
    spark.createDataFrame(ResultTables.metricRows(old), ResultTables.METRICS_SCHEMA)
        .write().format("delta").save(warehouse.path(ResultTables.TRIAL_METRICS));

    int conflicts = runConcurrently(spark, warehouse);

    assertEveryRowOnce(spark, warehouse);
    assertThat(read(spark, warehouse, ResultTables.TRIALS, "sweep_id").stream().filter(r -> r.getString(0).equals("sw-old")))
        .as("the other sweep's row is kept").hasSize(1);
    // Without a conflict the test would prove nothing about the retry: MERGEs of two drivers on one
    // unpartitioned table, started at the same barrier, collide (Delta: "a concurrent transaction added files").
    assertThat(conflicts).as("the writers really raced").isPositive();
  }

  /** Runs {@link #WRITERS} sweeps' writers at once; returns the conflicts they retried. */
  private static int runConcurrently(SparkSession spark, Warehouse warehouse) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    CyclicBarrier together = new CyclicBarrier(WRITERS);
    AtomicInteger conflicts = new AtomicInteger();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        String sweepId = "sw-" + w;
        done.add(pool.submit(() -> {
          ConflictRetry retry = new ConflictRetry(ConflictRetry.MAX_TRIES, new SplittableRandom(), Thread::sleep);
          try (ResultWriter writer = new ResultWriter(spark, warehouse, PARAMS, retry)) {
            // two rounds of commits to all three tables, started together: trials start, then end
            together.await(2, TimeUnit.MINUTES);
            writer.write(sweep(sweepId, "RUNNING"));
            for (int t = 0; t < TRIALS; t++) {
              writer.write(trial(sweepId, t, "RUNNING"));
            }
            writer.flush();
            together.await(2, TimeUnit.MINUTES);
            for (int t = 0; t < TRIALS; t++) {
              writer.write(trial(sweepId, t, "COMPLETE"));
            }
            writer.write(sweep(sweepId, "COMPLETE"));
          }
          conflicts.addAndGet(retry.conflicts());
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    return conflicts.get();
  }

  private static void assertEveryRowOnce(SparkSession spark, Warehouse warehouse) {
    // each table read once (a handful of rows): counting per sweep in Spark would be a job per number
    List<Row> trials = read(spark, warehouse, ResultTables.TRIALS, "sweep_id", "trial_id", "attempt", "state");
    List<Row> metrics = read(spark, warehouse, ResultTables.TRIAL_METRICS, "sweep_id", "trial_id", "attempt", "epoch");
    List<Row> sweeps = read(spark, warehouse, ResultTables.SWEEPS, "sweep_id", "status");
    for (int w = 0; w < WRITERS; w++) {
      String id = "sw-" + w;
      List<Row> mine = trials.stream().filter(r -> r.getString(0).equals(id)).toList();
      assertThat(mine).as("trial rows of sweep %d", w).hasSize(TRIALS);
      assertThat(mine.stream().map(r -> r.getInt(1) + "/" + r.getString(3)).sorted().toList())
          .as("each trial once, COMPLETE").containsExactly("0/COMPLETE", "1/COMPLETE");
      List<String> epochs = metrics.stream().filter(r -> r.getString(0).equals(id))
          .map(r -> r.getInt(1) + "/" + r.getInt(2) + "/" + r.getInt(3)).toList();
      assertThat(epochs).as("epoch rows of sweep %d", w).hasSize(TRIALS * EPOCHS).doesNotHaveDuplicates();
      assertThat(sweeps.stream().filter(r -> r.getString(0).equals(id)).map(r -> r.getString(1)).toList())
          .as("sweeps row of sweep %d", w).containsExactly("COMPLETE");
    }
  }

  private static List<Row> read(SparkSession spark, Warehouse warehouse, String table, String... columns) {
    return spark.read().format("delta").load(warehouse.path(table)).selectExpr(columns).collectAsList();
  }

  private static TrialRecord trial(String sweepId, int number, String state) {
    boolean done = state.equals("COMPLETE");
    List<EpochMetrics> epochs = new ArrayList<>();
    for (int e = 1; done && e <= EPOCHS; e++) {
      epochs.add(new EpochMetrics(e, 1.0 / e, 1.1 / e, 0.5 + 0.1 * e + 0.01 * number, 0.5, 0.1, 100, 0.6, 1e-3));
    }
    TableVersion train = new TableVersion("train", "/wh/train", 0);
    TableVersion val = new TableVersion("val", "/wh/val", 0);
    return new TrialRecord(sweepId, number, 1, state, done ? List.of(epochs.get(EPOCHS - 1).valAccuracy()) : List.of(),
        Map.of("lr", 1e-3 * (number + 1)), 7L + number, done ? epochs.get(EPOCHS - 1) : null, epochs, "0", "localhost",
        null, "cpu()", 1_000L, done ? 2_000L : null, null, train, val, null, 0, null, null, null, "none", null, null, List.of(),
        null, List.of(), epochs);
  }

  private static SweepRecord sweep(String sweepId, String status) {
    return new SweepRecord(sweepId, status, "random", "val_accuracy", "maximize", 7L, TRIALS, 1, "local[2]",
        Map.of("train", 0L), Map.of("train", "/wh/train"), "sweep: {}", "h", "dev", 1_000L,
        status.equals("RUNNING") ? null : 3_000L, status.equals("RUNNING") ? 0 : TRIALS, 0, 0, null, null, null);
  }
}
