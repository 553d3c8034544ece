package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real DJL/PyTorch training on CPU, no Spark: learnable synthetic tasks for every option. */
class ModelTrainerTest {

  static List<EpochMetrics> train(Map<String, Object> raw, SplitRows train, SplitRows val, long seed) {
    TrainingParams p = TrainingParams.from(raw);
    Featurizer f = Featurizer.fit(p, train);
    int classes = 1 + java.util.Arrays.stream(train.labels()).max().orElse(1);
    float[] weights = p.weighted() ? TrialTask.classWeights(null, train.labels(), classes) : null;
    return new ModelTrainer(p, classes, Device.cpu())
        .train(f.encode(train), f.encode(val), seed, "val_accuracy", true, weights, null, null, m -> { }).history();
  }

  @Test
  void learnsASeparableTextTaskAndIsReproducible() {
    SplitRows train = TestData.synthetic(600, 1);
    SplitRows val = TestData.synthetic(200, 2);
    Map<String, Object> params = Map.of("lr", 0.01, "hidden", 16L, "epochs", 3L, "hash_dim", 256L);
    List<EpochMetrics> first = train(params, train, val, 7);
    List<EpochMetrics> second = train(params, train, val, 7);
    assertThat(first).hasSize(3);
    assertThat(first.get(2).valAccuracy()).isGreaterThan(0.9);
    assertThat(first.get(2).valRocAuc()).isGreaterThan(0.9);
    assertThat(first.get(2).trainLoss()).isLessThan(first.get(0).trainLoss());
    // same seed, same data: identical metrics (CPU kernels are deterministic for this model)
    assertThat(second.get(2).valLoss()).isEqualTo(first.get(2).valLoss());
  }

  @Test
  void everyOptimizerScheduleAndLossOptionTrains() {
    SplitRows train = TestData.synthetic(400, 11);
    SplitRows val = TestData.synthetic(200, 12);
    List<Map<String, Object>> variants = List.of(
        Map.of("optimizer", "sgd", "lr", 0.5, "momentum", 0.9, "lr_schedule", "step", "lr_step_epochs", 1L, "lr_gamma", 0.5),
        Map.of("optimizer", "adamw", "lr", 0.01, "weight_decay", 0.01, "lr_schedule", "cosine", "warmup_epochs", 0.5),
        Map.of("optimizer", "adam", "lr", 0.01, "label_smoothing", 0.1, "class_weights", true, "clip_grad", 0.5,
            "dropout", 0.2));
    for (Map<String, Object> v : variants) {
      Map<String, Object> params = new HashMap<>(v);
      params.putAll(Map.of("hidden", 16L, "epochs", 3L, "hash_dim", 256L, "batch_size", 32L));
      List<EpochMetrics> epochs = train(params, train, val, 5);
      assertThat(epochs.get(2).valAccuracy()).as("%s", v).isGreaterThan(0.85);
    }
  }

  @Test
  void textCnnLearnsFromTokenIdsWithAndWithoutConvolution() {
    SplitRows train = TestData.synthetic(600, 21);
    SplitRows val = TestData.synthetic(200, 22);
    for (Map<String, Object> v : List.of(Map.<String, Object>of("conv_filters", 16L, "pooling", "max"),
        Map.<String, Object>of("conv_filters", 0L, "pooling", "mean"))) {
      Map<String, Object> params = new HashMap<>(v);
      params.putAll(Map.of("model", "text_cnn", "lr", 0.01, "epochs", 3L, "vocab_size", 512L, "embed_dim", 16L,
          "max_tokens", 16L, "hidden", 16L));
      assertThat(train(params, train, val, 3).get(2).valAccuracy()).as("%s", v).isGreaterThan(0.9);
    }
  }

  @Test
  void mlpStandardisesNumericFeatures() {
    SplitRows train = TestData.blobs(900, 31);
    SplitRows val = TestData.blobs(300, 32);
    List<EpochMetrics> epochs = train(Map.of("model", "mlp", "lr", 0.01, "epochs", 4L, "hidden", 32L), train, val, 1);
    // the blobs overlap a little (centres 2 sd apart per informative feature): a Bayes classifier gets ~0.9
    assertThat(epochs.get(3).valAccuracy()).isGreaterThan(0.8);
    assertThat(epochs.get(3).valRocAuc()).isNaN(); // three classes
  }

  @Test
  void earlyStoppingEndsBeforeTheEpochBudget() {
    SplitRows train = TestData.synthetic(300, 3);
    SplitRows val = TestData.synthetic(100, 4);
    // the task is learnt within a few epochs; patience 1 must stop long before 40
    Map<String, Object> params = Map.of("lr", 0.05, "hidden", 8L, "epochs", 40L, "hash_dim", 128L, "patience", 1L);
    assertThat(train(params, train, val, 3).size()).isLessThan(40);
  }

