package dev.prepsweep.training;

import static dev.prepsweep.training.torchscript.ExpectedOutput.classifier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.prepsweep.training.torchscript.ExpectedOutput;
import dev.prepsweep.training.torchscript.ModelCheckException;
import dev.prepsweep.training.torchscript.TorchScriptModule;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model: torchscript} on real DJL/PyTorch, no Spark: the committed fixtures
 * ({@code src/test/python/make_torchscript.py}, torch 1.13) fine-tuned, frozen, resumed and checked.
 */
class TorchScriptTrainingTest {

  @TempDir
  Path dir;

  static String fixture(String name) {
    try {
      return Path.of(TorchScriptTrainingTest.class.getResource("/torchscript/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> mlp(Object... more) {
    Map<String, Object> p = new LinkedHashMap<>(Map.of("model", "torchscript", "path", fixture("mlp_bn.pt"),
        "inputs", "features", "lr", 0.01, "epochs", 4L, "batch_size", 32L));
    for (int i = 0; i < more.length; i += 2) {
      p.put((String) more[i], more[i + 1]);
    }
    return p;
  }

  private ModelTrainer.Result train(Map<String, Object> raw, SplitRows train, SplitRows val, String trialDir) {
    TrainingParams p = TrainingParams.from(raw);
    Featurizer f = Featurizer.fit(p, train);
    int classes = 1 + java.util.Arrays.stream(train.labels()).max().orElse(1);
    CheckpointStore store = trialDir == null ? null : new CheckpointStore(trialDir, new Configuration());
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("params", raw);
    meta.put("labels", java.util.stream.IntStream.range(0, classes).mapToObj(String::valueOf).toList());
    meta.put("featurizer", f.toMap());
    return new ModelTrainer(p, classes, Device.cpu()).train(f.encode(train), f.encode(val), 3, "val_loss", false,
        null, store, meta, m -> { });
  }

  @Test
  void fineTunesAnMlpWithBatchNormAndATextClassifierOverTokenIds() {
    List<EpochMetrics> mlp = train(mlp(), TestData.blobs(600, 31), TestData.blobs(300, 32), null).history();
    // chance is 1/3; a Bayes classifier gets ~0.9, but the module sees the features unscaled (its own
    // BatchNorm comes after the first layer), so the 0.001-scaled one barely counts: 0.7 is learning
    assertThat(mlp.get(3).valAccuracy()).isGreaterThan(0.7);
    assertThat(mlp.get(3).trainLoss()).isLessThan(mlp.get(0).trainLoss());

    Map<String, Object> text = Map.of("model", "torchscript", "path", fixture("text_classifier.pt"), "inputs", "tokens",
        "vocab_size", 1024L, "max_length", 32L, "lr", 0.02, "epochs", 3L, "batch_size", 32L);
    List<EpochMetrics> epochs = train(text, TestData.synthetic(600, 21), TestData.synthetic(200, 22), null).history();
    assertThat(epochs.get(2).valAccuracy()).isGreaterThan(0.9);
  }

  @Test
  void frozenParametersStayByteIdenticalAndTheHeadTrains() throws Exception {
    String trial = dir.resolve("frozen").toUri().toString();
    train(mlp("freeze", "encoder.*", "head", "head.*", "head_lr_mult", 3.0, "epochs", 2L),
        TestData.blobs(300, 1), TestData.blobs(100, 2), trial);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Block before = TorchScriptModule.load(manager, fixture("mlp_bn.pt"), new Configuration());
      Block after = TorchScriptModule.load(manager, dir.resolve("frozen/best/model.pt").toString(), new Configuration());
      Map<String, NDArray> original = new HashMap<>();
      before.getParameters().forEach(p -> original.put(p.getKey(), p.getValue().getArray()));
      assertThat(original.keySet()).contains("encoder.0.weight", "encoder.1.weight", "head.weight");
      after.getParameters().forEach(p -> {
        byte[] was = original.get(p.getKey()).toByteArray();
        byte[] now = p.getValue().getArray().toByteArray();
        if (p.getKey().startsWith("encoder.")) {
          assertThat(now).as(p.getKey()).isEqualTo(was);
        } else {
          assertThat(now).as(p.getKey()).isNotEqualTo(was);
        }
      });
    }
  }

  /**
   * The kept {@code model.pt} loaded by Python torch predicts what prepsweep's scorer ({@link SavedModel},
   * which the distributed scorer runs) predicts. Needs Debian's python3-torch ({@code bin/install-deps.sh test}
   * installs it): without it this test fails, it does not skip.
   */
  @Test
  void theSavedModuleLoadedByPythonTorchPredictsAsTheScorer() throws Exception {
    SplitRows blobs = TestData.blobs(200, 8);
    SplitRows texts = TestData.synthetic(200, 9);
    Map<String, Object> text = Map.of("model", "torchscript", "path", fixture("text_classifier.pt"), "inputs", "tokens",
        "vocab_size", 1024L, "max_length", 32L, "lr", 0.02, "epochs", 2L, "batch_size", 32L);
    for (Map.Entry<Map<String, Object>, SplitRows> run : List.of(Map.entry(mlp("epochs", 2L), blobs),
        Map.entry(text, texts))) {
      String name = run.getKey().get("inputs").toString();
      train(run.getKey(), run.getValue(), run.getValue(), dir.resolve(name).toUri().toString());
      Path best = dir.resolve(name + "/best");
      float[] ours;
      Featurizer.Encoded x;
      try (SavedModel model = SavedModel.load(best.toString(), new Configuration())) {
        ours = model.probabilities(run.getValue());
        x = Featurizer.fromMap(featurizerOf(model)).encode(run.getValue());
      }
      Map<String, Object> inputs = new LinkedHashMap<>();
      inputs.put("dtype", x.ids() != null ? "int64" : "float32");
      inputs.put("shape", ModelTrainer.shape(x.size(), x.rowShape()).getShape());
      inputs.put("values", x.ids() != null ? x.ids() : x.floats());
      Path json = dir.resolve(name + ".json");
      CheckpointStore.JSON.writeValue(json.toFile(), inputs);
      double[] theirs = python(best.resolve("model.pt"), json);
      assertThat(theirs).hasSize(ours.length);
      for (int i = 0; i < ours.length; i++) {
        assertThat(theirs[i]).as("%s probability %d", name, i).isCloseTo(ours[i], org.assertj.core.data.Offset.offset(1e-5));
      }
    }
  }

  @Test
  void aRegressionModuleSavedAsPtPredictsInPythonAsTheScorer() throws Exception {
    // 10 features around the diabetes data's scale (the module subtracts its means and divides by its sds)
    java.util.SplittableRandom rng = new java.util.SplittableRandom(12);
    int n = 120;
    double[][] x = new double[n][10];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 10; j++) {
        x[i][j] = 50 + 20 * rng.nextDouble();
      }
      y[i] = 100 + 2 * x[i][0] + rng.nextDouble() * 10;
    }
    SplitRows rows = new SplitRows(new String[n], new int[n], x, null, y);
    java.util.Arrays.fill(rows.texts(), "");
    Map<String, Object> raw = Map.of("task", "regression", "model", "torchscript", "path", fixture("regressor.pt"),
        "inputs", "features", "lr", 0.01, "epochs", 2L, "batch_size", 32L);
    TrainingParams p = TrainingParams.from(raw);
    Featurizer f = Featurizer.fit(p, rows);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("params", raw);
    meta.put("labels", List.of("all"));
    meta.put("featurizer", f.toMap());
    meta.put("target", TargetScale.IDENTITY.toMap());
    String trial = dir.resolve("regression").toUri().toString();
    new ModelTrainer(p, 1, Device.cpu())
        .regression(new RegressionRun(RegressionParams.from(raw), TargetScale.IDENTITY, y, y))
        .train(f.encode(rows), f.encode(rows), 3, "val_rmse", false, null,
            new CheckpointStore(trial, new Configuration()), meta, m -> { });
    Path best = dir.resolve("regression/best");
    float[] ours;
    try (SavedModel model = SavedModel.load(best.toString(), new Configuration())) {
      ours = model.predictions(rows);
    }
    Featurizer.Encoded encoded = f.encode(rows);
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("dtype", "float32");
    inputs.put("shape", ModelTrainer.shape(encoded.size(), encoded.rowShape()).getShape());
    inputs.put("values", encoded.floats());
    inputs.put("raw", true);
    Path json = dir.resolve("regression.json");
    CheckpointStore.JSON.writeValue(json.toFile(), inputs);
    double[] theirs = python(best.resolve("model.pt"), json);
    assertThat(theirs).hasSize(n);
    for (int i = 0; i < n; i++) {
      // values in the label's units (~200): float32 arithmetic in another order agrees to ~1e-5 relative
      assertThat(theirs[i]).as("prediction %d", i).isCloseTo(ours[i], org.assertj.core.data.Offset.offset(1e-5 * 300));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> featurizerOf(SavedModel model) {
    return (Map<String, Object>) model.metadata().get("featurizer");
  }

  /** Runs predict_torchscript.py with Debian's python3 (where python3-torch installs torch). */
  private static double[] python(Path model, Path inputs) throws Exception {
    String python = java.nio.file.Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    Path script = Path.of("src/test/python/predict_torchscript.py").toAbsolutePath();
    Process p = new ProcessBuilder(python, script.toString(), model.toString(), inputs.toString())
        .redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s %s failed (python3-torch missing? run bin/install-deps.sh test): %s", python,
        script, err).isZero();
    return CheckpointStore.JSON.readValue(out, double[].class);
  }

  @Test
  void aGlobThatMatchesNoParameterIsRejectedNamingTheParameters() {
    assertThatThrownBy(() -> train(mlp("freeze", "encoderr.*"), TestData.blobs(60, 1), TestData.blobs(30, 2), null))
        .isInstanceOf(ModelCheckException.class)
        .hasMessageContaining("freeze glob 'encoderr.*' matches no parameter of " + fixture("mlp_bn.pt"))
        .hasMessageContaining("head.weight");
  }

  @Test
  void resumingFromEpochKMatchesTheUninterruptedRun() {
    SplitRows train = TestData.blobs(300, 5);
    SplitRows val = TestData.blobs(100, 6);
    // dropout and BatchNorm's running statistics (a buffer, not a parameter) must both survive the checkpoint
    List<EpochMetrics> straight = train(mlp("epochs", 3L), train, val, dir.resolve("a").toUri().toString()).history();
    train(mlp("epochs", 2L), train, val, dir.resolve("b").toUri().toString());
    ModelTrainer.Result resumed = train(mlp("epochs", 3L), train, val, dir.resolve("b").toUri().toString());
    assertThat(resumed.resumedFromEpoch()).isEqualTo(2);
    assertThat(resumed.history().get(2).trainLoss()).isEqualTo(straight.get(2).trainLoss());
    assertThat(resumed.history().get(2).valLoss()).isEqualTo(straight.get(2).valLoss());
  }

  @Test
  void theCheckNamesTheFileAndTheShapesItExpectedAndGot() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray features = manager.randomNormal(new ai.djl.ndarray.types.Shape(8, 5));
      TorchScriptModule.check(manager, fixture("mlp_bn.pt"), new Configuration(), features, classifier(3));
      assertThatThrownBy(() -> TorchScriptModule.check(manager, fixture("mlp_wrong_out.pt"), new Configuration(),
          features, classifier(3)))
          .isInstanceOf(ModelCheckException.class)
          .hasMessageContaining(fixture("mlp_wrong_out.pt"))
          .hasMessageContaining("returns shape (8, 4)")
          .hasMessageContaining("expected shape (8, 3) (batch x 3 classes, one logit per label)");
      // float features into a module that embeds int64 token ids
      assertThatThrownBy(() -> TorchScriptModule.check(manager, fixture("text_classifier.pt"), new Configuration(),
          features, classifier(2)))
          .isInstanceOf(ModelCheckException.class)
          .hasMessageContaining(fixture("text_classifier.pt") + " rejects a batch of the train data: input float32 (8, 5)")
          .hasMessageContaining("expected output (8, 2)");
      assertThatThrownBy(() -> TorchScriptModule.check(manager, fixture("not_torchscript.pt"), new Configuration(),
          features, classifier(3)))
          .isInstanceOf(ModelCheckException.class)
          .hasMessageContaining("the model file " + fixture("not_torchscript.pt") + " is not a TorchScript module");
      String missing = dir.resolve("missing.pt").toString();
      assertThatThrownBy(() -> TorchScriptModule.check(manager, missing, new Configuration(), features, classifier(3)))
          .isInstanceOf(ModelCheckException.class)
          .hasMessageContaining("cannot read the TorchScript module " + missing);
    }
  }

  @Test
  void aRegressionCheckWantsOneValuePerRowAndNamesTheFileAndShapes() {
    // what the sweep driver checks before its first trial: the task, not the label count, fixes the width
    assertThat(ModelCheck.expectedOutput(Map.of("task", "regression"), List.of("bin0", "bin1", "bin2")))
        .isEqualTo(ExpectedOutput.forRegression());
    assertThat(ModelCheck.expectedOutput(Map.of(), List.of("ham", "spam"))).isEqualTo(classifier(2));
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      TorchScriptModule.check(manager, fixture("regressor.pt"), new Configuration(),
          manager.randomNormal(new ai.djl.ndarray.types.Shape(8, 10)), ExpectedOutput.forRegression());
      // a classifier (3 logits) given to a regression sweep
      assertThatThrownBy(() -> TorchScriptModule.check(manager, fixture("mlp_bn.pt"), new Configuration(),
          manager.randomNormal(new ai.djl.ndarray.types.Shape(8, 5)), ExpectedOutput.forRegression()))
          .isInstanceOf(ModelCheckException.class)
          .hasMessage("the TorchScript module " + fixture("mlp_bn.pt") + " returns shape (8, 3) for input float32"
              + " (8, 5), expected shape (8, 1) (one value per row (regression))");
      assertThatThrownBy(() -> TorchScriptModule.check(manager, fixture("regressor.pt"), new Configuration(),
          manager.randomNormal(new ai.djl.ndarray.types.Shape(8, 5)), ExpectedOutput.forRegression()))
          .isInstanceOf(ModelCheckException.class)
          .hasMessageContaining(fixture("regressor.pt") + " rejects a batch of the train data: input float32 (8, 5),"
              + " expected output (8, 1)")
          .hasMessageContaining("return (8, 1), one value per row (regression)");
    }
  }

  @Test
  void torchscriptSettingsAreValidatedNamingKeyValueAndRule() {
    assertThatThrownBy(() -> TrainingParams.from(Map.of("model", "torchscript")))
        .hasMessageContaining("training parameter 'path' = null is required for model torchscript");
    assertThatThrownBy(() -> TrainingParams.from(Map.of("model", "torchscript", "path", "m.pt", "inputs", "pixels")))
        .hasMessage("training parameter 'inputs' = pixels must be one of [features, tokens]");
    assertThatThrownBy(() -> TrainingParams.from(Map.of("model", "torchscript", "path", "m.pt", "head_lr_mult", 0.0)))
        .hasMessage("training parameter 'head_lr_mult' = 0.0 must be in (0, 1000]");
    TrainingParams p = TrainingParams.from(Map.of("model", "torchscript", "path", "hdfs://nn/m/Model.pt",
        "freeze", "embedding*, encoder.*", "head", List.of("head.*")));
    assertThat(p.torchscript().path()).isEqualTo("hdfs://nn/m/Model.pt");
    assertThat(p.torchscript().freeze()).containsExactly("embedding*", "encoder.*");
    assertThat(p.torchscript().head()).containsExactly("head.*");
    assertThat(p.torchscript().headLrMult()).isEqualTo(1.0);
  }
}
