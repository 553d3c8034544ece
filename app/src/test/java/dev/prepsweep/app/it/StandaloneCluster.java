package dev.prepsweep.app.it;

import dev.prepsweep.app.spark.SparkSessions;
import dev.prepsweep.common.spark.LocalSparkHome;
import dev.prepsweep.testkit.LocalProcesses;
import dev.prepsweep.testkit.TestSparkHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The test kit's {@link dev.prepsweep.testkit.StandaloneCluster} as the application runs on it: each
 * Worker offers "trainer" slots (one training task per executor) and optionally fake GPUs from
 * {@code conf/gpu-discovery.sh}; {@link #submit} runs the app through spark-submit: the thin jar on a
 * cluster made of this test's class path, or the {@code -cluster} jar on a cluster's Spark
 * installation without prepsweep ({@link #withClusterJar}).
 */
final class StandaloneCluster implements AutoCloseable {

  final LocalProcesses procs;
  final String masterUrl;
  final Map<String, String> env;
  private final dev.prepsweep.testkit.StandaloneCluster cluster;
  private final Path appJar;
  /** Module class folders of this test's class path (a build that did not package them), for executors. */
  private final String extraClassPath;

  /**
   * A cluster of this test's class path, to which {@link #submit} sends the thin jar.
   *
   * @param trainerSlots trainer slots per worker (= executors per worker that may train at once)
   * @param fakeGpus GPUs each worker reports (0 for none)
   */
  StandaloneCluster(Path work, int workers, int coresPerWorker, String memoryPerWorker, int trainerSlots, int fakeGpus)
      throws IOException, InterruptedException {
    this(work, workers, coresPerWorker, memoryPerWorker, trainerSlots, fakeGpus, null);
  }

  /**
   * A cluster whose Master, Workers, executors and spark-submit run on {@link ClusterInstall}'s jars
   * (Spark, Delta, Hadoop), to which {@link #submit} sends the packaged {@code -cluster} jar.
   */
  static StandaloneCluster withClusterJar(Path work, int workers, int coresPerWorker, String memoryPerWorker,
      int trainerSlots) throws IOException, InterruptedException {
    return new StandaloneCluster(work, workers, coresPerWorker, memoryPerWorker, trainerSlots, 0,
        ClusterInstall.prepare(work.resolve("cluster-spark-home")));
  }

  private StandaloneCluster(Path work, int workers, int coresPerWorker, String memoryPerWorker, int trainerSlots,
      int fakeGpus, ClusterInstall install) throws IOException, InterruptedException {
    LocalSparkHome sparkHome = install == null ? TestSparkHome.prepare(work.resolve("spark-home")) : install.sparkHome();
    this.appJar = install == null ? Path.of("target/prepsweep-app.jar").toAbsolutePath() : ClusterInstall.clusterJar();
    this.extraClassPath = sparkHome.extraClassPath();
    Path slotScript = sparkHome.home().resolve("bin/trainer-slots.sh");
    Files.createDirectories(slotScript.getParent());
    Files.writeString(slotScript, SparkSessions.trainerSlotScript(trainerSlots));
    slotScript.toFile().setExecutable(true);
    Map<String, String> env = new HashMap<>(TestSparkHome.env(sparkHome));
    env.put("PREPSWEEP_FAKE_GPUS", String.valueOf(fakeGpus));
    this.env = Map.copyOf(env);
    List<String> jvm = new ArrayList<>(List.of(
        "-Dspark.worker.resource.trainer.amount=" + trainerSlots,
        "-Dspark.worker.resource.trainer.discoveryScript=" + slotScript));
    if (fakeGpus > 0) {
      jvm.add("-Dspark.worker.resource.gpu.amount=" + fakeGpus);
      jvm.add("-Dspark.worker.resource.gpu.discoveryScript=" + TestData.REPO.resolve("conf/gpu-discovery.sh"));
    }
    Path logConfig = Path.of("src/test/resources/it-cluster-log4j2.properties");
    this.procs = install == null ? new LocalProcesses(work.resolve("logs"), logConfig)
        : new LocalProcesses(work.resolve("logs"), logConfig, install.classpath());
    try {
      this.cluster = new dev.prepsweep.testkit.StandaloneCluster(work, procs, this.env, workers, coresPerWorker,
          memoryPerWorker, jvm);
    } catch (RuntimeException | Error | InterruptedException e) {
      procs.close(); // a Master or Worker that did not start in time: stop the ones that did
      throw e;
    }
    this.masterUrl = cluster.masterUrl();
  }

  /** Submits the app jar (thin or {@code -cluster}) in client mode with one trainer slot per executor. */
  Process submit(String name, List<String> sparkConf, String... appArgs) {
    List<String> args = new ArrayList<>(List.of("--master", masterUrl, "--deploy-mode", "client",
        "--class", "dev.prepsweep.app.cli.Main",
        "--conf", "spark.executor.resource.trainer.amount=1",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
        // small tables: Spark's 200 shuffle partitions and Delta's 50 state partitions made a sweep's
        // last result MERGE take minutes of task overhead on a loaded machine (what local masters get)
        "--conf", "spark.sql.shuffle.partitions=8", "--conf", "spark.databricks.delta.snapshotPartitions=2"));
    if (!extraClassPath.isEmpty()) {
      args.addAll(List.of("--conf", "spark.executor.extraClassPath=" + extraClassPath));
    }
    for (String c : sparkConf) {
      args.add("--conf");
      args.add(c);
    }
    args.add(appJar.toString());
    args.addAll(List.of(appArgs));
    return procs.java(name, env, List.of(), "org.apache.spark.deploy.SparkSubmit", args.toArray(String[]::new));
  }

  /** Kills worker {@code n} (1-based) and the executors it launched, as a lost machine would vanish. */
  void killWorker(int n) throws InterruptedException {
    cluster.killWorker(n);
  }

  /**
   * Kills (SIGKILL) the executor JVM with Spark executor id {@code executorId}, wherever a worker
   * launched it, as the kernel's OOM killer or an operator would; false if no such process is alive.
   */
  boolean killExecutor(String executorId) {
    return cluster.killExecutor(executorId);
  }

  /** Starts killed worker {@code n} (1-based) again and waits until it has registered. */
  void restartWorker(int n) throws InterruptedException {
    cluster.restartWorker(n);
  }

  /** Starts killed worker {@code n} (1-based) again without waiting for it to register. */
  void startWorkerAgain(int n) {
    cluster.startWorkerAgain(n);
  }

  /** Starts every killed worker again, so the next test finds the cluster whole; how many it restarted. */
  int restartDownWorkers() throws InterruptedException {
    return cluster.restartDownWorkers();
  }

  /** The number of workers (live or killed). */
  int workerCount() {
    return cluster.workerCount();
  }

  /** The worker (1-based) that runs executor {@code executorId}, or 0 if none does. */
  int workerOf(String executorId) {
    return cluster.workerOf(executorId);
  }

  boolean workerAlive(int n) {
    return cluster.workerAlive(n);
  }

  /** The Spark executor ids of the executor JVMs running now. */
  List<String> executorIds() {
    return cluster.executorIds();
  }

  @Override
  public void close() {
    cluster.close();
  }
}
