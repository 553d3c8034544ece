package dev.prepsweep.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Spark standalone cluster on loopback made of separate JVMs started from this test's class path:
 * one Master and N Workers. What the Workers offer beyond cores and memory (custom resources and
 * their discovery scripts) comes in as Worker JVM options. Closing it stops every process by PID,
 * with the executors the Workers launched.
 */
public final class StandaloneCluster implements AutoCloseable {

  /** How long a Master or Worker may take to start (generous: CI machines may be loaded). */
  private static final Duration START_LIMIT = Duration.ofMinutes(3);

  private final LocalProcesses procs;
  private final String masterUrl;
  private final Path work;
  private final Map<String, String> env;
  private final int coresPerWorker;
  private final String memoryPerWorker;
  private final List<String> workerJvmArgs;
  /** The live (or last killed) process of each worker, by worker number - 1. */
  private final List<Process> workers = new ArrayList<>();
  private int restarts;

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
    this.work = work;
    this.env = Map.copyOf(env);
    this.coresPerWorker = coresPerWorker;
    this.memoryPerWorker = memoryPerWorker;
    this.workerJvmArgs = List.copyOf(workerJvmArgs);
    int port = LocalProcesses.freePort();
    this.masterUrl = "spark://127.0.0.1:" + port;
    procs.java("master", env, List.of(), "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(LocalProcesses.freePort()));
    procs.awaitLog("master", "I have been elected leader", START_LIMIT);
    for (int w = 1; w <= workers; w++) {
      this.workers.add(startWorker(w, "worker-" + w));
    }
    for (int w = 1; w <= workers; w++) {
      procs.awaitLog("worker-" + w, "Successfully registered with master", START_LIMIT);
    }
  }

  private Process startWorker(int n, String logName) {
    Path workDir = work.resolve("worker-" + n);
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the worker folder " + workDir + ": " + e.getMessage(), e);
    }
    return procs.java(logName, env, workerJvmArgs, "org.apache.spark.deploy.worker.Worker", masterUrl,
        "--host", "127.0.0.1", "--cores", String.valueOf(coresPerWorker), "--memory", memoryPerWorker,
        "--work-dir", workDir.toString(), "--webui-port", String.valueOf(LocalProcesses.freePort()));
  }

  /**
   * Starts worker {@code n} (1-based) again after {@link #killWorker}, as a replaced machine would
   * come back, and waits until it has registered with the Master; it logs to {@code worker-N-rK.log}.
   */
  public void restartWorker(int n) throws InterruptedException {
    procs.awaitLog(startWorkerAgain(n), "Successfully registered with master", START_LIMIT);
  }

  /**
   * Starts worker {@code n} (1-based) again after {@link #killWorker} without waiting for it to
   * register (a loaded machine took over 3 minutes): what a test that keeps killing needs, since the
   * Master takes the worker when it comes. Returns the name of its log.
   */
  public String startWorkerAgain(int n) {
    if (workers.get(n - 1).isAlive()) {
      throw new IllegalStateException("worker " + n + " is running; kill it before restarting it");
    }
    String logName = "worker-" + n + "-r" + (++restarts);
    workers.set(n - 1, startWorker(n, logName));
    return logName;
  }

  /**
   * Starts every killed worker again (see {@link #restartWorker}), so that a cluster shared by several
   * tests is whole before the next one, whatever the last one killed; returns how many it restarted.
   */
  public int restartDownWorkers() throws InterruptedException {
    int restarted = 0;
    for (int n = 1; n <= workers.size(); n++) {
      if (!workerAlive(n)) {
        restartWorker(n);
        restarted++;
      }
    }
    return restarted;
  }

  /** The number of workers (live or killed). */
  public int workerCount() {
    return workers.size();
  }

  /**
   * The number (1-based) of the live worker that launched the executor JVM with Spark executor id
   * {@code executorId}, or 0 if no such executor is running.
   */
  public int workerOf(String executorId) {
    for (int n = 1; n <= workers.size(); n++) {
      for (ProcessHandle p : workers.get(n - 1).descendants().toList()) {
        if (executorId(p).filter(executorId::equals).isPresent()) {
          return n;
        }
      }
    }
    return 0;
  }

  /** Whether worker {@code n} (1-based) is running. */
  public boolean workerAlive(int n) {
    return workers.get(n - 1).isAlive();
  }

  /** The Spark executor ids of the executor JVMs the live workers launched and that are still running. */
  public List<String> executorIds() {
    List<String> ids = new ArrayList<>();
    for (Process worker : workers) {
      for (ProcessHandle p : worker.descendants().toList()) {
        executorId(p).ifPresent(ids::add);
      }
    }
    return ids;
  }

  private static Optional<String> executorId(ProcessHandle p) {
    List<String> args = List.of(p.info().arguments().orElse(new String[0]));
    int at = args.indexOf("--executor-id");
    return p.isAlive() && at >= 0 && at + 1 < args.size() ? Optional.of(args.get(at + 1)) : Optional.empty();
  }

  /** {@code spark://127.0.0.1:PORT}. */
  public String masterUrl() {
    return masterUrl;
  }

  /** The cluster's processes (their logs; further processes such as spark-submit). */
  public LocalProcesses processes() {
    return procs;
  }

  /**
   * Kills worker {@code n} (1-based) and the executors it launched, as a lost machine would vanish,
   * and waits (up to 30 s) until the worker's process has ended, so it may be restarted at once.
   */
  public void killWorker(int n) throws InterruptedException {
    Process worker = workers.get(n - 1);
    worker.descendants().forEach(ProcessHandle::destroyForcibly);
    worker.destroyForcibly();
    worker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  /**
   * Kills (SIGKILL) the executor JVM with Spark executor id {@code executorId}, wherever a worker
   * launched it, as the kernel's OOM killer or an operator would; false if no such process is alive.
   */
  public boolean killExecutor(String executorId) {
    for (Process worker : workers) {
      for (ProcessHandle p : worker.descendants().toList()) {
        if (executorId(p).filter(executorId::equals).isPresent()) {
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
