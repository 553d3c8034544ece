package dev.prepsweep.training.score;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.training.score.ModelScorer.TestMetrics;
import org.junit.jupiter.api.Test;

/** The log line of a scored model names the metrics of its task, never another task's (NaN) metrics. */
class TestMetricsTest {

  private static final String URI = "file:/a/s1/trial-3/best";

  @Test
  void aClassifierIsSummarisedByItsClassificationMetrics() {
    TestMetrics binary = new TestMetrics(URI, "s1", 3, "test", 40, 0.875, 0.8, 0.3, 0.91, "/w/predictions");
    assertThat(binary.regression()).isFalse();
    assertThat(binary.summary()).isEqualTo("accuracy 0.8750, macro-F1 0.8000, log loss 0.3000, ROC AUC 0.9100");
  }

  @Test
  void aMulticlassClassifierHasNoRocAuc() {
    TestMetrics multiclass = new TestMetrics(URI, "s1", 3, "test", 40, 0.5, 0.25, 1.5, Double.NaN, "/w/predictions");
    assertThat(multiclass.summary()).isEqualTo("accuracy 0.5000, macro-F1 0.2500, log loss 1.5000");
  }

  @Test
  void aRegressionModelIsSummarisedByItsErrorsAndR2() {
    TestMetrics regression = new TestMetrics(URI, "s1", 3, "test", 88, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        "/w/predictions", 55.25, 44.5, 0.4321);
    assertThat(regression.regression()).isTrue();
    assertThat(regression.summary()).isEqualTo("RMSE 55.2500, MAE 44.5000, R2 0.4321");
  }

  @Test
  void aConstantTargetLeavesR2NotAvailableRatherThanNaN() {
    // RegressionScorer leaves R2 NaN when every target is equal (no variance to explain)
    TestMetrics flat = new TestMetrics(URI, "s1", 3, "test", 5, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        "/w/predictions", 0.5, 0.5, Double.NaN);
    assertThat(flat.summary()).isEqualTo("RMSE 0.5000, MAE 0.5000, R2 n/a");
  }
}
