package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

  @Test
  void accuracyMacroF1AndLogLossFromProbabilities() {
    // rows: (true 0, p0=.9) correct; (true 1, p1=.8) correct; (true 1, p1=.4) wrong -> predicts 0
    float[] p = {0.9f, 0.1f, 0.2f, 0.8f, 0.6f, 0.4f};
    int[] y = {0, 1, 1};
    ClassificationMetrics m = ClassificationMetrics.of(p, y, 2);
    assertThat(m.accuracy()).isCloseTo(2.0 / 3, within(1e-12));
    double f1Class0 = 2.0 * 1 / (2 + 1); // tp=1, predicted=2, actual=1
    double f1Class1 = 2.0 * 1 / (1 + 2); // tp=1, predicted=1, actual=2
    assertThat(m.macroF1()).isCloseTo((f1Class0 + f1Class1) / 2, within(1e-12));
    double expectedLogLoss = -(Math.log(0.9f) + Math.log(0.8f) + Math.log(0.4f)) / 3;
    assertThat(m.logLoss()).isCloseTo(expectedLogLoss, within(1e-6));
    // positives score .8 and .4, the negative .1: both pairs ordered correctly
    assertThat(m.rocAuc()).isEqualTo(1.0);
  }

  @Test
  void rocAucCountsMisorderedAndTiedPairs() {
    // positives: .3, .5 ; negatives: .5, .1 -> pairs (pos, neg): (.3,.5) wrong, (.3,.1) right, (.5,.5) tie, (.5,.1) right
    float[] p = {0.7f, 0.3f, 0.5f, 0.5f, 0.5f, 0.5f, 0.9f, 0.1f};
    int[] y = {1, 1, 0, 0};
    double expected = (0 + 1 + 0.5 + 1) / 4.0;
    assertThat(ClassificationMetrics.of(p, y, 2).rocAuc()).isCloseTo(expected, within(1e-12));
    assertThat(ClassificationMetrics.of(new float[] {0.2f, 0.8f}, new int[] {1}, 2).rocAuc()).isNaN();
    assertThat(ClassificationMetrics.of(new float[] {0.2f, 0.5f, 0.3f}, new int[] {1}, 3).rocAuc()).isNaN();
  }
}
