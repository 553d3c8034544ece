package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The regression losses against values computed by hand, on DJL's engine and over arrays; their settings. */
class RegressionLossTest {

  // errors output - target: -0.5, 0.5, 0, 3
  private static final float[] OUTPUT = {2.5f, 0f, 2f, 10f};
  private static final float[] TARGET = {3f, -0.5f, 2f, 7f};

  private static double tensorLoss(String loss, double delta) {
    RegressionParams p = new RegressionParams(true, loss, delta);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray out = m.create(OUTPUT, new Shape(4, 1));
      NDArray t = m.create(TARGET, new Shape(4, 1));
      return RegressionLoss.of(p, out, t).getFloat();
    }
  }

  @Test
  void mseMaeAndHuberAreTorchsMeanLosses() {
    double mse = (0.25 + 0.25 + 0 + 9) / 4;
    double mae = (0.5 + 0.5 + 0 + 3) / 4;
    // delta 1: |e| <= 1 is 0.5 e^2 (0.125 each), 3 is linear: 1 * (3 - 0.5) = 2.5
    double huber = (0.125 + 0.125 + 0 + 2.5) / 4;
    // delta 0.25: every non-zero error is linear: 0.25 * (|e| - 0.125)
    double huberSmall = (0.25 * 0.375 * 2 + 0 + 0.25 * 2.875) / 4;
    assertThat(tensorLoss("mse", 1)).isCloseTo(mse, within(1e-6));
    assertThat(tensorLoss("mae", 1)).isCloseTo(mae, within(1e-6));
    assertThat(tensorLoss("huber", 1)).isCloseTo(huber, within(1e-6));
    assertThat(tensorLoss("huber", 0.25)).isCloseTo(huberSmall, within(1e-6));
    assertThat(RegressionLoss.of(new RegressionParams(true, "mse", 1), OUTPUT, TARGET)).isCloseTo(mse, within(1e-9));
    assertThat(RegressionLoss.of(new RegressionParams(true, "mae", 1), OUTPUT, TARGET)).isCloseTo(mae, within(1e-9));
    assertThat(RegressionLoss.of(new RegressionParams(true, "huber", 1), OUTPUT, TARGET)).isCloseTo(huber, within(1e-9));
    assertThat(RegressionLoss.of(new RegressionParams(true, "huber", 0.25), OUTPUT, TARGET))
        .isCloseTo(huberSmall, within(1e-9));
  }

  @Test
  void theTargetScaleStandardisesAndInverts() {
    TargetScale s = TargetScale.fit(new double[] {1, 3, 5, 7});
    assertThat(s.mean()).isEqualTo(4);
    assertThat(s.std()).isCloseTo(Math.sqrt((9 + 1 + 1 + 9) / 4.0), within(1e-12));
    float[] z = s.toOutput(new double[] {4, 7});
    assertThat(z[0]).isZero();
    assertThat(s.toPrediction(z)[1]).isCloseTo(7f, within(1e-5f));
    assertThat(TargetScale.fit(new double[] {2, 2}).std()).as("constant targets").isEqualTo(1);
    assertThat(TargetScale.fromMap(s.toMap())).isEqualTo(s);
  }

  @Test
  void settingsAreCheckedWithTheirNameValueAndRule() {
    assertThat(RegressionParams.from(Map.of("task", "regression", "loss", "huber", "huber_delta", 2.0)))
        .isEqualTo(new RegressionParams(true, "huber", 2.0));
    assertThat(RegressionParams.from(Map.of())).isEqualTo(new RegressionParams(false, "mse", 1.0));
    assertThatThrownBy(() -> RegressionParams.from(Map.of("task", "regression", "loss", "l1")))
        .hasMessage("training parameter 'loss' = l1 must be one of [mse, mae, huber]");
    assertThatThrownBy(() -> RegressionParams.from(Map.of("task", "regression", "huber_delta", 0)))
        .hasMessage("training parameter 'huber_delta' = 0.0 must be in (0, 1000]");
    assertThatThrownBy(() -> RegressionParams.from(Map.of("loss", "mse")))
        .hasMessage("training parameter 'loss' = mse applies to task: regression (a classifier's loss is cross-entropy)");
    assertThatThrownBy(() -> RegressionParams.from(Map.of("task", "regression", "class_weights", "balanced")))
        .hasMessageContaining("'class_weights' = balanced weights classes; task: regression has none");
  }
}
