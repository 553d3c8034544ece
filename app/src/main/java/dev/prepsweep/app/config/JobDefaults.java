package dev.prepsweep.app.config;

import java.util.Map;
import java.util.Optional;

/**
 * Every default of a job file's own sections, one constant per section, and nowhere else:
 * {@link JobConfigParser} takes each key it does not find from here, so an absent section and an
 * empty one ({@code resources: {}}) give the same value ({@code JobDefaultsTest} checks each). The
 * {@code prep:} section's defaults are in {@link dev.prepsweep.etl.PrepDefaults}, the {@code sweep:}
 * section's in {@link dev.prepsweep.sweep.spec.SweepDefaults}.
 */
public final class JobDefaults {

  private JobDefaults() {}

  /** {@code warehouse}: a folder {@code warehouse} in the working directory. */
  public static final String WAREHOUSE = "warehouse";
  /** {@code seed}: splits, sampler and trial seeds derive from it. */
  public static final long SEED = 42;
  /** {@code artifacts}: none given means {@code <warehouse>/_artifacts} ({@link JobConfig#artifactsOr}). */
  public static final String ARTIFACTS = null;
  /** {@code train:}: no fixed settings, the trainer's own defaults ({@code TextMlpParams}). */
  public static final Map<String, Object> TRAIN = Map.of();
  /** {@code data:}: sweeps train on the prep job's {@code train} table. */
  public static final DataTables DATA = new DataTables(DataTables.TrainTable.TRAIN);
  /** {@code resources:}: one CPU and no GPU per trial task. */
  public static final TrialResources RESOURCES = new TrialResources(1, 0, false);
  /** {@code cv:}: no cross-validation ({@code cv: {}} is an error: {@code folds} is required). */
  public static final Optional<CrossValidation> CV = Optional.empty();
}
