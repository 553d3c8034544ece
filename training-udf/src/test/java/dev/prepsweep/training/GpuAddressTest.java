package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark GPU scheduling on a CPU machine: a {@code local-cluster} worker whose discovery script
 * ({@code conf/gpu-discovery.sh} with {@code PREPSWEEP_FAKE_GPUS=2}) reports two addresses; two
 * concurrent trial tasks of one GPU each must receive distinct addresses, read by {@link TrialTask}
 * from {@code TaskContext.resources()}. Runs in a child JVM: local-cluster needs its own SparkContext
 * and a {@code SPARK_HOME} whose {@code jars/} links this classpath.
 */
class GpuAddressTest {

  @TempDir
  Path home;

  @Test
  void concurrentTrialsReceiveDistinctGpuAddresses() throws Exception {
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    Files.copy(TestData.repoRoot().resolve("conf/log4j2-test.properties"), home.resolve("conf/log4j2.properties"));
    List<String> dirs = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry).toAbsolutePath();
      if (Files.isDirectory(p)) {
        dirs.add(p.toString());
      } else if (p.toString().endsWith(".jar") && Files.exists(p) && names.add(p.getFileName().toString())) {
        Files.createSymbolicLink(jars.resolve(p.getFileName()), p);
      }
    }
    List<String> jvmFlags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk.reflect")
            || a.startsWith("-Dio.netty") || a.startsWith("-Dai.djl") || a.startsWith("-Dlog4j2"))
        .toList();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(GpuAddressProbe.class.getName());
    cmd.add(TestData.repoRoot().resolve("conf/gpu-discovery.sh").toString());
    cmd.add(String.join(File.pathSeparator, dirs));
    cmd.add(String.join(" ", jvmFlags));
    // The child's output goes to a file, so waitFor's timeout can fire while it still runs (reading
    // its pipe to the end first would block until it exits, however long that takes).
    Path log = home.resolve("probe.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("PREPSWEEP_FAKE_GPUS", "2");
    Process process = pb.start();
    boolean exited = process.waitFor(180, TimeUnit.SECONDS);
    if (!exited) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    String output = Files.readString(log);
    assertThat(exited).as("the probe finished within 180 s; its output:%n%s", output).isTrue();
    List<String[]> tasks = output.lines().filter(l -> l.startsWith("ADDR ")).map(l -> l.split(" ", 5)).toList();
    assertThat(tasks).as(output).hasSize(2);
    assertThat(tasks).extracting(t -> t[1]).containsExactlyInAnyOrder("0", "1");
    // the two tasks held their GPUs at the same time
    long start0 = Long.parseLong(tasks.get(0)[2]);
    long end0 = Long.parseLong(tasks.get(0)[3]);
    long start1 = Long.parseLong(tasks.get(1)[2]);
    long end1 = Long.parseLong(tasks.get(1)[3]);
    assertThat(Math.max(start0, start1)).as("tasks overlap").isLessThan(Math.min(end0, end1));
    assertThat(tasks.get(0)[4]).contains("training parameter 'model' = none");
  }
}
