package dev.prepsweep.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.report.SweepData.Epoch;
import dev.prepsweep.app.report.SweepData.Objective;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The epochs an attempt's learning curve draws, from rows written once per (trial, epoch). */
class SweepDataTest {

  private static Epoch epoch(int trial, int attempt, int epoch, double accuracy) {
    return new Epoch(trial, attempt, epoch, 1 - accuracy, 1 - accuracy, accuracy, accuracy);
  }

  private static SweepData with(List<Epoch> epochs) {
    return new SweepData(ReportFixtures.sweep("sw", List.of(new Objective("val_accuracy", true)), 0, 0.8), List.of(),
        List.of(), epochs);
  }

  @Test
  void aRerunsCurveStartsWithTheEpochsTheLostAttemptRecorded() {
    // attempt 1 recorded epoch 1 and was lost; attempt 2 continued from that checkpoint and recorded epochs 2 and 3
    SweepData data = with(List.of(epoch(0, 1, 1, 0.6), epoch(0, 2, 2, 0.7), epoch(0, 2, 3, 0.8), epoch(1, 1, 1, 0.5)));
    assertThat(data.epochsOf(0, 2)).extracting(Epoch::epoch).containsExactly(1, 2, 3);
    assertThat(data.epochsOf(0, 2)).extracting(Epoch::attempt).containsExactly(1, 2, 2);
    assertThat(data.epochsOf(0, 1)).extracting(Epoch::epoch).as("the lost attempt's curve ends where it was lost")
        .containsExactly(1);
  }

  @Test
  void anEpochEveryAttemptWroteIsTheLatestAttemptsUpToTheOneDrawn() {
    // tables of earlier versions: each attempt wrote the trial's whole history again
    SweepData data = with(List.of(epoch(0, 1, 1, 0.6), epoch(0, 2, 1, 0.65), epoch(0, 2, 2, 0.7)));
    assertThat(data.epochsOf(0, 2)).extracting(Epoch::valAccuracy).containsExactly(0.65, 0.7);
    assertThat(data.epochsOf(0, 1)).extracting(Epoch::valAccuracy).containsExactly(0.6);
  }
}
