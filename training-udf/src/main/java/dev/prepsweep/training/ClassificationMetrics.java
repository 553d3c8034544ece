package dev.prepsweep.training;

/**
 * Validation metrics of a classifier from predicted class probabilities: accuracy, macro-F1 (mean
 * of per-class F1, a class with no support and no predictions counting as absent) and log loss.
 */
public record ClassificationMetrics(double accuracy, double macroF1, double logLoss, long count) {

  /**
   * @param probabilities row-major {@code count x classes} predicted probabilities
   * @param labels true class index per row
   */
  public static ClassificationMetrics of(float[] probabilities, int[] labels, int classes) {
    int n = labels.length;
    if (probabilities.length != (long) n * classes) {
      throw new IllegalArgumentException("expected " + n + " x " + classes + " probabilities, got " + probabilities.length);
    }
    long[] truePos = new long[classes];
    long[] predicted = new long[classes];
    long[] actual = new long[classes];
    long correct = 0;
    double logLoss = 0;
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (probabilities[i * classes + c] > probabilities[i * classes + best]) {
          best = c;
        }
      }
      int y = labels[i];
      predicted[best]++;
      actual[y]++;
      if (best == y) {
        correct++;
        truePos[y]++;
      }
      double p = Math.min(1 - 1e-15, Math.max(1e-15, probabilities[i * classes + y]));
      logLoss -= Math.log(p);
    }
    double f1Sum = 0;
    int present = 0;
    for (int c = 0; c < classes; c++) {
      if (actual[c] == 0 && predicted[c] == 0) {
        continue;
      }
      present++;
      double denom = predicted[c] + actual[c];
      f1Sum += denom == 0 ? 0 : 2.0 * truePos[c] / denom;
    }
    return new ClassificationMetrics(
        n == 0 ? Double.NaN : (double) correct / n,
        present == 0 ? Double.NaN : f1Sum / present,
        n == 0 ? Double.NaN : logLoss / n,
        n);
  }
}
