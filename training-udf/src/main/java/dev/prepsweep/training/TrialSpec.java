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
 * @param classWeights loss weight per label index from the prep job's {@code class_weights} table, or null
 *     (with {@code class_weights: true} the executor then computes the same balanced weights from train)
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
    ServingSettings serving) implements Serializable {

  /** A spec with no artifact location (no checkpoints) and no class weights from the prep job. */
  public TrialSpec(String sweepId, int trialId, int attempt, Map<String, Object> params, long seed, String objective,
      boolean maximize, TableVersion train, TableVersion val, List<String> labels, boolean requireGpu) {
    this(sweepId, trialId, attempt, params, seed, objective, maximize, train, val, labels, requireGpu, null, null);
  }

  /** A spec measuring serving cost with the default settings. */
  public TrialSpec(String sweepId, int trialId, int attempt, Map<String, Object> params, long seed, String objective,
      boolean maximize, TableVersion train, TableVersion val, List<String> labels, boolean requireGpu,
      String artifactUri, List<Double> classWeights) {
    this(sweepId, trialId, attempt, params, seed, objective, maximize, train, val, labels, requireGpu, artifactUri,
        classWeights, null);
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
  }

  /** This spec with checkpoints and the best model kept under {@code uri} (the sweep's artifact location). */
  public TrialSpec withArtifacts(String uri) {
    return new TrialSpec(sweepId, trialId, attempt, params, seed, objective, maximize, train, val, labels,
        requireGpu, uri, classWeights, serving);
  }

  /** This spec with the prep job's class weights (one per label index). */
  public TrialSpec withClassWeights(List<Double> weights) {
    return new TrialSpec(sweepId, trialId, attempt, params, seed, objective, maximize, train, val, labels,
        requireGpu, artifactUri, weights, serving);
  }

  /** This spec measuring serving cost with {@code settings}. */
  public TrialSpec withServing(ServingSettings settings) {
    return new TrialSpec(sweepId, trialId, attempt, params, seed, objective, maximize, train, val, labels,
        requireGpu, artifactUri, classWeights, settings);
  }

  /**
   * Where this trial's checkpoint and best model live: {@code <artifactUri>/<sweepId>/trial-<trialId>},
   * shared by all attempts of the trial (a retry or a promotion resumes from it); null without artifacts.
   */
  public String trialArtifactUri() {
    if (artifactUri == null) {
      return null;
    }
    String root = artifactUri.endsWith("/") ? artifactUri.substring(0, artifactUri.length() - 1) : artifactUri;
    return root + "/" + sweepId + "/trial-" + trialId;
  }
}
