package dev.prepsweep.app.config;

import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.etl.PrepConfig;
import java.util.List;
import java.util.Optional;

/**
 * The {@code cv:} section: each trial trains {@code folds} models, one per fold of the prep job's
 * {@code fold} column (fold f validates on train's rows of fold f and trains on the rest), and its
 * value is their mean. The folds must be the ones the prep job assigns ({@code prep.split.folds}).
 *
 * @param folds the number of folds, 2..100 as {@code prep.split.folds} allows
 */
public record CrossValidation(int folds) {

  public CrossValidation {
    if (folds < 2 || folds > 100) {
      throw new IllegalArgumentException("cv.folds must be in [2, 100], got " + folds);
    }
  }

  /**
   * Reads {@code cv:} and checks it against the job's own prep section (when it has one): that prep must
   * give train a {@code fold} column with the same number of folds, so a sweep never starts on splits
   * without them.
   */
  static CrossValidation parse(ConfigNode node, Optional<PrepConfig> prep) {
    node.allowOnly(List.of("folds"));
    ConfigNode foldsNode = node.required("folds");
    int folds = foldsNode.asInt();
    if (folds < 2 || folds > 100) {
      throw foldsNode.invalid("must be in [2, 100]: each trial trains one model per fold");
    }
    if (prep.isPresent() && prep.get().split().folds() != folds) {
      int made = prep.get().split().folds();
      throw foldsNode.invalid("needs the prep job's fold column with " + folds + " folds, but "
          + (made == 0 ? "the prep section makes none" : "the prep section makes " + made)
          + " (prep.split.folds: " + made + "); set prep.split.folds: " + folds);
    }
    return new CrossValidation(folds);
  }
}
