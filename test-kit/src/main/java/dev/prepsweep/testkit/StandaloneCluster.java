package dev.prepsweep.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone cluster on loopback made of separate JVMs started from this test's class path:
 * one Master and N Workers. What the Workers offer beyond cores and memory (custom resources and
 * their discovery scripts) comes in as Worker JVM options. Closing it stops every process by PID,
 * with the executors the Workers launched.
 */
public final class StandaloneCluster implements AutoCloseable {

  private final LocalProcesses procs;
  private final String masterUrl;
  private final List<Process> workers = new ArrayList<>();

  /**
   * Starts the Master and the Workers and waits until every Worker has registered.
   *
   * @param work the cluster's folder (logs, Worker folders)
   * @param procs starts and stops the JVMs; its log configuration must keep Spark's deploy INFO lines
   * @param env the children's environment: {@link TestSparkHome#env} plus what discovery scripts read
   * @param workerJvmArgs options of every Worker JVM, e.g. {@code -Dspark.worker.resource.gpu.amount=2}
   */
  public StandaloneCluster(Path work, LocalProcesses procs, Map<String, String> env, int workers, int coresPerWorker,
      String memoryPerWorker, List<String> workerJvmArgs) throws InterruptedException {
    this.procs = procs;
    int port = LocalProcesses.freePort();
    this.masterUrl = "spark://127.0.0.1:" + port;
    procs.java("master", env, List.of(), "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(LocalProcesses.freePort()));
    procs.awaitLog("master", "I have been elected leader", Duration.ofSeconds(90));
    for (int w = 1; w <= workers; w++) {
      Path workDir = work.resolve("worker-" + w);
      try {
        Files.createDirectories(workDir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the worker folder " + workDir + ": " + e.getMessage(), e);
      }
      this.workers.add(procs.java("worker-" + w, env, workerJvmArgs, "org.apache.spark.deploy.worker.Worker", masterUrl,
          "--host", "127.0.0.1", "--cores", String.valueOf(coresPerWorker), "--memory", memoryPerWorker,
          "--work-dir", workDir.toString(), "--webui-port", String.valueOf(LocalProcesses.freePort())));
    }
    for (int w = 1; w <= workers; w++) {
      procs.awaitLog("worker-" + w, "Successfully registered with master", Duration.ofSeconds(90));
    }
  }

  /** {@code spark://127.0.0.1:PORT}. */
  public String masterUrl() {
    return masterUrl;
  }

  /** The cluster's processes (their logs; further processes such as spark-submit). */
  public LocalProcesses processes() {
    return procs;
  }

  /** Kills worker {@code n} (1-based) and the executors it launched, as a lost machine would vanish. */
  public void killWorker(int n) {
    Process worker = workers.get(n - 1);
    worker.descendants().forEach(ProcessHandle::destroyForcibly);
    worker.destroyForcibly();
  }

  /**
   * Kills (SIGKILL) the executor JVM with Spark executor id {@code executorId}, wherever a worker
   * launched it, as the kernel's OOM killer or an operator would; false if no such process is alive.
   */
  public boolean killExecutor(String executorId) {
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
