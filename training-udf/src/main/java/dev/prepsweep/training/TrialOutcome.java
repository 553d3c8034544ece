package dev.prepsweep.training;

import java.io.Serializable;
import java.util.List;

/**
 * What a trial attempt reports back to the driver (small: one row of metrics per epoch).
 *
 * @param complete whether training finished; otherwise {@code error} says why
 * @param best metrics of the best epoch by the objective, or null when none finished
 * @param gpuAddress the GPU address Spark assigned to the task, or null
 * @param device the device DJL trained on, e.g. {@code cpu()} or {@code gpu(0)}
 * @param modelUri where the trial's best model is kept (load it with {@code SavedModel.load}), or null
 *     without an artifact location
 * @param resumedFromEpoch the checkpointed epoch this attempt continued from (0 = trained from scratch);
 *     {@code epochs} then starts with the restored epochs
 * @param serving the model's serving cost measured after training ({@link ServingProbe}), or null when
 *     training did not finish
 */
public record TrialOutcome(
    String sweepId,
    int trialId,
    int attempt,
    boolean complete,
    String error,
    List<EpochMetrics> epochs,
    EpochMetrics best,
    String executorId,
    String host,
    String gpuAddress,
    String device,
    long startedAtMillis,
    long endedAtMillis,
    String modelUri,
    int resumedFromEpoch,
    ServingCost serving) implements Serializable {

  public TrialOutcome {
    epochs = epochs == null ? List.of() : List.copyOf(epochs);
  }

  /** An outcome with no kept model and no resumption. */
  public TrialOutcome(String sweepId, int trialId, int attempt, boolean complete, String error,
      List<EpochMetrics> epochs, EpochMetrics best, String executorId, String host, String gpuAddress, String device,
      long startedAtMillis, long endedAtMillis) {
    this(sweepId, trialId, attempt, complete, error, epochs, best, executorId, host, gpuAddress, device,
        startedAtMillis, endedAtMillis, null, 0, null);
  }

  /** An outcome without a serving cost. */
  public TrialOutcome(String sweepId, int trialId, int attempt, boolean complete, String error,
      List<EpochMetrics> epochs, EpochMetrics best, String executorId, String host, String gpuAddress, String device,
      long startedAtMillis, long endedAtMillis, String modelUri, int resumedFromEpoch) {
    this(sweepId, trialId, attempt, complete, error, epochs, best, executorId, host, gpuAddress, device,
        startedAtMillis, endedAtMillis, modelUri, resumedFromEpoch, null);
  }
}
