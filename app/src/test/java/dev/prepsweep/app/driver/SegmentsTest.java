package dev.prepsweep.app.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.sweep.pruner.MedianPruner;
import dev.prepsweep.sweep.pruner.Pruner;
import dev.prepsweep.sweep.pruner.SuccessiveHalvingPruner;
import org.junit.jupiter.api.Test;

class SegmentsTest {

  @Test
  void withoutAPrunerATrialIsOneTaskToItsLastEpoch() {
    assertThat(Segments.nextTarget(Pruner.NONE, 0, 0, 12)).isEqualTo(12);
    assertThat(Segments.segmented(Pruner.NONE)).isFalse();
  }

  @Test
  void ashaTasksStopAtEachRungThenAtTheLastEpoch() {
    SuccessiveHalvingPruner asha = new SuccessiveHalvingPruner(1, 9, 3); // rungs 1, 3
    assertThat(asha.rungs()).containsExactly(1, 3);
    assertThat(Segments.nextTarget(asha, 4, 0, 9)).isEqualTo(1);
    assertThat(Segments.nextTarget(asha, 4, 1, 9)).isEqualTo(3);
    assertThat(Segments.nextTarget(asha, 4, 3, 9)).isEqualTo(9);
    assertThat(Segments.segmented(asha)).isTrue();
  }

  @Test
  void medianPruningDecidesAfterEveryEpoch() {
    MedianPruner median = new MedianPruner(1, 3);
    assertThat(Segments.nextTarget(median, 0, 0, 5)).isEqualTo(1);
    assertThat(Segments.nextTarget(median, 0, 4, 5)).isEqualTo(5);
  }
}
