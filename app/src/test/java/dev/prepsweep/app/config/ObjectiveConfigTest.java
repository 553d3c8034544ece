package dev.prepsweep.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Serving metrics as objectives, constraints and selection rules: what the job config accepts and refuses. */
class ObjectiveConfigTest {

  private static final String SWEEP = """
      sweep:
        method: nsga2
        metrics:
          - {name: val_macro_f1, goal: maximize}
          - {name: latency_p95_ms, goal: minimize}
        constraints: ["model_bytes <= 2e6"]
        select: {maximize: val_macro_f1, where: "latency_p95_ms <= 2"}
        parameters:
          hidden: {values: [8, 64]}
        budget: {trials: 4}
      """;

  @Test
  void servingMetricsAreLegalObjectivesConstraintsAndSelections() {
    JobConfig config = JobConfig.parse(SWEEP, "job.yaml");
    assertThat(config.requireSweep().objectives().metricNames())
        .containsExactly("model_bytes", "val_macro_f1", "latency_p95_ms");
  }

  @Test
  void theFirstMetricMustBeAPerEpochMetric() {
    String swapped = SWEEP.replace("- {name: val_macro_f1, goal: maximize}", "- {name: latency_p95_ms, goal: minimize}")
        .replaceFirst("- \\{name: latency_p95_ms, goal: minimize}\n(\\s+)- \\{name: latency_p95_ms, goal: minimize}",
            "- {name: latency_p95_ms, goal: minimize}\n$1- {name: val_macro_f1, goal: maximize}");
    assertThatThrownBy(() -> JobConfig.parse(swapped, "job.yaml")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("the first metric 'latency_p95_ms' must be one the trainer reports per epoch");
  }

  @Test
  void unknownMetricsInConstraintsAndSelectionNameTheKey() {
    assertThatThrownBy(() -> JobConfig.parse(SWEEP.replace("model_bytes <= 2e6", "model_size <= 2e6"), "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("job.yaml:6:16: key 'sweep.constraints'")
        .hasMessageContaining("metric 'model_size' is not reported by the trainer; known: [val_accuracy, val_loss,"
            + " val_macro_f1, train_loss, val_roc_auc, val_rmse, val_mae, val_r2, latency_p50_ms, latency_p95_ms, throughput_rows_s, param_count,"
            + " model_bytes, train_seconds]");
    assertThatThrownBy(() -> JobConfig.parse(SWEEP.replace("where: \"latency_p95_ms", "where: \"p95"), "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 'sweep.select'").hasMessageContaining("metric 'p95' is not reported");
  }
}
