package dev.prepsweep.training;

import java.io.Serializable;

/**
 * How a trial measures its model's serving cost ({@link ServingProbe}): {@code warmupCalls} untimed
 * calls first, then {@code calls} timed calls at batch 1 (the latency percentiles) and timed calls
 * at {@code batchSize} rows (the throughput).
 */
public record ServingSettings(int batchSize, int calls, int warmupCalls) implements Serializable {

  public static final int DEFAULT_BATCH_SIZE = 64;
  /** 200 calls: the p95 is then the 190th call, not an extreme of a handful. */
  public static final int DEFAULT_CALLS = 200;
  public static final int MIN_CALLS = 200;
  public static final int DEFAULT_WARMUP_CALLS = 20;
  public static final ServingSettings DEFAULT = new ServingSettings(DEFAULT_BATCH_SIZE, DEFAULT_CALLS, DEFAULT_WARMUP_CALLS);

  public ServingSettings {
    if (batchSize < 1 || batchSize > 65536) {
      throw new IllegalArgumentException("serving.batch_size must be in [1, 65536], got " + batchSize);
    }
    if (calls < MIN_CALLS) {
      throw new IllegalArgumentException("serving.calls must be >= " + MIN_CALLS + " (p95 over fewer calls is one"
          + " outlier), got " + calls);
    }
    if (warmupCalls < 1) {
      throw new IllegalArgumentException("serving.warmup_calls must be >= 1, got " + warmupCalls);
    }
  }
}
