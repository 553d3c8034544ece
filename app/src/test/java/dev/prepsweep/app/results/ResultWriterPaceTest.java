package dev.prepsweep.app.results;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The writer's pacing: idle three times as long as it wrote, within [3 s, 30 s]. */
class ResultWriterPaceTest {

  @Test
  void thePauseAfterAWriteGrowsWithItsCostWithinBounds() {
    assertThat(ResultWriter.pause(0)).isEqualTo(3_000);
    assertThat(ResultWriter.pause(500)).isEqualTo(3_000);
    assertThat(ResultWriter.pause(2_000)).isEqualTo(6_000);
    assertThat(ResultWriter.pause(9_000)).isEqualTo(27_000);
    assertThat(ResultWriter.pause(44_000)).as("a cold first MERGE must not stall results for minutes").isEqualTo(30_000);
  }

  @Test
  void theFirstWriteWaitsUntilTheSweepsFirstTasksAreUnderWay() {
    long before = System.currentTimeMillis();
    // the constructor only keeps the session and warehouse; nothing is written here
    try (ResultWriter writer = new ResultWriter(null, null, null)) {
      assertThat(writer.nextWriteDueMillis()).isGreaterThanOrEqualTo(before + ResultWriter.FIRST_WRITE_DELAY_MILLIS);
      assertThat(ResultWriter.FIRST_WRITE_DELAY_MILLIS).isPositive();
    }
  }
}
