package dev.prepsweep.training;

import dev.prepsweep.common.TableVersion;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one trial attempt needs, as immutable serializable values: this is the only thing
 * that crosses from the sweep driver to the executor. The data is named by pinned table versions,
 * which the executor reads itself through Delta Kernel ({@link PinnedSnapshotReader}).
 *
 * @param params sampled hyperparameters merged over the fixed training settings (Long, Double, String, Boolean)
 * @param objective metric to optimise, e.g. {@code val_accuracy}; the reported metrics are those of its best epoch
 * @param maximize whether a larger objective is better
 * @param labels class names in label-index order
 * @param requireGpu fail instead of falling back to CPU when the task holds no usable GPU
 * @param artifactUri the sweep's artifact location (any Hadoop filesystem URI or local path), or null for no
 *     checkpoints; the trial keeps its checkpoint and best model under {@link #trialArtifactUri()}
 * @param classWeights loss weight per label index from the prep job's {@code class_weights} table, or null;
 *     used when the trial's {@code class_weights} is {@code table} ({@code balanced} recomputes them from train)
 * @param classWeightsTable the pinned {@code class_weights} version {@code classWeights} were read from
 *     (the one the prep run wrote with the pinned split), or null without them
 * @param fold under cross-validation, the fold this task holds out: it trains on the train rows of the other
 *     folds and validates on this fold's rows ({@code val} is not read); -1 without cross-validation
 * @param folds the number of folds under cross-validation, else 0
 * @param serving how the executor measures the trained model's serving cost (null: {@link ServingSettings#DEFAULT})
 */
public record TrialSpec(
    String sweepId,
    int trialId,
    int attempt,
    Map<String, Object> params,
    long seed,
    String objective,
    boolean maximize,
    TableVersion train,
    TableVersion val,
    List<String> labels,
    boolean requireGpu,
    String artifactUri,
    List<Double> classWeights,
    TableVersion classWeightsTable,
    int fold,
    int folds,
    ServingSettings serving) implements Serializable {

  /** A spec with no artifact location (no checkpoints) and no class weights from the prep job. */
  public TrialSpec(String sweepId, int trialId, int attempt, Map<String, Object> params, long seed, String objective,
      boolean maximize, TableVersion train, TableVersion val, List<String> labels, boolean requireGpu) {
    this(sweepId, trialId, attempt, params, seed, objective, maximize, train, val, labels, requireGpu, null, null, null, -1, 0, null);
  }

  public TrialSpec {
    Objects.requireNonNull(sweepId, "sweepId");
    serving = serving == null ? ServingSettings.DEFAULT : serving;
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    labels = List.copyOf(labels);
    if (labels.size() < 2) {
      throw new IllegalArgumentException("a classifier needs at least 2 labels, got " + labels);
    }
    if (artifactUri != null && artifactUri.isBlank()) {
      artifactUri = null;
    }
    if (classWeights != null) {
      classWeights = List.copyOf(classWeights);
      if (classWeights.size() != labels.size()) {
        throw new IllegalArgumentException("class weights " + classWeights + " do not match the " + labels.size()
            + " labels " + labels + "; pass one weight per label index");
      }
      for (double w : classWeights) {
        if (!(w >= 0) || Double.isInfinite(w)) {
          throw new IllegalArgumentException("class weights " + classWeights + " must be finite and >= 0");
        }
      }
    }
    if ((classWeights == null) != (classWeightsTable == null)) {
      throw new IllegalArgumentException("class weights " + classWeights + " and the table version they come from ("
          + classWeightsTable + ") go together: give both or neither");
    }
    if (folds == 0 ? fold != -1 : folds < 2 || fold < 0 || fold >= folds) {
      throw new IllegalArgumentException("fold " + fold + " of " + folds + " folds: without cross-validation fold is -1"
          + " and folds 0; with it folds >= 2 and fold in [0, folds)");
    }
  }

  /** This spec with checkpoints and the best model kept under {@code uri} (the sweep's artifact location). */
  public TrialSpec withArtifacts(String uri) {
    return new TrialSpec(sweepId, trialId, attempt, params, seed, objective, maximize, train, val, labels,
        requireGpu, uri, classWeights, classWeightsTable, fold, folds, serving);
  }

  /** This spec with the prep job's class weights (one per label index), read from the pinned {@code table}. */
  public TrialSpec withClassWeights(TableVersion table, List<Double> weights) {
    return new TrialSpec(sweepId, trialId, attempt, params, seed, objective, maximize, train, val, labels,
        requireGpu, artifactUri, weights, table, fold, folds, serving);
  }

  /** This spec measuring serving cost with {@code settings}. */
  public TrialSpec withServing(ServingSettings settings) {
    return new TrialSpec(sweepId, trialId, attempt, params, seed, objective, maximize, train, val, labels,
        requireGpu, artifactUri, classWeights, classWeightsTable, fold, folds, settings);
  }

  /** This spec's task for fold {@code f} of {@code k} (cross-validation). */
  public TrialSpec forFold(int f, int k) {
    return new TrialSpec(sweepId, trialId, attempt, params, seed, objective, maximize, train, val, labels,
        requireGpu, artifactUri, classWeights, classWeightsTable, f, k, serving);
  }

  /**
   * Where this trial's checkpoint and best model live: {@code <artifactUri>/<sweepId>/trial-<trialId>},
   * shared by all attempts of the trial (a retry or a promotion resumes from it), with {@code /fold-<fold>}
   * appended under cross-validation (each fold keeps its own); null without artifacts.
   */
  public String trialArtifactUri() {
    if (artifactUri == null) {
      return null;
    }
    String root = artifactUri.endsWith("/") ? artifactUri.substring(0, artifactUri.length() - 1) : artifactUri;
    return root + "/" + sweepId + "/trial-" + trialId + (fold >= 0 ? "/fold-" + fold : "");
  }
}
