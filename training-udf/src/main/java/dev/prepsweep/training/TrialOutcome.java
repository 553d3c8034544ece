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
    long endedAtMillis) implements Serializable {

  public TrialOutcome {
    epochs = epochs == null ? List.of() : List.copyOf(epochs);
  }
}
