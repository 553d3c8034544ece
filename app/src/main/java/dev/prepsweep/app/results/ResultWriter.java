package dev.prepsweep.app.results;

import dev.prepsweep.app.warehouse.Warehouse;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Writes sweep, trial and epoch records to their Delta tables from one background thread, so the
 * sweep loop never waits on Delta and this driver's own writes never conflict. Records that pile up
 * between two writes go out together in one write per table: a MERGE on the record's key for
 * {@code sweeps} and {@code trials} (writing an attempt twice, e.g. after a driver restart, leaves one
 * row), an idempotent blind append for new {@code trial_metrics} rows. Other drivers writing the same
 * tables at once (sweeps into one warehouse) commit into their own {@code sweep_id} partitions; a write
 * that still loses a race is retried with backoff ({@link ConflictRetry}), so no row is lost or doubled.
 *
 * <p>A MERGE is a dozen Spark jobs (snapshot state, file matching, rewrite, commit), and on a small
 * cluster those jobs take the CPU that trials train on. So writes pace themselves: after a write
 * that took {@code d}, the next starts no sooner than {@code clamp(3 d, 3 s, 30 s)} later, so the
 * writer is busy at most about a quarter of the time (after the first write, which pays for a cold
 * JVM and creating tables, 3 s later). The sweep's own row, which changes with every finished trial,
 * is rewritten at most every {@link #SWEEP_ROW_INTERVAL_MILLIS}. A write that is not due yet is
 * scheduled for when it is; {@link #flush} writes everything at once, without waiting.
 *
 * <p>The first write waits {@link #FIRST_WRITE_DELAY_MILLIS} after the writer starts: a sweep's
 * first seconds are when every training slot waits for its first task, on a driver and executors
 * that are still cold, and the first write is the costliest (Delta's {@code DeltaLog} built cold,
 * tables created: a dozen Spark jobs whose tasks run on the executors the first trials start on).
 * What it would write then is the sweep's RUNNING row and the RUNNING rows of its first trials.
 */
public final class ResultWriter implements AutoCloseable {

  private final SparkSession spark;
  private final Warehouse warehouse;
  private final StructType paramsType;
  private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "prepsweep-result-writer");
    t.setDaemon(true);
    return t;
  });
  /** The least and the most time between the end of one write and the start of the next. */
  static final long MIN_INTERVAL_MILLIS = 3_000;
  static final long MAX_INTERVAL_MILLIS = 30_000;
  /** Idle time per unit of write time: 3 keeps the writer busy at most a quarter of the time. */
  static final long IDLE_PER_BUSY = 3;
  /** How long after the writer starts its first write may begin (a flush writes at once). */
  static final long FIRST_WRITE_DELAY_MILLIS = MIN_INTERVAL_MILLIS;
  /** The least time between two writes of the sweep's row while the sweep runs. */
  static final long SWEEP_ROW_INTERVAL_MILLIS = 30_000;

  private final List<TrialRecord> pendingTrials = new ArrayList<>();
  /** Pareto ranks of earlier drivers' COMPLETE attempts: {trial, attempt, rank}. */
  private final List<int[]> pendingRanks = new ArrayList<>();
  private volatile boolean urgent;
  private long nextDrainMillis;
  private boolean firstWriteDone;
  private long nextSweepRowMillis;
  private SweepRecord pendingSweep;
  /** When the drain scheduled for later runs (0: none is). */
  private long scheduledDrainMillis;
  private volatile RuntimeException failure;
  private boolean discarded;
  /** The one sweep this writer records (set by the first record). */
  private String sweepId;
  private final ConflictRetry retry;
  /** Names this writer's blind appends to Delta ({@code txnAppId}), so a retried batch commits once. */
  private final String writerId = "prepsweep-results-" + UUID.randomUUID();
  private long epochBatches;
  /** Per sweep, the epoch rows written so far: (trial_id, attempt, epoch) to their values. */
  private final Map<String, Map<List<Object>, List<Object>>> writtenEpochs = new HashMap<>();
  private static final List<Object> UNKNOWN_VALUES = List.of("written before this driver started");
  /** The result tables are partitioned by sweep, so concurrent sweeps commit into disjoint partitions. */
  static final String PARTITION_COLUMN = "sweep_id";

  public ResultWriter(SparkSession spark, Warehouse warehouse, StructType paramsType) {
    this(spark, warehouse, paramsType, new ConflictRetry());
  }

  ResultWriter(SparkSession spark, Warehouse warehouse, StructType paramsType, ConflictRetry retry) {
    this.retry = retry;
    this.spark = spark;
    this.warehouse = warehouse;
    this.paramsType = paramsType;
    // close() flushes everything; a write scheduled for later must not outlive it
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    nextDrainMillis = System.currentTimeMillis() + FIRST_WRITE_DELAY_MILLIS;
  }

  /** When the next write may start, unless a flush asks for it sooner. */
  synchronized long nextWriteDueMillis() {
    return nextDrainMillis;
  }

  /** Queues a trial attempt (its latest state replaces an earlier queued one of the same attempt). */
  public synchronized void write(TrialRecord record) {
    requireOneSweep(record.sweepId());
    pendingTrials.removeIf(r -> r.trialId() == record.trialId() && r.attempt() == record.attempt());
    pendingTrials.add(record);
    thread.submit(this::drain);
  }

  /** Queues the sweep's row (the latest replaces an earlier queued one). */
  public synchronized void write(SweepRecord record) {
    requireOneSweep(record.sweepId());
    pendingSweep = record;
    thread.submit(this::drain);
  }

  /**
   * Queues the Pareto rank of a COMPLETE attempt of this writer's sweep that an earlier driver wrote (a resumed
   * sweep ranks its whole history when it ends); only that row's {@code pareto_rank} changes.
   */
  public synchronized void writeRank(int trial, int attempt, int paretoRank) {
    if (sweepId == null) {
      throw new IllegalStateException("a Pareto rank before any row of its sweep: the writer does not know the sweep");
    }
    pendingRanks.add(new int[] {trial, attempt, paretoRank});
    thread.submit(this::drain);
  }

  /**
   * Drops what is queued and not yet written, and writes nothing more: for a driver that lost its
   * sweep's lease, whose pending rows would overwrite the new owner's.
   */
  public synchronized void discardPending() {
    pendingTrials.clear();
    pendingRanks.clear();
    pendingSweep = null;
    discarded = true;
  }

  /** A writer records one sweep: its MERGEs name that sweep's partition. */
  private void requireOneSweep(String id) {
    if (sweepId == null) {
      sweepId = id;
    } else if (!sweepId.equals(id)) {
      throw new IllegalArgumentException("this writer records sweep " + sweepId + ", not " + id);
    }
  }

  /**
   * Waits until everything queued so far is written.
   *
   * @throws IllegalStateException if a write failed, with the Delta error as cause
   */
  public void flush() {
    urgent = true;
    Future<?> done = thread.submit(this::drain);
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing results", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("writing results failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      urgent = false;
    }
    if (failure != null) {
      throw new IllegalStateException("writing results to " + warehouse.root() + " failed: " + failure.getMessage(), failure);
    }
  }

  private void drain() {
    synchronized (this) {
      if (discarded) {
        pendingTrials.clear();
        pendingRanks.clear();
        pendingSweep = null;
      }
      if (pendingTrials.isEmpty() && pendingRanks.isEmpty() && pendingSweep == null) {
        return;
      }
      if (!urgent) {
        // Not due yet: come back when it is, leaving the thread free, so a flush never waits out a pause.
        long due = pendingTrials.isEmpty() && pendingRanks.isEmpty() ? Math.max(nextDrainMillis, nextSweepRowMillis)
            : nextDrainMillis;
        long in = due - System.currentTimeMillis();
        if (in > 0) {
          if (scheduledDrainMillis == 0 || due < scheduledDrainMillis) {
            scheduledDrainMillis = due;
            thread.schedule(() -> {
              synchronized (this) {
                if (scheduledDrainMillis == due) {
                  scheduledDrainMillis = 0;
                }
              }
              drain();
            }, in, TimeUnit.MILLISECONDS);
          }
          return;
        }
      }
    }
    long started = System.currentTimeMillis();
    List<TrialRecord> trials;
    List<int[]> ranks;
    SweepRecord sweep = null;
    synchronized (this) {
      trials = new ArrayList<>(pendingTrials);
      pendingTrials.clear();
      ranks = new ArrayList<>(pendingRanks);
      pendingRanks.clear();
      if (urgent || started >= nextSweepRowMillis) {
        sweep = pendingSweep;
        pendingSweep = null;
      }
    }
    try {
      if (sweep != null) {
        upsert(ResultTables.SWEEPS, List.of(ResultTables.sweepRow(sweep)), ResultTables.SWEEPS_SCHEMA, ResultTables.SWEEP_KEY,
            sweep.sweepId());
        nextSweepRowMillis = System.currentTimeMillis() + SWEEP_ROW_INTERVAL_MILLIS;
      }
      if (!trials.isEmpty()) {
        List<Row> trialRows = new ArrayList<>();
        List<Row> metricRows = new ArrayList<>();
        for (TrialRecord r : trials) {
          trialRows.add(ResultTables.trialRow(r, paramsType));
          metricRows.addAll(ResultTables.metricRows(r));
        }
        String sweepId = trials.get(0).sweepId();
        upsert(ResultTables.TRIALS, trialRows, ResultTables.trialsSchema(paramsType), ResultTables.TRIAL_KEY, sweepId);
        if (!metricRows.isEmpty()) {
          recordEpochs(sweepId, metricRows);
        }
      }
      if (!ranks.isEmpty()) {
        recordRanks(ranks);
      }
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      long ended = System.currentTimeMillis();
      // The first write pays one-off costs (a cold JVM, creating the tables): it sets no long pause.
      nextDrainMillis = ended + (firstWriteDone ? pause(ended - started) : MIN_INTERVAL_MILLIS);
      firstWriteDone = true;
    }
    synchronized (this) {
      // what was left for later (a sweep row not yet due, records queued meanwhile) gets its drain
      if ((pendingSweep != null || !pendingTrials.isEmpty() || !pendingRanks.isEmpty()) && !thread.isShutdown()) {
        thread.execute(this::drain);
      }
    }
  }

  private static final StructType RANK_SCHEMA = new StructType()
      .add("sweep_id", org.apache.spark.sql.types.DataTypes.StringType)
      .add("trial_id", org.apache.spark.sql.types.DataTypes.IntegerType)
      .add("attempt", org.apache.spark.sql.types.DataTypes.IntegerType)
      .add("pareto_rank", org.apache.spark.sql.types.DataTypes.IntegerType);

  /** Sets {@code pareto_rank} of earlier drivers' rows, in one MERGE that changes no other column. */
  private void recordRanks(List<int[]> ranks) {
    List<Row> rows = ranks.stream().map(r -> org.apache.spark.sql.RowFactory.create(sweepId, r[0], r[1], r[2])).toList();
    retry.run("recording the Pareto ranks of " + rows.size() + " earlier trial(s) in " + ResultTables.TRIALS, () -> {
      spark.sparkContext().setJobDescription("prepsweep: Pareto ranks of " + rows.size() + " earlier trial(s)");
      DeltaTable.forPath(spark, warehouse.path(ResultTables.TRIALS)).as("t")
          .merge(spark.createDataFrame(rows, RANK_SCHEMA).as("s"), ResultTables.inSweep(sweepId) + " AND "
              + ResultTables.TRIAL_KEY)
          .whenMatched().updateExpr(Map.of("pareto_rank", "s.pareto_rank"))
          .execute();
      return null;
    });
  }

  /** The pause after a write that took {@code busyMillis}. */
  static long pause(long busyMillis) {
    return Math.max(MIN_INTERVAL_MILLIS, Math.min(MAX_INTERVAL_MILLIS, IDLE_PER_BUSY * busyMillis));
  }

  /**
   * MERGEs {@code rows} (all of sweep {@code sweepId}) into {@code table} on {@code key}, creating the
   * table (partitioned by {@code sweep_id}) when it does not exist yet. The condition names the sweep
   * as a literal: on a table partitioned by {@code sweep_id} it is the MERGE's read predicate, so
   * Delta checks conflicts against this sweep's partition only and other drivers' commits into their
   * own partitions never conflict with it. Tables created unpartitioned by earlier versions conflict
   * on any concurrent commit; {@link ConflictRetry} covers both.
   */
  private void upsert(String table, List<Row> rows, StructType schema, String key, String sweepId) {
    retry.run("recording " + rows.size() + " row(s) in " + table, () -> {
      spark.sparkContext().setJobDescription("prepsweep: record " + rows.size() + " row(s) in " + table);
      Dataset<Row> df = spark.createDataFrame(rows, schema);
      String path = warehouse.path(table);
      if (!warehouse.exists(table)) {
        df.write().format("delta").mode("append").partitionBy(PARTITION_COLUMN).save(path);
        return null;
      }
      DeltaTable.forPath(spark, path).as("t").merge(df.as("s"), ResultTables.inSweep(sweepId) + " AND " + key)
          .whenMatched().updateAll()
          .whenNotMatched().insertAll()
          .execute();
      return null;
    });
  }

  /**
   * Records epoch rows of sweep {@code sweepId}. An epoch row never changes once written, so rows this
   * writer has not written before go in as one idempotent blind append ({@code txnAppId} = this
   * writer, {@code txnVersion} = the batch: a retried batch that did commit is skipped by Delta), which
   * never conflicts with other writers' appends and costs a fraction of a MERGE (docs/sweep-benchmark.md).
   * Rows whose key is already in the table (written by a driver before a resume) or whose values
   * changed (an epoch trained again after a failed checkpoint) go through the MERGE.
   */
  private void recordEpochs(String sweepId, List<Row> rows) {
    Map<List<Object>, List<Object>> written = writtenEpochs.computeIfAbsent(sweepId, this::epochKeysInTable);
    Map<List<Object>, Row> fresh = new LinkedHashMap<>();
    Map<List<Object>, Row> changed = new LinkedHashMap<>();
    for (Row r : rows) {
      List<Object> key = key(r);
      if (!written.containsKey(key)) {
        fresh.put(key, r);
        changed.remove(key);
      } else if (!Objects.equals(written.get(key), valuesOf(r))) {
        changed.put(key, r);
      }
    }
    if (!fresh.isEmpty()) {
      long version = ++epochBatches;
      List<Row> batch = new ArrayList<>(fresh.values());
      retry.run("appending " + batch.size() + " row(s) to " + ResultTables.TRIAL_METRICS, () -> {
        spark.sparkContext().setJobDescription("prepsweep: append " + batch.size() + " row(s) to trial_metrics");
        var w = spark.createDataFrame(batch, ResultTables.METRICS_SCHEMA).write().format("delta").mode("append")
            .option("txnAppId", writerId).option("txnVersion", version);
        if (!warehouse.exists(ResultTables.TRIAL_METRICS)) {
          w = w.partitionBy(PARTITION_COLUMN);
        }
        w.save(warehouse.path(ResultTables.TRIAL_METRICS));
        return null;
      });
    }
    if (!changed.isEmpty()) {
      upsert(ResultTables.TRIAL_METRICS, new ArrayList<>(changed.values()), ResultTables.METRICS_SCHEMA,
          ResultTables.METRIC_FOLD_KEY, sweepId);
    }
    fresh.forEach((k, r) -> written.put(k, valuesOf(r)));
    changed.forEach((k, r) -> written.put(k, valuesOf(r)));
  }

  /** The epoch keys the table already holds for a sweep (a resumed sweep's earlier drivers wrote them); values unknown. */
  private Map<List<Object>, List<Object>> epochKeysInTable(String sweepId) {
    Map<List<Object>, List<Object>> keys = new HashMap<>();
    if (warehouse.exists(ResultTables.TRIAL_METRICS)) {
      Dataset<Row> table = spark.read().format("delta").load(warehouse.path(ResultTables.TRIAL_METRICS));
      // tables written before cross-validation have no fold column: all their rows are the trials' own
      org.apache.spark.sql.Column fold = java.util.Arrays.asList(table.columns()).contains("fold")
          ? org.apache.spark.sql.functions.col("fold") : org.apache.spark.sql.functions.lit(null).cast("int");
      table.filter(org.apache.spark.sql.functions.col("sweep_id").equalTo(sweepId))
          .select(org.apache.spark.sql.functions.col("trial_id"), org.apache.spark.sql.functions.col("attempt"),
              org.apache.spark.sql.functions.col("epoch"), fold).collectAsList()
          .forEach(r -> keys.put(java.util.Arrays.asList(r.get(0), r.get(1), r.get(2), r.get(3)), UNKNOWN_VALUES));
    }
    return keys;
  }

  /** The key of an epoch row: trial, attempt, epoch and fold (null for the trial's own row). */
  private static List<Object> key(Row r) {
    return java.util.Arrays.asList(r.get(1), r.get(2), r.get(3), r.get(FOLD));
  }

  private static final int FOLD = ResultTables.METRICS_SCHEMA.fieldIndex("fold");

  /** The non-key columns of an epoch row. */
  private static List<Object> valuesOf(Row r) {
    List<Object> values = new ArrayList<>(r.length() - 4);
    for (int i = 4; i < r.length(); i++) {
      if (i != FOLD) {
        values.add(r.get(i));
      }
    }
    return values;
  }

  @Override
  public void close() {
    try {
      flush();
    } finally {
      thread.shutdown();
    }
  }
}
