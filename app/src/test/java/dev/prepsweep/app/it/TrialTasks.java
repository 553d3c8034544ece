package dev.prepsweep.app.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The executors of running trial tasks (jobs of a trial's or a slot runner's job group), seen from the driver's
 * listener bus.
 */
final class TrialTasks extends SparkListener {
  private final Map<Integer, Boolean> trialStages = new ConcurrentHashMap<>();
  /** Running trial tasks: task id to executor. */
  private final Map<Long, String> running = new ConcurrentHashMap<>();
  /** Executors under which a trial task ended while running (failed by the executor's loss). */
  private final Set<String> lostUnder = ConcurrentHashMap.newKeySet();

  @Override
  public void onJobStart(SparkListenerJobStart job) {
    String group = job.properties() == null ? null : job.properties().getProperty("spark.jobGroup.id");
    // a trial's own job (launcher job) or a slot runner's (launcher slots), which runs trial after trial
    if (group != null && (group.contains("-trial-") || group.contains("-slot-runner-"))) {
      CollectionConverters.asJava(job.stageIds()).forEach(id -> trialStages.put((Integer) id, true));
    }
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart task) {
    if (trialStages.containsKey(task.stageId())) {
      running.put(task.taskInfo().taskId(), task.taskInfo().executorId());
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    String executor = running.remove(end.taskInfo().taskId());
    if (executor != null && end.reason() instanceof ExecutorLostFailure) {
      lostUnder.add(executor);
    }
  }

  /** The executor of a trial task that has been running for 2 s (training or warming up). */
  String awaitRunning(Duration limit, Future<Integer> sweep, ByteArrayOutputStream out) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline && !sweep.isDone()) {
      for (Map.Entry<Long, String> task : Map.copyOf(running).entrySet()) {
        Thread.sleep(2000);
        if (running.containsKey(task.getKey())) {
          return task.getValue();
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no trial task ran:\n" + out.toString(StandardCharsets.UTF_8));
  }

  boolean endedRunning(String executor) {
    return lostUnder.contains(executor);
  }
}
