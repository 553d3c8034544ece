package dev.prepsweep.training;

import java.io.Serializable;
import java.util.List;

/**
 * Metrics after one epoch of one trial attempt.
 *
 * @param valRocAuc ROC AUC of the positive class (label index 1) for binary tasks, NaN otherwise
 * @param lr the learning rate at the end of the epoch (after schedule and warmup)
 * @param valRmse root mean squared error on val (regression; NaN for classifiers)
 * @param valMae mean absolute error on val (regression; NaN for classifiers)
 * @param valR2 coefficient of determination on val, {@code 1 - SSE / SST} (regression; NaN for classifiers)
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
    double lr,
    double valRmse,
    double valMae,
    double valR2) implements Serializable {

  /** Metric names the trainer reports, usable as a sweep objective. */
  public static final List<String> METRICS =
      List.of("val_accuracy", "val_loss", "val_macro_f1", "train_loss", "val_roc_auc", "val_rmse", "val_mae", "val_r2");

  /** The metrics of a classifier (regression metrics NaN). */
  public EpochMetrics(int epoch, double trainLoss, double valLoss, double valAccuracy, double valMacroF1,
      double seconds, long samples, double valRocAuc, double lr) {
    this(epoch, trainLoss, valLoss, valAccuracy, valMacroF1, seconds, samples, valRocAuc, lr, Double.NaN, Double.NaN,
        Double.NaN);
  }

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
      case "val_rmse" -> valRmse;
      case "val_mae" -> valMae;
      case "val_r2" -> valR2;
      default -> throw new IllegalArgumentException("unknown metric '" + name + "'; known: " + METRICS);
    };
  }

  /** Whether a larger value of {@code name} is better (accuracy, F1, AUC, R2) or smaller (losses, errors). */
  public static boolean larger(String name) {
    return !(name.endsWith("loss") || name.equals("val_rmse") || name.equals("val_mae"));
  }
}
