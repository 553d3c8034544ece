package dev.prepsweep.app.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The reason an attempt row gives when its executor died, from Spark's own strings (no Spark started). */
class ExecutorLossTest {

  @Test
  void aKilledStandaloneExecutorNamesItsExitCodeAndWhatItMeans() {
    ExecutorLoss loss = new ExecutorLoss("1", "127.0.0.1", true, "Command exited with code 137", null);
    assertThat(loss.exitCode()).isEqualTo(OptionalInt.of(137));
    assertThat(loss.outOfMemory()).isFalse();
    assertThat(loss.reason()).isEqualTo("executor 1 on 127.0.0.1 was lost while running this attempt: Command exited"
        + " with code 137 (exit code 137: " + ExecutorLoss.meaning(137) + "); Spark blames the running task");
  }

  @Test
  void sparksOomExitCodeIsOutOfMemory() {
    ExecutorLoss loss = new ExecutorLoss("3", "h", true, "Command exited with code 52", null);
    assertThat(loss.outOfMemory()).isTrue();
    assertThat(loss.reason()).contains("out of memory: exit code 52 is Spark's OutOfMemoryError exit")
        .contains("raise spark.executor.memory").doesNotContain("Spark blames");
  }

  @Test
  void clusterManagerMemoryKillsAreOutOfMemoryToo() {
    assertThat(new ExecutorLoss("2", "h", true, "Container killed by YARN for exceeding physical memory limits."
        + " 2.1 GB of 2 GB physical memory used", null).outOfMemory()).isTrue();
    assertThat(new ExecutorLoss("2", "h", false, null, "The executor with id 2 exited with exit code 137(OOMKilled)")
        .outOfMemory()).isTrue();
    assertThat(new ExecutorLoss("2", "h", false, "Remote RPC client disassociated.", null).outOfMemory()).isFalse();
  }

  @Test
  void theRemovedEventAddsWhatTheTaskFailureLacks() {
    ExecutorLoss disconnected = new ExecutorLoss("4", "h", false, "Remote RPC client disassociated.",
        "Command exited with code 143");
    assertThat(disconnected.exitCode()).isEqualTo(OptionalInt.of(143));
    assertThat(disconnected.reason()).contains("Remote RPC client disassociated.; removed: Command exited with code 143")
        .contains("stopped by SIGTERM");
    ExecutorLoss same = new ExecutorLoss("4", "h", false, "Worker shutting down", "Worker shutting down");
    assertThat(same.reason()).endsWith(": Worker shutting down");
    assertThat(new ExecutorLoss("5", "h", false, null, null).reason()).endsWith(": Spark gave no reason");
  }

  @Test
  void signalsBeyondTheNamedOnesAreDecoded() {
    assertThat(ExecutorLoss.meaning(129)).isEqualTo("killed by signal 1");
    assertThat(ExecutorLoss.meaning(1)).isNull();
  }
}
