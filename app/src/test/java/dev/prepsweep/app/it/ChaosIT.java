package dev.prepsweep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.spark.SparkSessions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Chaos: an ASHA sweep of 30 short trials on the {@link SharedCluster} (three workers) while the test
 * kills (SIGKILL, loopback processes it started) a random executor or a whole worker every few
 * seconds, and starts killed workers again. Whatever dies, every trial number ends exactly once,
 * every attempt is one row and each lost one is followed by its rerun, the budget is met, and no
 * epoch row is written twice.
 */
class ChaosIT {

  private static final Path WORK = Path.of("target/it-chaos").toAbsolutePath();
  private static final int TRIALS = 30;
  /** The driver's (spark-submit's) log among the shared cluster's processes. */
  private static final String LOG = "chaos";
  /** Short trials: rungs at 1, 3 and 9 epochs of a small model on the 1,000-message sample. */
  private static final String SWEEP = """
      train: {hash_dim: 256, hidden: 16}
      sweep:
        method: random
        metric: {name: val_accuracy, goal: maximize}
        parameters:
          lr: {distribution: log_uniform, min: 1.0e-3, max: 3.0e-2}
        early_terminate: {type: asha, min_resource: 1, max_resource: 9, eta: 3}
        budget: {trials: %d}
        parallelism: 3
      """.formatted(TRIALS);
  /** The chaos is bounded: at most this many kills, a few seconds apart, within this time. */
  private static final int MAX_KILLS = 8;
  private static final int MAX_WORKER_KILLS = 2;
  private static final Duration KILL_EVERY = Duration.ofSeconds(3);
  private static final Duration CHAOS_FOR = Duration.ofSeconds(120);

  @Test
  void sweepUnderKilledExecutorsAndWorkersEndsEveryTrialOnceWithEveryAttemptOnRecord() throws Exception {
    Path warehouse = PreparedSplits.warehouse(WORK.resolve("warehouse"));
    Path config = PreparedSplits.config(WORK, SWEEP);
    List<String> kills = new ArrayList<>();
    String driverLog;
    StandaloneCluster cluster = SharedCluster.whole();
    try {
      // one executor of two cores on each of the shared cluster's workers
      Process submit = cluster.submit(LOG, List.of("spark.executor.cores=2", "spark.executor.memory=1g"),
          "sweep", "--config", config.toString(), "--warehouse", warehouse.toString());
      // the chaos starts with the first trial task (generous wait: CI machines may be loaded)
      cluster.procs.awaitLog(LOG, "task started on executor ", Duration.ofMinutes(10));
      chaos(cluster, submit, kills);
      assertThat(submit.waitFor(10, TimeUnit.MINUTES)).as("the sweep finished after the chaos %s", kills).isTrue();
      driverLog = cluster.procs.log(LOG);
      assertThat(submit.exitValue()).as(driverLog).isZero();
    } finally {
      cluster.restartDownWorkers();
    }
    assertThat(kills).as("the chaos killed something while trials ran").hasSizeGreaterThanOrEqualTo(3);

    SparkSession spark = SparkSessions.create("local[2]", "ChaosIT checks");
    try {
      Dataset<Row> trials = spark.read().format("delta").load(warehouse + "/trials");
      List<Row> rows = trials.select("trial_id", "attempt", "state", "error").orderBy("trial_id", "attempt").collectAsList();
      Map<Integer, List<Row>> byTrial = new TreeMap<>();
      rows.forEach(r -> byTrial.computeIfAbsent(r.getInt(0), t -> new ArrayList<>()).add(r));
      String why = "kills " + kills + "\n" + rows;
      // every trial number 0..29, and each one final outcome: its last attempt, COMPLETE or PRUNED
      assertThat(byTrial.keySet()).as(why).hasSize(TRIALS).first().isEqualTo(0);
      assertThat(byTrial.keySet()).as(why).last().isEqualTo(TRIALS - 1);
      int firstAttempt = rows.stream().mapToInt(r -> r.getInt(1)).min().orElseThrow();
      for (List<Row> attempts : byTrial.values()) {
        for (int i = 0; i < attempts.size(); i++) {
          Row a = attempts.get(i);
          assertThat(a.getInt(1)).as("attempts of trial %d are consecutive, each once: %s", a.getInt(0), attempts)
              .isEqualTo(firstAttempt + i);
          if (i < attempts.size() - 1) {
            // a lost attempt, then its rerun as the next attempt (executor losses are not failures)
            assertThat(a.getString(2)).as("trial %d attempt %d before its rerun: %s", a.getInt(0), a.getInt(1), attempts)
                .isEqualTo("LOST");
            assertThat(a.getString(3)).contains("the trial runs again as attempt " + (a.getInt(1) + 1));
          } else {
            assertThat(a.getString(2)).as("trial %d's final outcome: %s", a.getInt(0), attempts).isIn("COMPLETE", "PRUNED");
          }
        }
      }
      assertThat(rows).as("killed executors cost attempts, on record: %s", why).anyMatch(r -> r.getString(2).equals("LOST"));
      // the budget is met and the sweep row says so
      Row sweep = spark.read().format("delta").load(warehouse + "/sweeps").head();
      assertThat(sweep.<String>getAs("status")).isEqualTo("COMPLETE");
      assertThat(sweep.<Integer>getAs("trials_complete") + sweep.<Integer>getAs("trials_pruned")).as(why).isEqualTo(TRIALS);
      assertThat(spark.read().format("delta").load(warehouse + "/trial_metrics").groupBy("trial_id", "epoch").count()
          .filter("count > 1").count()).as("no epoch row twice").isZero();
    } finally {
      spark.stop();
    }
    // the progress line's count never goes backwards, however many attempts were lost
    Matcher done = Pattern.compile(": (\\d+)/" + TRIALS + " done").matcher(driverLog);
    int last = 0;
    while (done.find()) {
      int now = Integer.parseInt(done.group(1));
      assertThat(now).as("progress went from %d to %d", last, now).isGreaterThanOrEqualTo(last);
      last = now;
    }
    assertThat(last).isEqualTo(TRIALS);
  }

