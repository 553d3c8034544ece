package dev.prepsweep.trainer;

import java.util.List;
import java.util.Map;

/** Reports one finished epoch of a trial. */
@FunctionalInterface
public interface MetricsReporter {

  /**
   * Metric names prepsweep records (and a sweep may optimise): {@link #CLASSIFICATION} ones for a
   * classification sweep, {@link #REGRESSION} ones for a regression sweep ({@link TrainerContext#task()}).
   */
  List<String> KNOWN = List.of("val_accuracy", "val_loss", "val_macro_f1", "train_loss", "val_roc_auc", "val_rmse",
      "val_mae", "val_r2");

  /** What a classifier reports: {@code val_accuracy}, {@code val_macro_f1}, {@code val_roc_auc} and the losses. */
  List<String> CLASSIFICATION = List.of("val_accuracy", "val_loss", "val_macro_f1", "train_loss", "val_roc_auc");

  /** What a regression trainer reports: {@code val_rmse}, {@code val_mae}, {@code val_r2} and the losses. */
  List<String> REGRESSION = List.of("val_rmse", "val_mae", "val_r2", "train_loss", "val_loss");

  /**
   * Records epoch {@code epoch} (1-based, increasing) with its metrics (names from {@link #CLASSIFICATION}
   * or {@link #REGRESSION}, whichever is the sweep's task; absent ones are recorded as missing).
   *
   * @throws IllegalArgumentException for an unknown metric name, one of the other task, or an epoch not after the
   *     last one
   */
  void report(int epoch, Map<String, Double> metrics);
}
