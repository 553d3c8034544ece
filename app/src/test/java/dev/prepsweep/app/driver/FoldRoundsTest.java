package dev.prepsweep.app.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.prepsweep.training.EpochMetrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cross-validation planner without Spark: launches, averages, rounds, standard deviation. */
class FoldRoundsTest {

  /** Epochs {@code from..to} of a fold whose accuracy is {@code base + epoch / 100}. */
  private static List<EpochMetrics> epochs(int from, int to, double base) {
    List<EpochMetrics> e = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      e.add(new EpochMetrics(i, 1.0 / i, 2.0 / i, base + i / 100.0, base, 1.5, 10, 0.5, 1e-3));
    }
    return e;
  }

  @Test
  void aRoundLaunchesEveryFoldAndCompletesWhenAllReachTheTarget() {
    FoldRounds cv = new FoldRounds(3);
    assertThat(cv.toLaunch(2)).containsExactly(0, 1, 2);
    cv.record(0, epochs(1, 2, 0.6), true, 2);
    cv.record(2, epochs(1, 2, 0.9), true, 2);
    assertThat(cv.complete(2)).isFalse();
    // fold 1 failed after one epoch: only it runs again
    cv.record(1, epochs(1, 1, 0.7), false, 2);
    assertThat(cv.toLaunch(2)).containsExactly(1);
    assertThat(cv.averaged()).as("epoch 2 is not in every fold yet").hasSize(1);
    cv.record(1, epochs(2, 2, 0.7), true, 2);
    assertThat(cv.complete(2)).isTrue();
    // the next rung launches all three again
    assertThat(cv.toLaunch(4)).containsExactly(0, 1, 2);
  }

  @Test
  void averagesEveryMetricPerEpochAndSumsCost() {
    FoldRounds cv = new FoldRounds(3);
    double[] bases = {0.6, 0.7, 0.9};
    for (int f = 0; f < 3; f++) {
      cv.record(f, epochs(1, 2, bases[f]), true, 2);
    }
    List<EpochMetrics> mean = cv.averaged();
    assertThat(mean).extracting(EpochMetrics::epoch).containsExactly(1, 2);
    double expected = (0.6 + 0.7 + 0.9) / 3 + 2 / 100.0;
    assertThat(mean.get(1).valAccuracy()).isCloseTo(expected, within(1e-12));
    assertThat(mean.get(1).valMacroF1()).isCloseTo((0.6 + 0.7 + 0.9) / 3, within(1e-12));
    assertThat(mean.get(1).seconds()).isEqualTo(4.5);
    assertThat(mean.get(1).samples()).isEqualTo(30);
    List<Double> values = FoldRounds.foldValues(cv.byFold(), 2, "val_accuracy");
    assertThat(values).containsExactly(0.62, 0.72, 0.92);
    double m = (0.62 + 0.72 + 0.92) / 3;
    double std = Math.sqrt((Math.pow(0.62 - m, 2) + Math.pow(0.72 - m, 2) + Math.pow(0.92 - m, 2)) / 3);
    assertThat(FoldRounds.std(values)).isCloseTo(std, within(1e-12));
  }

  @Test
  void aFoldThatStopsEarlyIsDoneAndBoundsTheAveragedEpochs() {
    FoldRounds cv = new FoldRounds(2);
    cv.record(0, epochs(1, 4, 0.6), true, 4);
    cv.record(1, epochs(1, 2, 0.7), true, 4);
    assertThat(cv.complete(4)).isTrue();
    assertThat(cv.toLaunch(8)).containsExactly(0);
    assertThat(cv.averaged()).extracting(EpochMetrics::epoch).containsExactly(1, 2);
  }

  @Test
  void needsTwoFolds() {
    assertThatThrownBy(() -> new FoldRounds(1)).hasMessage("cross-validation needs at least 2 folds, got 1");
  }
}