  /**
   * Every {@link #KILL_EVERY} while the sweep runs: a worker that is down starts again; otherwise a
   * random live executor (two chances in three) or worker is killed with SIGKILL, at most one worker
   * down at a time. Bounded by {@link #MAX_KILLS} and {@link #CHAOS_FOR}; seeded, so the same choices
   * come in the same order (their timing against the trials is the machine's). Down workers are
   * started again at the end.
   */
  private static void chaos(StandaloneCluster cluster, Process sweep, List<String> kills) throws InterruptedException {
    Random random = new Random(17);
    int workerKills = 0;
    long until = System.nanoTime() + CHAOS_FOR.toNanos();
    while (sweep.isAlive() && kills.size() < MAX_KILLS && System.nanoTime() < until) {
      Thread.sleep(KILL_EVERY.toMillis());
      int down = downWorker(cluster);
      if (down > 0) {
        // without waiting for it to register: the chaos goes on while it starts (minutes on a loaded machine)
        cluster.startWorkerAgain(down);
        continue;
      }
      List<String> executors = cluster.executorIds();
      if (workerKills < MAX_WORKER_KILLS && (random.nextInt(3) == 0 || executors.isEmpty())) {
        int worker = 1 + random.nextInt(cluster.workerCount());
        cluster.killWorker(worker);
        workerKills++;
        kills.add("worker " + worker);
      } else if (!executors.isEmpty()) {
        String executor = executors.get(random.nextInt(executors.size()));
        if (cluster.killExecutor(executor)) {
          kills.add("executor " + executor);
        }
      }
    }
    int down = downWorker(cluster);
    if (down > 0) {
      cluster.startWorkerAgain(down);
    }
  }

  /** The number of a worker that is down, or 0. */
  private static int downWorker(StandaloneCluster cluster) {
    for (int w = 1; w <= cluster.workerCount(); w++) {
      if (!cluster.workerAlive(w)) {
        return w;
      }
    }
    return 0;
  }
}
