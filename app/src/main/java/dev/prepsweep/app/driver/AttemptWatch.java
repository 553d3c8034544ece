package dev.prepsweep.app.driver;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The driver's view of running attempts: when each attempt's task launched (not when its job was
 * queued) and when it last reported training progress. The heartbeat is a {@link LongAccumulator} per
 * attempt that the task adds to as it trains ({@code TrialTask}); Spark's executors already send the
 * running tasks' accumulator values with every executor heartbeat
 * ({@code spark.executor.heartbeatInterval}), so the heartbeat costs an add per epoch on the executor
 * and one listener event per executor heartbeat on the driver: no extra RPC, no files.
 *
 * <p>It also sees executors die under attempts: Spark would rerun such a task silently (issue #17: an
 * executor killed by OutOfMemoryError three times, nothing on record). On the task's
 * {@code ExecutorLostFailure} the attempt's job group is cancelled at once, before the rerun gets far,
 * and the driver ends the attempt as LOST with the {@link ExecutorLoss} and runs the trial again as
 * its next attempt.
 */
final class AttemptWatch extends SparkListener {

  /** The job property {@code setJobGroup} sets (Spark's constant for it is not public API). */
  private static final String JOB_GROUP_PROPERTY = "spark.jobGroup.id";
  private static final Logger LOG = LoggerFactory.getLogger(AttemptWatch.class);
  /** Executors removed during the sweep and Spark's reason, to complete a loss's description. */
  private final Map<String, String> removedExecutors = new ConcurrentHashMap<>();
  /** Executors Spark added while the sweep ran (or that ran its tasks), less those it removed. */
  private final Set<String> liveExecutors = ConcurrentHashMap.newKeySet();

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
    /** The first executor loss under this attempt, if any. */
    volatile ExecutorLoss lost;

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

  /**
   * The executor loss that ended the attempt of {@code group}, if one did; asked before
   * {@link #forget}. The executor-removed reason is filled in when Spark has reported it by now.
   */
  Optional<ExecutorLoss> lost(String group) {
    Watched w = byGroup.get(group);
    ExecutorLoss loss = w == null ? null : w.lost;
    if (loss == null) {
      return Optional.empty();
    }
    String removed = removedExecutors.get(loss.executorId());
    return Optional.of(removed == null || loss.removedReason() != null ? loss
        : new ExecutorLoss(loss.executorId(), loss.host(), loss.causedByApp(), loss.taskReason(), removed));
  }

  void forget(String group) {
    Watched w = byGroup.remove(group);
    if (w != null) {
      byAccumulator.remove(w.accumulatorId);
      byStage.values().removeIf(x -> x == w);
    }
  }

  /** When the task of the attempt of {@code group} launched and last reported progress (0 before it launched). */
  Optional<TrialLauncher.Heartbeat> heartbeat(String group) {
    Watched w = byGroup.get(group);
    return w == null ? Optional.empty() : Optional.of(new TrialLauncher.Heartbeat(w.launchedAt, w.lastProgressAt));
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
    if (!removedExecutors.containsKey(task.taskInfo().executorId())) {
      liveExecutors.add(task.taskInfo().executorId());
    }
    Watched w = byStage.get(task.stageId());
    if (w != null) {
      // a rerun (lost executor) starts the clocks again
      w.launchedAt = task.taskInfo().launchTime();
      w.lastProgressAt = w.launchedAt;
      LOG.info("{}: task started on executor {} ({})", w.group, task.taskInfo().executorId(), task.taskInfo().host());
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    Watched w = byStage.get(end.stageId());
    if (w == null || w.lost != null || !(end.reason() instanceof ExecutorLostFailure failure)) {
      return;
    }
    String executor = failure.execId();
    w.lost = new ExecutorLoss(executor, end.taskInfo().host(), failure.exitCausedByApp(),
        failure.reason().isDefined() ? failure.reason().get() : null, removedExecutors.get(executor));
    LOG.warn("{}: {}; cancelling Spark's silent rerun so that the loss is recorded", w.group, w.lost.reason());
    // from the listener thread, so the rerun Spark already queued is stopped before it trains far
    sc.cancelJobGroup(w.group);
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
    removedExecutors.put(removed.executorId(), removed.reason());
    liveExecutors.remove(removed.executorId());
  }

  @Override
  public void onExecutorAdded(SparkListenerExecutorAdded added) {
    liveExecutors.add(added.executorId());
  }

  /** How many executors joined since the sweep started (or ran its tasks) and are still alive. */
  int executorsJoined() {
    return liveExecutors.size();
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
