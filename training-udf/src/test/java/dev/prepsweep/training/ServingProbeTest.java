package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real DJL/PyTorch on CPU, no Spark: the trainer measures its model's serving cost after training. */
class ServingProbeTest {

  private static ServingCost cost(long hashDim, long hidden, long layers) {
    TrainingParams p = TrainingParams.from(Map.of("hash_dim", hashDim, "hidden", hidden, "layers", layers,
        "epochs", 1L, "lr", 0.01));
    SplitRows train = TestData.synthetic(200, 1);
    SplitRows val = TestData.synthetic(60, 2);
    Featurizer f = Featurizer.fit(p, train);
    return new ModelTrainer(p, 2, Device.cpu(), new ServingSettings(4, 200, 10))
        .train(f.encode(train), f.encode(val), 7, "val_accuracy", true, null, null, null, m -> { }).serving();
  }

  /** Trained once for both tests: training is most of their time. */
  private static ServingCost small;

  private static synchronized ServingCost small() {
    if (small == null) {
      small = cost(64, 8, 1);
    }
    return small;
  }

  @Test
  void measuresCountsBytesAndTimesOfTheTrainedModel() {
    ServingCost small = small();
    // Linear(64 -> 8) + Linear(8 -> 2), weights and biases
    long expectedParams = 64 * 8 + 8 + 8 * 2 + 2;
    assertThat(small.paramCount()).isEqualTo(expectedParams);
    // float32 parameters plus DJL's per-array headers: at least 4 bytes per scalar
    assertThat(small.modelBytes()).isGreaterThanOrEqualTo(4 * expectedParams);
    assertThat(small.latencyP50Ms()).isPositive();
    assertThat(small.latencyP95Ms()).isGreaterThanOrEqualTo(small.latencyP50Ms());
    assertThat(small.throughputRowsS()).isPositive();
    assertThat(small.throughputBatch()).isEqualTo(4);
    assertThat(small.trainSeconds()).isPositive();
    assertThat(small.metric("model_bytes")).isEqualTo((double) small.modelBytes());
  }

  @Test
  void aMuchLargerModelIsSlowerAndBigger() {
    ServingCost small = small();
    // ~30,000x the multiply-adds per row: 8192 -> 2048 (67 MB of weights) against 64 -> 8. A one-row call
    // of a model below a few million parameters costs about the call's fixed overhead, so a smaller gap
    // can invert on a loaded machine; a weight matrix this size misses every cache and costs milliseconds.
    ServingCost large = cost(8192, 2048, 1);
    assertThat(large.paramCount()).isGreaterThan(100 * small.paramCount());
    assertThat(large.modelBytes()).isGreaterThan(100 * small.modelBytes());
    // a factor of 30,000 in work leaves room for a loaded machine's noise in both directions
    assertThat(large.latencyP50Ms()).isGreaterThan(small.latencyP50Ms());
    assertThat(large.throughputRowsS()).isLessThan(small.throughputRowsS());
  }
}
