package dev.prepsweep.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Java processes a test starts itself (Spark Master, Workers, spark-submit) with this test JVM's
 * classpath and flags, each logging to a file, and stops by PID together with their children
 * (executors a Worker launched).
 */
public class LocalProcesses implements AutoCloseable {

  private final Path logs;
  private final String logConfig;
  private final String classpath;
  private final List<Process> started = new ArrayList<>();

  /**
   * @param logs the folder of the processes' log files ({@code NAME.log})
   * @param logConfig the children's log4j2 configuration (a cluster's readiness is read from its
   *     INFO lines, so it must keep Spark's deploy INFO lines)
   */
  public LocalProcesses(Path logs, Path logConfig) {
    this(logs, logConfig, System.getProperty("java.class.path"));
  }

  /**
   * As {@link #LocalProcesses(Path, Path)}, the children running on {@code classpath} instead of this
   * JVM's: a cluster's own installation (Spark without the application), to which a test submits an
   * application jar that must bring everything else.
   */
  public LocalProcesses(Path logs, Path logConfig, String classpath) {
    this.logs = logs;
    this.logConfig = logConfig.toAbsolutePath().toString();
    this.classpath = classpath;
    try {
      Files.createDirectories(logs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the log folder " + logs + ": " + e.getMessage(), e);
    }
  }

  /**
   * The JVM flags of this test JVM that Spark needs in every JVM it starts (module opens, reflection
   * and DJL settings, the log configuration), for {@code spark.executor.extraJavaOptions} of a
   * cluster a child process starts.
   */
  public static List<String> sparkJvmFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk.reflect")
            || a.startsWith("-Dio.netty") || a.startsWith("-Dai.djl") || a.startsWith("-Dlog4j2"))
        .toList();
  }

  /**
   * Starts {@code java <this JVM's flags> -cp <the children's class path> mainClass args...};
   * {@code jvmArgs} come after this JVM's flags, so an {@code -Xmx} there wins.
   */
  public Process java(String name, Map<String, String> env, List<String> jvmArgs, String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
        cmd.add(a);
      }
    }
    cmd.add("-Dlog4j2.configurationFile=" + logConfig);
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile());
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      started.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** What {@code name} has logged so far. */
  public String log(String name) {
    try {
      return Files.readString(logs.resolve(name + ".log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Waits until {@code name}'s log contains {@code text}; fails with the log after {@code timeout}. */
  public void awaitLog(String name, String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (log(name).contains(text)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("'" + text + "' did not appear in " + name + ".log within " + timeout + ":\n" + log(name));
  }

  /** A free TCP port on loopback. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops every started process and its descendants by PID, newest first. */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      Process p = started.get(i);
      List<ProcessHandle> children = p.descendants().toList();
      p.destroy();
      children.forEach(ProcessHandle::destroy);
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
  }

  public List<Process> started() {
    return List.copyOf(started);
  }
}
