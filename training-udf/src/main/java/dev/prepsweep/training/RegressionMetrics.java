package dev.prepsweep.training;

/**
 * Metrics of a regression model from its predictions: root mean squared error, mean absolute error
 * and the coefficient of determination {@code R2 = 1 - SSE / SST} (SST around the mean of the true
 * values, as scikit-learn's {@code r2_score}; NaN when every true value is the same).
 */
public record RegressionMetrics(double rmse, double mae, double r2, long count) {

  /**
   * @throws IllegalArgumentException when the arrays differ in length or are empty
   */
  public static RegressionMetrics of(float[] predictions, double[] targets) {
    int n = targets.length;
    if (predictions.length != n || n == 0) {
      throw new IllegalArgumentException("expected one prediction per target (" + n + " > 0), got " + predictions.length);
    }
    double mean = 0;
    for (double y : targets) {
      mean += y;
    }
    mean /= n;
    double sse = 0;
    double sae = 0;
    double sst = 0;
    for (int i = 0; i < n; i++) {
      double e = predictions[i] - targets[i];
      sse += e * e;
      sae += Math.abs(e);
      double d = targets[i] - mean;
      sst += d * d;
    }
    return new RegressionMetrics(Math.sqrt(sse / n), sae / n, sst == 0 ? Double.NaN : 1 - sse / sst, n);
  }
}
