package dev.prepsweep.app.driver;

import dev.prepsweep.app.config.TrialResources;
import dev.prepsweep.app.spark.SparkSessions;
import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.training.TrialOutcome;
import dev.prepsweep.training.TrialSpec;
import dev.prepsweep.training.TrialTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ExecutorResourceRequests;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each attempt as its own Spark job (one task per task spec, in a job group named after the
 * attempt, so it can be cancelled and is one entry in Spark's UI), on the stage-level resources a trial
 * asks for. Its {@link AttemptWatch} supplies the heartbeats and the executor losses under attempts.
 */
final class SparkTrialLauncher implements TrialLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(SparkTrialLauncher.class);

  private final JavaSparkContext jsc;
  private final SparkContext sc;
  private final ResourceProfile profile;
  /** Trial tasks one executor runs at once; 0 when Spark does not say (then any number once one executor is up). */
  private final TrialCapacity capacity;
  private final int lookahead;
  private final ExecutorService pool;
  private final AttemptWatch watch;
  private final Map<String, String> groups = new ConcurrentHashMap<>();

  /**
   * @param parallelism the sweep's attempts in flight at most (one launcher thread each, waiting on its job)
   */
  SparkTrialLauncher(SparkSession spark, TrialResources resources, int parallelism) {
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.sc = spark.sparkContext();
    this.profile = trialProfile(spark, resources);
    SparkConf conf = sc.getConf();
    this.capacity = new TrialCapacity(spark, resources);
    // Where slots are enforced by Spark (a trainer slot or GPU per trial task), one extra trial job
    // waits in Spark's queue, so a freed slot starts the next trial without waiting for the driver.
    this.lookahead = profile != null && (SparkSessions.hasTrainerSlots(spark) || resources.gpus() > 0) ? 1 : 0;
    this.pool = Executors.newFixedThreadPool(parallelism + lookahead, r -> {
      Thread t = new Thread(r, "prepsweep-trial-launcher");
      t.setDaemon(true);
      return t;
    });
    this.watch = new AttemptWatch(spark.sparkContext());
  }

  @Override
  public CompletableFuture<Result> launch(TrialSpec spec, List<TrialSpec> tasks,
      BiConsumer<TrialSpec, TrialOutcome> taskDone) {
    String group = group(spec);
    groups.put(key(spec), group);
    // the task's heartbeat: one add when it starts and one per epoch, carried by executor heartbeats
    LongAccumulator beat = watch.watch(group);
    ResourceProfile resources = profile;
    return CompletableFuture.supplyAsync(() -> {
      // One Spark UI entry per trial attempt, named after it.
      jsc.setJobGroup(group, "prepsweep " + spec.sweepId() + " trial " + spec.trialId() + " attempt " + spec.attempt()
          + " " + spec.params(), true);
      // One job of one task per task spec, all in the attempt's job group (a trial's cross-validation folds train
      // in parallel where slots allow): a fold whose job finished keeps its outcome when the group is cancelled
      // later (an executor lost, a hang), where one job of k tasks would have returned nothing.
      List<JavaFutureAction<List<TrialOutcome>>> jobs = new ArrayList<>();
      for (TrialSpec task : tasks) {
        var rdd = jsc.parallelize(List.of(task), 1);
        if (resources != null) {
          rdd = rdd.withResources(resources);
        }
        jobs.add(rdd.map(s -> {
          beat.add(1);
          return TrialTask.run(s, m -> beat.add(1));
        }).collectAsync());
      }
      return ended(spec, tasks, outcomes(spec, tasks, jobs, taskDone));
    }, pool);
  }

  /** Each task's outcome as its job ends (reported to {@code taskDone}), or a failed one where its job failed. */
  private static List<TrialOutcome> outcomes(TrialSpec spec, List<TrialSpec> tasks,
      List<JavaFutureAction<List<TrialOutcome>>> jobs, BiConsumer<TrialSpec, TrialOutcome> taskDone) {
    TrialOutcome[] outcomes = new TrialOutcome[tasks.size()];
    int pending = tasks.size();
    while (pending > 0) {
      boolean ended = false;
      for (int i = 0; i < jobs.size(); i++) {
        JavaFutureAction<List<TrialOutcome>> job = jobs.get(i);
        // the last job left is waited for; others are looked at in turn (a Java future has no callback)
        if (outcomes[i] != null || !(job.isDone() || pending == 1)) {
          continue;
        }
        try {
          outcomes[i] = job.get().get(0);
          taskDone.accept(tasks.get(i), outcomes[i]);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          jobs.forEach(j -> j.cancel(true));
          outcomes[i] = failed(spec, "interrupted while waiting for the trial's Spark job");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
          // The Spark job itself failed: cancelled, or the task was lost more often than spark.task.maxFailures.
          Throwable cause = e.getCause() == null ? e : e.getCause();
          outcomes[i] = failed(spec, "Spark job failed: " + cause.getMessage());
        }
        pending--;
        ended = true;
      }
      if (!ended) {
        try {
          Thread.sleep(JOB_POLL_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          jobs.forEach(j -> j.cancel(true));
        }
      }
    }
    return List.of(outcomes);
  }

  /** How often the jobs of an attempt of several tasks are looked at for one that ended. */
  private static final long JOB_POLL_MILLIS = 100;

  private static TrialOutcome failed(TrialSpec spec, String error) {
    long now = System.currentTimeMillis();
    return new TrialOutcome(spec.sweepId(), spec.trialId(), spec.attempt(), false, error, List.of(), null, null, null,
        null, null, now, now);
  }

  /** The attempt's result with the executor loss under it, if any; the attempt is no longer watched. */
  private Result ended(TrialSpec spec, List<TrialSpec> tasks, List<TrialOutcome> outcomes) {
    String group = groups.remove(key(spec));
    Optional<ExecutorLoss> lost = watch.lost(group);
    watch.forget(group);
    return new Result(spec, tasks, outcomes, lost);
  }

  @Override
  public void cancel(TrialSpec attempt) {
    String group = groups.get(key(attempt));
    if (group != null) {
      jsc.cancelJobGroup(group);
    }
  }

  /** {@link TrialCapacity}: the live executors times their trial slots. */
  @Override
  public int capacity() {
    return capacity.now(watch);
  }

  @Override
  public int lookahead() {
    return lookahead;
  }

  @Override
  public Optional<Heartbeat> heartbeat(TrialSpec attempt) {
    String group = groups.get(key(attempt));
    return group == null ? Optional.empty() : watch.heartbeat(group);
  }

  @Override
  public void close() {
    watch.stop();
    pool.shutdownNow();
  }

  private static String group(TrialSpec spec) {
    return spec.sweepId() + "-trial-" + spec.trialId() + "-" + spec.attempt();
  }

  private static String key(TrialSpec spec) {
    return spec.trialId() + "/" + spec.attempt();
  }

  /** How long a sweep waits for a first executor: {@code spark.prepsweep.executorWait}, default 10 minutes. */
  static long executorWaitMillis(SparkConf conf) {
    String key = SweepScheduler.EXECUTOR_WAIT_KEY;
    try {
      return conf.getTimeAsMs(key, "10min");
    } catch (RuntimeException e) {
      throw new ConfigException("--conf " + key + "=" + conf.get(key, "") + ": must be a duration such as 90s or 10min ("
          + e.getMessage() + ")", e);
    }
  }

  /** The trials a sweep of {@code requested} parallelism runs at once on {@code spark}'s master. */
  static int parallelism(SparkSession spark, int requested) {
    if (SparkSessions.isSingleJvm(spark) && requested > 1) {
      LOG.warn("master {} runs every task in one JVM, where DJL can train only one model at a time:"
          + " running 1 trial at a time instead of {}. Use the embedded default (bin/prepsweep with no"
          + " --master) or a cluster for parallel trials.", spark.sparkContext().master(), requested);
      return 1;
    }
    return requested;
  }

  /**
   * The stage-level resources of a trial task: its cores, its GPU share, and one trainer slot where
   * executors have them. Null where Spark cannot schedule per stage (local mode) or nothing is asked.
   */
  static ResourceProfile trialProfile(SparkSession spark, TrialResources resources) {
    if (SparkSessions.isSingleJvm(spark)) {
      return null;
    }
    TaskResourceRequests requests = new TaskResourceRequests().cpus(resources.cpus());
    boolean custom = resources.cpus() != 1;
    if (resources.gpus() > 0) {
      requests.resource("gpu", resources.gpus());
      custom = true;
    }
    if (SparkSessions.hasTrainerSlots(spark)) {
      requests.resource(SparkSessions.TRAINER_RESOURCE, 1.0);
      custom = true;
    }
    if (!custom) {
      return null;
    }
    ResourceProfileBuilder profile = new ResourceProfileBuilder().require(requests);
    SparkConf conf = spark.sparkContext().getConf();
    if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      // Under dynamic allocation Spark starts executors per profile, and a profile of task requests only gets
      // executors without the trainer slot or GPU its tasks need: ask for the configured executor's resources.
      ExecutorResourceRequests executor = new ExecutorResourceRequests();
      if (conf.contains("spark.executor.cores")) {
        executor.cores(conf.getInt("spark.executor.cores", 1));
      }
      if (conf.contains("spark.executor.memory")) {
        executor.memory(conf.get("spark.executor.memory"));
      }
      for (String name : List.of(SparkSessions.TRAINER_RESOURCE, "gpu")) {
        String prefix = "spark.executor.resource." + name + ".";
        if (conf.contains(prefix + "amount")) {
          executor.resource(name, (long) conf.getDouble(prefix + "amount", 1), conf.get(prefix + "discoveryScript", ""),
              conf.get(prefix + "vendor", ""));
        }
      }
      profile.require(executor);
    }
    return profile.build();
  }
}
