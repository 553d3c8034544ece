package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The statistics of serving measurements, without DJL. */
class LatencyStatsTest {

  @Test
  void nearestRankPercentilesOfTwoHundredCallsAreTheHundredthAndHundredNinetiethCalls() {
    // 200 distinct latencies 1..200 ms in shuffled order: nearest rank p50 = 100th, p95 = 190th smallest
    long[] nanos = new long[200];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = (i + 1) * 1_000_000L;
    }
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = nanos.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      long t = nanos[i];
      nanos[i] = nanos[j];
      nanos[j] = t;
    }
    LatencyStats.Summary s = LatencyStats.of(nanos);
    assertThat(s.p50Ms()).isEqualTo(100.0);
    assertThat(s.p95Ms()).isEqualTo(190.0);
    assertThat(s.calls()).isEqualTo(200);
  }

  @Test
  void percentileIsAlwaysAMeasuredValue() {
    long[] values = {30, 10, 20};
    assertThat(LatencyStats.percentile(values, 50)).isEqualTo(20);
    assertThat(LatencyStats.percentile(values, 95)).isEqualTo(30);
    assertThat(LatencyStats.percentile(values, 1)).isEqualTo(10);
    assertThat(LatencyStats.percentile(new long[] {7}, 95)).isEqualTo(7);
    assertThat(values).containsExactly(30, 10, 20); // the caller's array is not sorted in place
  }

  @Test
  void oneSlowOutlierMovesP95OnlyWhenItIsMoreThanFivePercentOfCalls() {
    long[] calls = new long[200];
    java.util.Arrays.fill(calls, 1_000_000L);
    for (int i = 0; i < 10; i++) {
      calls[i] = 50_000_000L; // 10 of 200 = 5%: the 190th fastest is still a fast call
    }
    assertThat(LatencyStats.of(calls).p95Ms()).isEqualTo(1.0);
    calls[10] = 50_000_000L; // 11 slow calls: the 190th fastest is slow
    assertThat(LatencyStats.of(calls).p95Ms()).isEqualTo(50.0);
    assertThat(LatencyStats.of(calls).p50Ms()).isEqualTo(1.0);
  }

  @Test
  void throughputIsRowsPerSecond() {
    assertThat(LatencyStats.throughput(640, 2_000_000_000L)).isEqualTo(320.0);
    assertThatThrownBy(() -> LatencyStats.throughput(10, 0)).hasMessageContaining("positive time");
  }

  @Test
  void rejectsEmptyOrNegativeSamplesAndBadPercentiles() {
    assertThatThrownBy(() -> LatencyStats.of(new long[0])).hasMessageContaining("at least one");
    assertThatThrownBy(() -> LatencyStats.of(new long[] {5, -1})).hasMessageContaining("non-negative");
    assertThatThrownBy(() -> LatencyStats.percentile(new long[] {1}, 0)).hasMessageContaining("(0, 100]");
  }

  @Test
  void servingSettingsNameTheKeyAndRule() {
    assertThatThrownBy(() -> new ServingSettings(64, 199, 10))
        .hasMessage("serving.calls must be >= 200 (p95 over fewer calls is one outlier), got 199");
    assertThatThrownBy(() -> new ServingSettings(0, 200, 10))
        .hasMessage("serving.batch_size must be in [1, 65536], got 0");
  }
}
