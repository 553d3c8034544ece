package dev.prepsweep.app.it;

import dev.prepsweep.app.spark.LocalSparkHome;
import dev.prepsweep.app.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone cluster on loopback made of separate JVMs started from this test's classpath:
 * one Master and N Workers, each Worker offering "trainer" slots (one training task per executor)
 * and optionally fake GPUs from {@code conf/gpu-discovery.sh}. Closing it stops every process by PID.
 */
final class StandaloneCluster implements AutoCloseable {

  final LocalProcesses procs;
  final String masterUrl;
  final Map<String, String> env;
  private final List<Process> workers = new ArrayList<>();

  /**
   * @param trainerSlots trainer slots per worker (= executors per worker that may train at once)
   * @param fakeGpus GPUs each worker reports (0 for none)
   */
  StandaloneCluster(Path work, int workers, int coresPerWorker, String memoryPerWorker, int trainerSlots, int fakeGpus)
      throws IOException, InterruptedException {
    Path sparkHome = work.resolve("spark-home");
    LocalSparkHome.fromThisJvm(sparkHome);
    Path slotScript = sparkHome.resolve("bin/trainer-slots.sh");
    Files.createDirectories(slotScript.getParent());
    Files.writeString(slotScript, SparkSessions.trainerSlotScript(trainerSlots));
    slotScript.toFile().setExecutable(true);
    this.env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13", "SPARK_LOCAL_IP", "127.0.0.1",
        "PREPSWEEP_FAKE_GPUS", String.valueOf(fakeGpus));
    this.procs = new LocalProcesses(work.resolve("logs"));
    int port = LocalProcesses.freePort();
    this.masterUrl = "spark://127.0.0.1:" + port;
    procs.java("master", env, List.of(), "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(LocalProcesses.freePort()));
    procs.awaitLog("master", "I have been elected leader", Duration.ofSeconds(90));
    for (int w = 1; w <= workers; w++) {
      Path workDir = work.resolve("worker-" + w);
      Files.createDirectories(workDir);
      List<String> jvm = new ArrayList<>(List.of(
          "-Dspark.worker.resource.trainer.amount=" + trainerSlots,
          "-Dspark.worker.resource.trainer.discoveryScript=" + slotScript));
      if (fakeGpus > 0) {
        jvm.add("-Dspark.worker.resource.gpu.amount=" + fakeGpus);
        jvm.add("-Dspark.worker.resource.gpu.discoveryScript=" + TestData.REPO.resolve("conf/gpu-discovery.sh"));
      }
      this.workers.add(procs.java("worker-" + w, env, jvm, "org.apache.spark.deploy.worker.Worker", masterUrl,
          "--host", "127.0.0.1", "--cores", String.valueOf(coresPerWorker), "--memory", memoryPerWorker,
          "--work-dir", workDir.toString(), "--webui-port", String.valueOf(LocalProcesses.freePort())));
    }
    for (int w = 1; w <= workers; w++) {
      procs.awaitLog("worker-" + w, "Successfully registered with master", Duration.ofSeconds(90));
    }
  }

  /** Submits the thin app jar in client mode with one trainer slot per executor. */
  Process submit(String name, List<String> sparkConf, String... appArgs) {
    List<String> args = new ArrayList<>(List.of("--master", masterUrl, "--deploy-mode", "client",
        "--class", "dev.prepsweep.app.cli.Main",
        "--conf", "spark.executor.resource.trainer.amount=1",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false"));
    for (String c : sparkConf) {
      args.add("--conf");
      args.add(c);
    }
    args.add(Path.of("target/prepsweep-app.jar").toAbsolutePath().toString());
    args.addAll(List.of(appArgs));
    return procs.java(name, env, List.of(), "org.apache.spark.deploy.SparkSubmit", args.toArray(String[]::new));
  }

  /** Kills worker {@code n} (1-based) and the executors it launched, as a lost machine would vanish. */
  void killWorker(int n) {
    Process worker = workers.get(n - 1);
    worker.descendants().forEach(ProcessHandle::destroyForcibly);
    worker.destroyForcibly();
  }

  /**
   * Kills (SIGKILL) the executor JVM with Spark executor id {@code executorId}, wherever a worker
   * launched it, as the kernel's OOM killer or an operator would; false if no such process is alive.
   */
  boolean killExecutor(String executorId) {
    for (Process worker : workers) {
      for (ProcessHandle p : worker.descendants().toList()) {
        List<String> args = List.of(p.info().arguments().orElse(new String[0]));
        int at = args.indexOf("--executor-id");
        if (at >= 0 && at + 1 < args.size() && args.get(at + 1).equals(executorId)) {
          return p.destroyForcibly();
        }
      }
    }
    return false;
  }

  @Override
  public void close() {
    procs.close();
  }
}
