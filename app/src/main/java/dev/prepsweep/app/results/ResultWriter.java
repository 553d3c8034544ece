package dev.prepsweep.app.results;

import dev.prepsweep.app.warehouse.Warehouse;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Writes sweep, trial and epoch records to their Delta tables from one background thread, so the
 * sweep loop never waits on Delta and concurrent MERGEs never conflict. Records that pile up between
 * two writes go out together in one MERGE per table. Every write is an idempotent MERGE on the
 * record's key, so writing an attempt twice (e.g. after a driver restart) leaves one row.
 *
 * <p>A MERGE is a dozen Spark jobs (snapshot state, file matching, rewrite, commit), and on a small
 * cluster those jobs take the CPU that trials train on. So writes pace themselves: after a write
 * that took {@code d}, the next starts no sooner than {@code clamp(3 d, 3 s, 30 s)} later, so the
 * writer is busy at most about a quarter of the time (after the first write, which pays for a cold
 * JVM and creating tables, 3 s later). The sweep's own row, which changes with every finished trial,
 * is rewritten at most every {@link #SWEEP_ROW_INTERVAL_MILLIS}. A write that is not due yet is
 * scheduled for when it is; {@link #flush} writes everything at once, without waiting.
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
  /** The least time between two writes of the sweep's row while the sweep runs. */
  static final long SWEEP_ROW_INTERVAL_MILLIS = 30_000;

  private final List<TrialRecord> pendingTrials = new ArrayList<>();
  private volatile boolean urgent;
  private long nextDrainMillis;
  private boolean firstWriteDone;
  private long nextSweepRowMillis;
  private SweepRecord pendingSweep;
  /** When the drain scheduled for later runs (0: none is). */
  private long scheduledDrainMillis;
  private volatile RuntimeException failure;

  public ResultWriter(SparkSession spark, Warehouse warehouse, StructType paramsType) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.paramsType = paramsType;
    // close() flushes everything; a write scheduled for later must not outlive it
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Queues a trial attempt (its latest state replaces an earlier queued one of the same attempt). */
  public synchronized void write(TrialRecord record) {
    pendingTrials.removeIf(r -> r.trialId() == record.trialId() && r.attempt() == record.attempt());
    pendingTrials.add(record);
    thread.submit(this::drain);
  }

  /** Queues the sweep's row (the latest replaces an earlier queued one). */
  public synchronized void write(SweepRecord record) {
    pendingSweep = record;
    thread.submit(this::drain);
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
      if (pendingTrials.isEmpty() && pendingSweep == null) {
        return;
      }
      if (!urgent) {
        // Not due yet: come back when it is, leaving the thread free, so a flush never waits out a pause.
        long due = pendingTrials.isEmpty() ? Math.max(nextDrainMillis, nextSweepRowMillis) : nextDrainMillis;
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
    SweepRecord sweep = null;
    synchronized (this) {
      trials = new ArrayList<>(pendingTrials);
      pendingTrials.clear();
      if (urgent || started >= nextSweepRowMillis) {
        sweep = pendingSweep;
        pendingSweep = null;
      }
    }
    try {
      if (sweep != null) {
        upsert(ResultTables.SWEEPS, List.of(ResultTables.sweepRow(sweep)), ResultTables.SWEEPS_SCHEMA, ResultTables.SWEEP_KEY);
        nextSweepRowMillis = System.currentTimeMillis() + SWEEP_ROW_INTERVAL_MILLIS;
      }
      if (!trials.isEmpty()) {
        List<Row> trialRows = new ArrayList<>();
        List<Row> metricRows = new ArrayList<>();
        for (TrialRecord r : trials) {
          trialRows.add(ResultTables.trialRow(r, paramsType));
          metricRows.addAll(ResultTables.metricRows(r));
        }
        upsert(ResultTables.TRIALS, trialRows, ResultTables.trialsSchema(paramsType), ResultTables.TRIAL_KEY);
        if (!metricRows.isEmpty()) {
          upsert(ResultTables.TRIAL_METRICS, metricRows, ResultTables.METRICS_SCHEMA, ResultTables.METRIC_KEY);
        }
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
      if ((pendingSweep != null || !pendingTrials.isEmpty()) && !thread.isShutdown()) {
        thread.execute(this::drain);
      }
    }
  }

  /** The pause after a write that took {@code busyMillis}. */
  static long pause(long busyMillis) {
    return Math.max(MIN_INTERVAL_MILLIS, Math.min(MAX_INTERVAL_MILLIS, IDLE_PER_BUSY * busyMillis));
  }

  private void upsert(String table, List<Row> rows, StructType schema, String key) {
    spark.sparkContext().setJobDescription("prepsweep: record " + rows.size() + " row(s) in " + table);
    Dataset<Row> df = spark.createDataFrame(rows, schema);
    String path = warehouse.path(table);
    if (!warehouse.exists(table)) {
      df.write().format("delta").mode("append").save(path);
      return;
    }
    DeltaTable.forPath(spark, path).as("t").merge(df.as("s"), key)
        .whenMatched().updateAll()
        .whenNotMatched().insertAll()
        .execute();
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
