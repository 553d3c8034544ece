package dev.prepsweep.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Regression metrics are legal sweep metrics, each with its one sensible goal. */
class MetricGoalTest {

  private static String sweep(String metric, String goal) {
    return """
        task: regression
        sweep:
          method: random
          metric: {name: %s, goal: %s}
          parameters: {lr: {values: [0.01]}}
          budget: {trials: 1}
        """.formatted(metric, goal);
  }

  @Test
  void regressionMetricsAreLegalWithTheirGoal() {
    assertThat(JobConfig.parse(sweep("val_rmse", "minimize"), "job.yaml").requireSweep().metrics().get(0).name())
        .isEqualTo("val_rmse");
    JobConfig.parse(sweep("val_mae", "minimize"), "job.yaml");
    JobConfig.parse(sweep("val_r2", "maximize"), "job.yaml");
  }

  @Test
  void theWrongGoalFailsNamingTheRightOne() {
    assertThatThrownBy(() -> JobConfig.parse(sweep("val_rmse", "maximize"), "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metric 'val_rmse' is better smaller; use goal: minimize");
    assertThatThrownBy(() -> JobConfig.parse(sweep("val_r2", "minimize"), "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metric 'val_r2' is better larger; use goal: maximize");
  }
}
