package dev.prepsweep.training;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.prepsweep.training.torchscript.ExpectedOutput;
import dev.prepsweep.training.torchscript.ModelCheckException;
import dev.prepsweep.training.torchscript.TorchScriptModule;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the sweep driver checks before its first trial when trials train a user's model: the module
 * loads and one forward pass on a real batch of the pinned train rows, encoded as trials encode
 * them, returns one logit per label (one value per row for {@code task: regression}).
 */
public final class ModelCheck {
  private ModelCheck() {}

  /**
   * Checks the model {@code spec}'s parameters choose (nothing to check for the built-in families).
   *
   * @throws ModelCheckException naming the file, the expected and the actual shape (exit code 2)
   */
  public static void check(TrialSpec spec) {
    TrainingParams params = TrainingParams.from(spec.params());
    if (params.torchscript() == null) {
      return;
    }
    SplitRows rows = PinnedSnapshotReader.readRows(spec.train());
    int m = Math.min(rows.size(), params.batchSize());
    SplitRows batch = new SplitRows(Arrays.copyOf(rows.texts(), m), Arrays.copyOf(rows.labels(), m),
        rows.features() == null ? null : Arrays.copyOf(rows.features(), m),
        rows.images() == null ? null : Arrays.copyOf(rows.images(), m));
    Featurizer featurizer = Featurizer.fit(params, rows);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      TorchScriptModule.check(manager, params.torchscript().path(), PinnedSnapshotReader.hadoopConf(),
          ModelTrainer.upload(manager, featurizer.encode(batch)), expectedOutput(spec.params(), spec.labels()));
    }
  }

  /** The output a trial's task needs: one value per row for {@code task: regression}, else one logit per label. */
  static ExpectedOutput expectedOutput(Map<String, Object> params, List<String> labels) {
    return RegressionParams.from(params).regression() ? ExpectedOutput.forRegression()
        : ExpectedOutput.classifier(labels.size());
  }
}
