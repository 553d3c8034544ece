package dev.prepsweep.training;

import java.util.Arrays;

/**
 * Metrics of a classifier from predicted class probabilities: accuracy, macro-F1 (mean of per-class
 * F1, a class with no support and no predictions counting as absent), log loss, and for two classes
 * the ROC AUC of class 1 (ties counted half, as the Mann-Whitney statistic; NaN when one class is absent).
 */
public record ClassificationMetrics(double accuracy, double macroF1, double logLoss, long count, double rocAuc) {

  /** Without ROC AUC (NaN). */
  public ClassificationMetrics(double accuracy, double macroF1, double logLoss, long count) {
    this(accuracy, macroF1, logLoss, count, Double.NaN);
  }

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
        n,
        classes == 2 ? rocAuc(probabilities, labels) : Double.NaN);
  }

  /** Binary ROC AUC of class 1 from {@code n x 2} probabilities: rank statistic with mid-ranks for ties. */
  static double rocAuc(float[] probabilities, int[] labels) {
    int n = labels.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(probabilities[a * 2 + 1], probabilities[b * 2 + 1]));
    long positives = 0;
    double rankSum = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      float score = probabilities[order[i] * 2 + 1];
      while (j < n && probabilities[order[j] * 2 + 1] == score) {
        j++;
      }
      double midRank = (i + 1 + j) / 2.0; // ranks i+1 .. j share their mean
      for (int k = i; k < j; k++) {
        if (labels[order[k]] == 1) {
          positives++;
          rankSum += midRank;
        }
      }
      i = j;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }
}
