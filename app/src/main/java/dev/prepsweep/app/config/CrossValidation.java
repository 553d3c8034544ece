package dev.prepsweep.app.config;

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
}