  @Test
  void anInterruptedTrainingStopsAtItsNextBatch() {
    // Spark interrupts the thread of a task the driver cancels; here the epoch callback does it after epoch 2
    SplitRows train = TestData.synthetic(200, 1);
    SplitRows val = TestData.synthetic(50, 2);
    TrainingParams p = TrainingParams.from(Map.of("epochs", 50L, "batch_size", 16L, "hash_dim", 256L));
    Featurizer f = Featurizer.fit(p, train);
    List<Integer> seen = new java.util.ArrayList<>();
    try {
      assertThatThrownBy(() -> new ModelTrainer(p, 2, Device.cpu()).train(f.encode(train), f.encode(val), 3,
          "val_accuracy", true, null, null, null, m -> {
            seen.add(m.epoch());
            if (m.epoch() == 2) {
              Thread.currentThread().interrupt();
            }
          }))
          .isInstanceOf(java.util.concurrent.CancellationException.class)
          .hasMessageContaining("cancelled in epoch 3 (batch at row 0)");
      assertThat(seen).containsExactly(1, 2);
    } finally {
      Thread.interrupted(); // the flag must not reach the next test on this thread
    }
  }

  @Test
  void aNonFiniteLossIsReportedNotCrashed() {
    String[] texts = new String[8];
    java.util.Arrays.fill(texts, "");
    double[][] x = new double[8][2];
    for (double[] row : x) {
      java.util.Arrays.fill(row, Double.MAX_VALUE);
    }
    x[0][0] = -Double.MAX_VALUE; // a finite mean/sd; the standardised inputs overflow floats
    SplitRows rows = new SplitRows(texts, new int[] {0, 1, 0, 1, 0, 1, 0, 1}, x, null);
    assertThatThrownBy(() -> train(Map.of("model", "mlp", "epochs", 1L, "batch_size", 4L, "standardize", false),
        rows, rows, 1))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("training loss became");
  }

  @Test
  void unknownOrInvalidParametersAreRejectedWithTheirName() {
    assertThatThrownBy(() -> TrainingParams.from(Map.of("learning_rate", 0.1)))
        .hasMessageContaining("unknown training parameter 'learning_rate'");
    assertThatThrownBy(() -> TextMlpParams.from(Map.of("dropout", 1.5)))
        .hasMessage("training parameter 'dropout' = 1.5 must be in [0, 1)");
    assertThatThrownBy(() -> TrainingParams.from(Map.of("model", "rnn")))
        .hasMessage("training parameter 'model' = rnn must be one of [mlp_text, text_cnn, mlp, cnn, torchscript]");
    assertThatThrownBy(() -> TrainingParams.from(Map.of("kernel_size", 4L)))
        .hasMessage("training parameter 'kernel_size' = 4 must be odd and in [1, 31]");
    assertThat(TextMlpParams.NAMES).contains("lr", "hidden", "layers", "dropout", "batch_size", "epochs",
        "weight_decay", "hash_dim", "optimizer", "momentum", "clip_grad", "patience", "model", "label_smoothing");
    for (Map.Entry<String, java.util.Set<String>> e : TrainingParams.FAMILY_PARAMS.entrySet()) {
      assertThat(TrainingParams.NAMES).as(e.getKey()).containsAll(e.getValue());
    }
  }

  @Test
  void learningRateSchedules() {
    // 10 steps per epoch, 4 epochs, lr 1
    LrSchedule warmCosine = new LrSchedule("cosine", 1.0, 0.0, 10, 10, 4, 1, 0.1);
    assertThat(warmCosine.at(0)).isEqualTo(0.1);
    assertThat(warmCosine.at(9)).isEqualTo(1.0);
    assertThat(warmCosine.at(10)).isEqualTo(1.0);
    assertThat(warmCosine.at(25)).isCloseTo(0.5, org.assertj.core.api.Assertions.within(1e-12)); // half of 30 steps
    assertThat(warmCosine.at(40)).isCloseTo(0.0, org.assertj.core.api.Assertions.within(1e-12));
    LrSchedule step = new LrSchedule("step", 1.0, 0.0, 0, 10, 4, 2, 0.1);
    assertThat(step.at(19)).isEqualTo(1.0);
    assertThat(step.at(20)).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(new LrSchedule("constant", 0.3, 0.0, 0, 10, 4, 1, 0.1).at(33)).isEqualTo(0.3);
  }
}
