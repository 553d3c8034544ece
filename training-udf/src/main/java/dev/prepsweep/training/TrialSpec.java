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
 * that crosses from the sweep driver to the executor. The data is named by pinned table versions
 * and the Parquet files of those snapshots (resolved from Delta metadata on the driver), which the
 * executor reads itself.
 *
 * @param params sampled hyperparameters merged over the fixed training settings (Long, Double, String, Boolean)
 * @param objective metric to optimise, e.g. {@code val_accuracy}; the reported metrics are those of its best epoch
 * @param maximize whether a larger objective is better
 * @param trainFiles data files of {@code train} at its pinned version
 * @param valFiles data files of {@code val} at its pinned version
 * @param labels class names in label-index order
 * @param requireGpu fail instead of falling back to CPU when the task holds no usable GPU
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
    List<String> trainFiles,
    List<String> valFiles,
    List<String> labels,
    boolean requireGpu) implements Serializable {

  public TrialSpec {
    Objects.requireNonNull(sweepId, "sweepId");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    trainFiles = List.copyOf(trainFiles);
    valFiles = List.copyOf(valFiles);
    labels = List.copyOf(labels);
    if (labels.size() < 2) {
      throw new IllegalArgumentException("a classifier needs at least 2 labels, got " + labels);
    }
  }
}
