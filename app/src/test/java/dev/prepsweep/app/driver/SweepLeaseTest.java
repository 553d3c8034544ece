package dev.prepsweep.app.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One driver per sweep, on real lease files, without Spark. */
class SweepLeaseTest {

  private static final Configuration CONF = new Configuration();

  @TempDir
  Path warehouse;

  @Test
  void aLiveLeaseIsRefusedNamingItsOwnerAndARenewedOneStaysAlive() throws Exception {
    try (SweepLease first = SweepLease.acquire(CONF, warehouse.toString(), "sw-a", Duration.ofSeconds(3)).lease()) {
      // longer than the lease: only renewals keep it alive
      Thread.sleep(3_500);
      assertThatThrownBy(() -> SweepLease.acquire(CONF, warehouse.toString(), "sw-a", Duration.ofSeconds(3)))
          .isInstanceOf(SweepLease.HeldException.class)
          .hasMessageStartingWith("sweep sw-a is being run by another driver: " + System.getProperty("user.name") + " on "
              + SweepLease.thisHost() + " (pid " + ProcessHandle.current().pid() + "), renewed ")
          .hasMessageContaining("Only one driver may run a sweep");
      assertThat(first.lost()).isFalse();
    }
  }

  @Test
  void anExpiredLeaseOfAnotherHostIsTakenOverAndItsHolderLearnsItLostIt() throws Exception {
    Path dir = warehouse.resolve("_prepsweep/leases/sw-b");
    Files.createDirectories(dir);
    // a driver elsewhere, silent for longer than its 3 s lease
    Path other = dir.resolve("1");
    Files.writeString(other, "{\"owner\":\"alice\",\"host\":\"elsewhere\",\"pid\":4242,\"duration_ms\":3000}",
        StandardCharsets.UTF_8);
    Files.setLastModifiedTime(other, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 10_000));
    SweepLease.Acquired taken = SweepLease.acquire(CONF, warehouse.toString(), "sw-b", Duration.ofSeconds(3));
    try (SweepLease lease = taken.lease()) {
      assertThat(taken.previous()).hasValueSatisfying(h -> {
        assertThat(h.owner()).isEqualTo("alice");
        assertThat(h.host()).isEqualTo("elsewhere");
        assertThat(h.generation()).isEqualTo(1);
      });
      assertThat(dir.resolve("2")).exists();
    }
  }

  @Test
  void aDriverWhoseLeaseWasTakenOverFindsOutAtItsNextRenewal() throws Exception {
    try (SweepLease slow = SweepLease.acquire(CONF, warehouse.toString(), "sw-c", Duration.ofSeconds(3)).lease()) {
      // as if it had paused: its file looks expired, and a second driver takes the next generation
      Path dir = warehouse.resolve("_prepsweep/leases/sw-c");
      Files.writeString(dir.resolve("2"), "{\"owner\":\"bob\",\"host\":\"elsewhere\",\"pid\":1,\"duration_ms\":3000}");
      long deadline = System.currentTimeMillis() + 5_000;
      while (!slow.lost() && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
      assertThat(slow.lost()).isTrue();
      assertThat(slow.lostReason()).startsWith("another driver took the lease over: bob on elsewhere (pid 1)");
    }
  }

  @Test
  void aReleasedLeaseIsFreeAtOnceAndGenerationsOnlyGrow() {
    SweepLease.acquire(CONF, warehouse.toString(), "sw-d", Duration.ofSeconds(60)).lease().close();
    SweepLease.Acquired again = SweepLease.acquire(CONF, warehouse.toString(), "sw-d", Duration.ofSeconds(60));
    again.lease().close();
    assertThat(again.previous()).hasValueSatisfying(h -> assertThat(h.generation()).isEqualTo(1));
    assertThat(warehouse.resolve("_prepsweep/leases/sw-d/2")).exists();
  }
}
