package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.spark.LocalSparkHome;
import dev.prepsweep.testkit.LocalProcesses;
import dev.prepsweep.testkit.TestSparkHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark GPU scheduling on a CPU machine: a {@code local-cluster} worker whose discovery script
 * ({@code conf/gpu-discovery.sh} with {@code PREPSWEEP_FAKE_GPUS=2}) reports two addresses; two
 * concurrent trial tasks of one GPU each must receive distinct addresses, read by {@link TrialTask}
 * from {@code TaskContext.resources()}. Runs in a child JVM: local-cluster needs its own SparkContext
 * and a {@code SPARK_HOME} whose {@code jars/} links this classpath (the test kit's
 * {@link TestSparkHome}, the home the application's embedded cluster uses).
 */
class GpuAddressTest {

  @TempDir
  Path home;

  @Test
  void concurrentTrialsReceiveDistinctGpuAddresses() throws Exception {
    LocalSparkHome sparkHome = TestSparkHome.prepare(home.resolve("spark-home"));
    Map<String, String> env = new HashMap<>(TestSparkHome.env(sparkHome));
    env.put("PREPSWEEP_FAKE_GPUS", "2");
    // The child's output goes to a file, so waitFor's timeout can fire while it still runs (reading
    // its pipe to the end first would block until it exits, however long that takes).
    Path log = home.resolve("logs/probe.log");
    boolean exited;
    try (LocalProcesses procs = new LocalProcesses(home.resolve("logs"), TestData.repoRoot().resolve("conf/log4j2-test.properties"))) {
      Process process = procs.java("probe", env, List.of("-Xmx1g"), GpuAddressProbe.class.getName(),
          TestData.repoRoot().resolve("conf/gpu-discovery.sh").toString(), sparkHome.extraClassPath(),
          String.join(" ", LocalProcesses.sparkJvmFlags()));
      exited = process.waitFor(180, TimeUnit.SECONDS);
    } // close stops the probe and its executors by PID when it is still running
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
