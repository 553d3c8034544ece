package dev.prepsweep.app.config;

import dev.prepsweep.etl.PrepConfig;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which of the prep job's tables a sweep trains on ({@code data: {train: train_balanced}}). Trials
 * always validate on {@code val}, and the best model is scored on {@code test}: only the training
 * rows may be resampled or augmented, never the rows that measure the model.
 *
 * @param table the training table (default {@link JobDefaults#DATA})
 */
public record DataTables(TrainTable table) {

  /** The prep tables that hold training rows; {@code toString()} is the table's name. */
  public enum TrainTable {
    TRAIN, TRAIN_AUGMENTED, TRAIN_BALANCED;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public DataTables {
    Objects.requireNonNull(table, "data.train");
  }

  /** The training table's name: {@code train}, {@code train_augmented} or {@code train_balanced}. */
  public String train() {
    return table.toString();
  }

  /**
   * The reason a prep run of {@code prep} would not write the table this sweep trains on, if it
   * would not: {@code train_balanced} needs a {@code balance} section, {@code train_augmented} an
   * {@code augment} one.
   */
  Optional<String> notWrittenBy(PrepConfig prep) {
    return switch (table) {
      case TRAIN_BALANCED -> prep.balance().enabled() ? Optional.empty()
          : Optional.of("prep writes train_balanced only when prep.balance sets a method");
      case TRAIN_AUGMENTED -> prep.augment().enabled() ? Optional.empty()
          : Optional.of("prep writes train_augmented only when prep.augment enables text or image augmentation");
      case TRAIN -> Optional.empty();
    };
  }
}
