package dev.prepsweep.trainer;

import java.util.List;
import java.util.Map;

/** Reports one finished epoch of a trial. */
@FunctionalInterface
public interface MetricsReporter {

  /**
   * Metric names prepsweep records (and a sweep may optimise). Classification: {@code val_accuracy},
   * {@code val_loss}, {@code val_macro_f1}, {@code val_roc_auc}; regression: {@code val_rmse},
   * {@code val_mae}, {@code val_r2}; both: {@code train_loss}.
   */
  List<String> KNOWN = List.of("val_accuracy", "val_loss", "val_macro_f1", "train_loss", "val_roc_auc", "val_rmse",
      "val_mae", "val_r2");

  /**
   * Records epoch {@code epoch} (1-based, increasing) with its metrics (names from {@link #KNOWN};
   * absent ones are recorded as missing).
   *
   * @throws IllegalArgumentException for an unknown metric name or an epoch not after the last one
   */
  void report(int epoch, Map<String, Double> metrics);
}
