package dev.prepsweep.training;

import java.io.Serializable;
import java.util.List;

/**
 * What serving a trial's model costs, measured by {@link ServingProbe} on the executor and device
 * that trained it, right after training.
 *
 * @param latencyP50Ms median latency of one row (batch 1: upload, forward, softmax, download), ms
 * @param latencyP95Ms 95th percentile of the same calls, ms
 * @param throughputRowsS rows per second at {@code throughputBatch} rows per call
 * @param throughputBatch the batch size of the throughput calls
 * @param paramCount scalars in the model's parameters
 * @param modelBytes bytes of the serialized parameters (what {@code SavedModel} keeps as {@code model.params})
 * @param trainSeconds seconds spent training, summed over the trial's epochs (restored ones included)
 * @param loadPerCore the host's 1-minute load average divided by its cores while measuring (NaN where the
 *     OS has none); above 1 the CPU was oversubscribed and latencies include waiting for it
 */
public record ServingCost(
    double latencyP50Ms,
    double latencyP95Ms,
    double throughputRowsS,
    int throughputBatch,
    long paramCount,
    long modelBytes,
    double trainSeconds,
    double loadPerCore) implements Serializable {

  /** Metric names of the serving cost, usable as sweep objectives, constraints and selection rules. */
  public static final List<String> METRICS = List.of("latency_p50_ms", "latency_p95_ms", "throughput_rows_s",
      "param_count", "model_bytes", "train_seconds");

  /** A metric by its table/column name. */
  public double metric(String name) {
    return switch (name) {
      case "latency_p50_ms" -> latencyP50Ms;
      case "latency_p95_ms" -> latencyP95Ms;
      case "throughput_rows_s" -> throughputRowsS;
      case "param_count" -> paramCount;
      case "model_bytes" -> modelBytes;
      case "train_seconds" -> trainSeconds;
      default -> throw new IllegalArgumentException("unknown serving metric '" + name + "'; known: " + METRICS);
    };
  }

  /** This cost with {@code seconds} of training. */
  public ServingCost withTrainSeconds(double seconds) {
    return new ServingCost(latencyP50Ms, latencyP95Ms, throughputRowsS, throughputBatch, paramCount, modelBytes, seconds,
        loadPerCore);
  }
}
