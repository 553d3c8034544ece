package dev.prepsweep.training;

import java.io.Serializable;

/** Metrics after one epoch of one trial attempt. */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    double valLoss,
    double valAccuracy,
    double valMacroF1,
    double seconds,
    long samples) implements Serializable {

  /** A metric by its table/column name. */
  public double metric(String name) {
    return switch (name) {
      case "val_accuracy" -> valAccuracy;
      case "val_loss" -> valLoss;
      case "val_macro_f1" -> valMacroF1;
      case "train_loss" -> trainLoss;
      default -> throw new IllegalArgumentException("unknown metric '" + name + "'; known: " + METRICS);
    };
  }

  public static final java.util.List<String> METRICS =
      java.util.List.of("val_accuracy", "val_loss", "val_macro_f1", "train_loss");
}
