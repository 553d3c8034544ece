package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RegressionMetricsTest {

  @Test
  void errorsAndR2FollowTheirDefinitions() {
    double[] y = {3, -0.5, 2, 7};
    float[] p = {2.5f, 0f, 2f, 8f};
    RegressionMetrics m = RegressionMetrics.of(p, y);
    double mean = (3 - 0.5 + 2 + 7) / 4;
    double sse = 0.25 + 0.25 + 0 + 1;
    double sst = Math.pow(3 - mean, 2) + Math.pow(-0.5 - mean, 2) + Math.pow(2 - mean, 2) + Math.pow(7 - mean, 2);
    assertThat(m.rmse()).isCloseTo(Math.sqrt(sse / 4), within(1e-12));
    assertThat(m.mae()).isCloseTo((0.5 + 0.5 + 0 + 1) / 4, within(1e-12));
    assertThat(m.r2()).isCloseTo(1 - sse / sst, within(1e-12));
    assertThat(m.count()).isEqualTo(4);
  }

  @Test
  void predictingTheMeanScoresR2ZeroAndAPerfectModelOne() {
    double[] y = {1, 2, 3, 4, 5};
    assertThat(RegressionMetrics.of(new float[] {3, 3, 3, 3, 3}, y).r2()).isCloseTo(0, within(1e-12));
    assertThat(RegressionMetrics.of(new float[] {1, 2, 3, 4, 5}, y).r2()).isCloseTo(1, within(1e-12));
    assertThat(RegressionMetrics.of(new float[] {1, 2}, new double[] {4, 4}).r2()).as("no variance").isNaN();
  }

  @Test
  void mismatchedLengthsFail() {
    assertThatThrownBy(() -> RegressionMetrics.of(new float[2], new double[3]))
        .hasMessageContaining("expected one prediction per target (3 > 0), got 2");
  }
}
