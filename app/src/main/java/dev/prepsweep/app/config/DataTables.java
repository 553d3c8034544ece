package dev.prepsweep.app.config;

import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.etl.PrepConfig;
import java.util.List;
import java.util.Optional;

/**
 * Which of the prep job's tables a sweep trains on ({@code data: {train: train_balanced}}). Trials
 * always validate on {@code val}, and the best model is scored on {@code test}: only the training
 * rows may be resampled or augmented, never the rows that measure the model.
 *
 * @param train {@code train} (the default), {@code train_augmented} or {@code train_balanced}
 */
public record DataTables(String train) {

  /** The prep tables that hold training rows. */
  public static final List<String> TRAIN_TABLES = List.of("train", "train_augmented", "train_balanced");
  public static final DataTables DEFAULT = new DataTables("train");
  static final List<String> KEYS = List.of("train");

  static DataTables parse(ConfigNode node) {
    node.allowOnly(KEYS);
    return node.get("train").map(n -> new DataTables(n.asEnum(TRAIN_TABLES))).orElse(DEFAULT);
  }

  /**
   * The reason a prep run of {@code prep} would not write the table this sweep trains on, if it
   * would not: {@code train_balanced} needs a {@code balance} section, {@code train_augmented} an
   * {@code augment} one.
   */
  Optional<String> notWrittenBy(PrepConfig prep) {
    return switch (train) {
      case "train_balanced" -> prep.balance().enabled() ? Optional.empty()
          : Optional.of("prep writes train_balanced only when prep.balance sets a method");
      case "train_augmented" -> prep.augment().enabled() ? Optional.empty()
          : Optional.of("prep writes train_augmented only when prep.augment enables text or image augmentation");
      default -> Optional.empty();
    };
  }
}
