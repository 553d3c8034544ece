package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Real DJL/PyTorch training on CPU, no Spark: a learnable synthetic text task. */
class TextMlpTrainerTest {

  private static final String[] SPAMMY = {"free", "money", "winner", "offer", "click", "cash", "prize"};
  private static final String[] HAMMY = {"meeting", "patch", "kernel", "review", "lunch", "thanks", "build"};
  private static final String[] COMMON = {"the", "a", "to", "and", "you", "for", "is", "this"};

  @Test
  void learnsASeparableTextTaskAndIsReproducible() {
    LabeledTexts train = synthetic(600, 1);
    LabeledTexts val = synthetic(200, 2);
    TextMlpParams params = TextMlpParams.from(Map.of("lr", 0.01, "hidden", 16L, "epochs", 3L, "hash_dim", 256L));
    List<EpochMetrics> first = train(params, train, val, 7);
    List<EpochMetrics> second = train(params, train, val, 7);
    assertThat(first).hasSize(3);
    assertThat(first.get(2).valAccuracy()).isGreaterThan(0.9);
    assertThat(first.get(2).trainLoss()).isLessThan(first.get(0).trainLoss());
    // same seed, same data: identical metrics (CPU kernels are deterministic for this model)
    assertThat(second.get(2).valLoss()).isEqualTo(first.get(2).valLoss());
  }

  @Test
  void earlyStoppingEndsBeforeTheEpochBudget() {
    LabeledTexts train = synthetic(300, 3);
    LabeledTexts val = synthetic(100, 4);
    // With lr so small nothing improves after the first epochs except noise; patience 1 must stop long before 40.
    TextMlpParams params = TextMlpParams.from(Map.of("lr", 0.05, "hidden", 8L, "epochs", 40L, "hash_dim", 128L, "patience", 1L));
    List<EpochMetrics> epochs = train(params, train, val, 3);
    assertThat(epochs.size()).isLessThan(40);
  }

  @Test
  void aNonFiniteLossIsReportedNotCrashed() {
    int dim = 32;
    float[] x = new float[8 * dim];
    java.util.Arrays.fill(x, Float.MAX_VALUE);
    int[] y = {0, 1, 0, 1, 0, 1, 0, 1};
    TextMlpParams params = TextMlpParams.from(Map.of("hash_dim", (long) dim, "epochs", 1L, "batch_size", 4L));
    assertThatThrownBy(() -> new TextMlpTrainer(params, 2, Device.cpu())
        .train(x, y, x, y, 1, "val_accuracy", true, m -> { }))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("training loss became");
  }

  @Test
  void unknownOrInvalidParametersAreRejectedWithTheirName() {
    assertThatThrownBy(() -> TextMlpParams.from(Map.of("learning_rate", 0.1)))
        .hasMessageContaining("unknown training parameter 'learning_rate'");
    assertThatThrownBy(() -> TextMlpParams.from(Map.of("dropout", 1.5)))
        .hasMessage("training parameter 'dropout' = 1.5 must be in [0, 1)");
  }

  private static List<EpochMetrics> train(TextMlpParams params, LabeledTexts train, LabeledTexts val, long seed) {
    HashingVectorizer v = new HashingVectorizer(params.hashDim());
    return new TextMlpTrainer(params, 2, Device.cpu())
        .train(featurise(v, train), train.labels(), featurise(v, val), val.labels(), seed, "val_accuracy", true, m -> { });
  }

  private static float[] featurise(HashingVectorizer v, LabeledTexts rows) {
    float[] x = new float[rows.size() * v.dimension()];
    for (int i = 0; i < rows.size(); i++) {
      v.transform(rows.texts()[i], x, i * v.dimension());
    }
    return x;
  }

  /** Texts of common words plus 2 class-specific words; 10% of rows carry the other class's words too. */
  static LabeledTexts synthetic(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    String[] texts = new String[n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int label = rng.nextInt(2);
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < 6; w++) {
        sb.append(COMMON[rng.nextInt(COMMON.length)]).append(' ');
      }
      String[] own = label == 1 ? SPAMMY : HAMMY;
      sb.append(own[rng.nextInt(own.length)]).append(' ').append(own[rng.nextInt(own.length)]);
      if (rng.nextInt(10) == 0) {
        String[] other = label == 1 ? HAMMY : SPAMMY;
        sb.append(' ').append(other[rng.nextInt(other.length)]);
      }
      texts[i] = sb.toString();
      labels[i] = label;
    }
    return new LabeledTexts(texts, labels);
  }
}
