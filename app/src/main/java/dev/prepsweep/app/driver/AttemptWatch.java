package dev.prepsweep.app.driver;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The driver's view of running attempts: when each attempt's task launched (not when its job was
 * queued) and when it last reported training progress. The heartbeat is a {@link LongAccumulator} per
 * attempt that the task adds to as it trains ({@code TrialTask}); Spark's executors already send the
 * running tasks' accumulator values with every executor heartbeat
 * ({@code spark.executor.heartbeatInterval}), so the heartbeat costs an add per epoch on the executor
 * and one listener event per executor heartbeat on the driver: no extra RPC, no files.
 */
final class AttemptWatch extends SparkListener {

  /** The job property {@code setJobGroup} sets (Spark's constant for it is not public API). */
  private static final String JOB_GROUP_PROPERTY = "spark.jobGroup.id";

  private final SparkContext sc;
  private final Map<String, Watched> byGroup = new ConcurrentHashMap<>();
  private final Map<Long, Watched> byAccumulator = new ConcurrentHashMap<>();
  private final Map<Integer, Watched> byStage = new ConcurrentHashMap<>();

  private static final class Watched {
    final String group;
    final long accumulatorId;
    volatile long launchedAt;
    volatile long lastProgressAt;
    volatile long lastValue;

    Watched(String group, long accumulatorId) {
      this.group = group;
      this.accumulatorId = accumulatorId;
    }
  }

  AttemptWatch(SparkContext sc) {
    this.sc = sc;
    sc.addSparkListener(this);
  }

  /** Starts watching the attempt of job group {@code group}; returns the accumulator its task beats on. */
  LongAccumulator watch(String group) {
    LongAccumulator beat = sc.longAccumulator("prepsweep heartbeat " + group);
    Watched w = new Watched(group, beat.id());
    byGroup.put(group, w);
    byAccumulator.put(beat.id(), w);
    return beat;
  }

  void forget(String group) {
    Watched w = byGroup.remove(group);
    if (w != null) {
      byAccumulator.remove(w.accumulatorId);
      byStage.values().removeIf(x -> x == w);
    }
  }

  /** The verdict of {@code rule} on the attempt of {@code group}, or null while it may go on. */
  HangRule.Verdict check(String group, HangRule rule, long now) {
    Watched w = byGroup.get(group);
    return w == null ? null : rule.check(w.launchedAt, w.lastProgressAt, now);
  }

  void stop() {
    sc.removeSparkListener(this);
  }

  @Override
  public void onJobStart(SparkListenerJobStart job) {
    String group = job.properties() == null ? null : job.properties().getProperty(JOB_GROUP_PROPERTY);
    Watched w = group == null ? null : byGroup.get(group);
    if (w != null) {
      CollectionConverters.asJava(job.stageIds()).forEach(id -> byStage.put((Integer) id, w));
    }
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart task) {
    Watched w = byStage.get(task.stageId());
    if (w != null) {
      // a rerun (lost executor) starts the clocks again
      w.launchedAt = task.taskInfo().launchTime();
      w.lastProgressAt = w.launchedAt;
    }
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    long now = System.currentTimeMillis();
    for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> task
        : CollectionConverters.asJava(update.accumUpdates())) {
      for (AccumulableInfo info : CollectionConverters.asJava(task._4())) {
        Watched w = byAccumulator.get(info.id());
        if (w != null && info.update().isDefined() && info.update().get() instanceof Number n && n.longValue() != w.lastValue) {
          w.lastValue = n.longValue();
          w.lastProgressAt = now;
        }
      }
    }
  }
}
