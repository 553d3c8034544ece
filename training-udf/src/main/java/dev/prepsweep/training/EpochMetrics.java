package dev.prepsweep.training;

import java.io.Serializable;
import java.util.List;

/**
 * Metrics after one epoch of one trial attempt.
 *
 * @param valRocAuc ROC AUC of the positive class (label index 1) for binary tasks, NaN otherwise
 * @param lr the learning rate at the end of the epoch (after schedule and warmup)
 */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    double valLoss,
    double valAccuracy,
    double valMacroF1,
    double seconds,
    long samples,
    double valRocAuc,
    double lr) implements Serializable {

  /** Metric names the trainer reports, usable as a sweep objective. */
  public static final List<String> METRICS =
      List.of("val_accuracy", "val_loss", "val_macro_f1", "train_loss", "val_roc_auc");

  /** The components before ROC AUC and the learning rate were reported. */
  public EpochMetrics(int epoch, double trainLoss, double valLoss, double valAccuracy, double valMacroF1,
      double seconds, long samples) {
    this(epoch, trainLoss, valLoss, valAccuracy, valMacroF1, seconds, samples, Double.NaN, Double.NaN);
  }

  /** A metric by its table/column name. */
  public double metric(String name) {
    return switch (name) {
      case "val_accuracy" -> valAccuracy;
      case "val_loss" -> valLoss;
      case "val_macro_f1" -> valMacroF1;
      case "train_loss" -> trainLoss;
      case "val_roc_auc" -> valRocAuc;
      default -> throw new IllegalArgumentException("unknown metric '" + name + "'; known: " + METRICS);
    };
  }

  /** Whether a larger value of {@code name} is better (accuracy, F1, AUC) or smaller (losses). */
  public static boolean larger(String name) {
    return !name.endsWith("loss");
  }
}
