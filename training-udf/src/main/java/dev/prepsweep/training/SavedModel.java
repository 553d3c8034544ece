package dev.prepsweep.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.prepsweep.training.torchscript.TorchScriptModule;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A trial's kept model ({@code <trial>/best}, see {@link TrialOutcome#modelUri()}) loaded for
 * inference on the CPU: the network, its parameters, the label names and the featurizer fitted at
 * training time. Safe for concurrent {@link #probabilities} calls (inference only, no grad).
 */
public final class SavedModel implements AutoCloseable {

  /** A kept TorchScript model's module, beside its DJL form: {@code torch.jit.load} reads it. */
  public static final String TORCHSCRIPT_FILE = "model.pt";

  private final Map<String, Object> metadata;
  private final TrainingParams params;
  private final List<String> labels;
  private final Featurizer featurizer;
  private final NDManager manager;
  private final Block block;
  private final ParameterStore ps;

  private SavedModel(Map<String, Object> metadata, TrainingParams params, List<String> labels, Featurizer featurizer,
      NDManager manager, Block block) {
    this.metadata = metadata;
    this.params = params;
    this.labels = labels;
    this.featurizer = featurizer;
    this.manager = manager;
    this.block = block;
    this.ps = new ParameterStore(manager, false);
  }

  /**
   * Loads the model saved under {@code uri} (any Hadoop filesystem URI or local path).
   *
   * @throws IllegalStateException when the directory holds no complete model or it does not load
   */
  @SuppressWarnings("unchecked")
  public static SavedModel load(String uri, Configuration conf) {
    Path dir = new Path(uri);
    NDManager manager = null;
    try {
      FileSystem fs = dir.getFileSystem(conf);
      Map<String, Object> meta = readMetadata(fs, dir, uri);
      TrainingParams params = TrainingParams.from((Map<String, Object>) meta.get("params"));
      List<String> labels = (List<String>) meta.get("labels");
      Featurizer featurizer = Featurizer.fromMap((Map<String, Object>) meta.get("featurizer"));
      manager = NDManager.newBaseManager(Device.cpu());
      if (params.torchscript() != null) {
        Block module;
        try (java.io.InputStream in = fs.open(new Path(dir, TORCHSCRIPT_FILE))) {
          module = TorchScriptModule.read(manager, in, new Path(dir, TORCHSCRIPT_FILE).toString());
        }
        return new SavedModel(meta, params, labels, featurizer, manager, module);
      }
      Block block = Models.build(params, labels.size());
      block.initialize(manager, DataType.FLOAT32, ModelTrainer.shape(1, featurizer.rowShape()));
      NDManager m = manager;
      CheckpointStore.readParams(fs, new Path(dir, "model.params"), in -> {
        try {
          block.loadParameters(m, in);
        } catch (MalformedModelException e) {
          throw new IOException(e.getMessage(), e);
        }
      });
      return new SavedModel(meta, params, labels, featurizer, manager, block);
    } catch (IOException | RuntimeException e) {
      if (manager != null) {
        manager.close();
      }
      if (e instanceof IllegalStateException ise) {
        throw ise;
      }
      throw new IllegalStateException("cannot load the model at " + uri + ": " + e.getMessage(), e);
    }
  }

  /**
   * What was saved with the model under {@code uri} ({@code model.json}), read without loading the network: the
   * driver of a cluster job uses it to name the sweep and trial of a model that only executors load.
   *
   * @throws IllegalStateException when the directory holds no {@code model.json} or it cannot be read
   */
  public static Map<String, Object> readMetadata(String uri, Configuration conf) {
    Path dir = new Path(uri);
    try {
      return readMetadata(dir.getFileSystem(conf), dir, uri);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the model's model.json at " + uri + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> readMetadata(FileSystem fs, Path dir, String uri) throws IOException {
    if (!fs.exists(new Path(dir, "model.json"))) {
      throw new IllegalStateException("no saved model at " + uri + " (model.json is missing); pass a trial's model_uri,"
          + " which is <artifacts>/<sweep>/trial-<n>/best");
    }
    return CheckpointStore.readJson(fs, new Path(dir, "model.json"));
  }

  /** The sweep that trained the model, from its metadata ({@link #metadata()}); null when not recorded. */
  public static String sweepId(Map<String, Object> metadata) {
    return metadata.get("sweep_id") instanceof String s ? s : null;
  }

  /** The trial that trained the model, from its metadata ({@link #metadata()}); null when not recorded. */
  public static Integer trialId(Map<String, Object> metadata) {
    return metadata.get("trial_id") instanceof Number n ? n.intValue() : null;
  }

  public List<String> labels() {
    return labels;
  }

  public TrainingParams params() {
    return params;
  }

  /** What was saved with the model: params, labels, sweep and trial, epoch, validation metrics. */
  public Map<String, Object> metadata() {
    return metadata;
  }

  /**
   * A regression model's predictions of the rows ({@code mean + std * output}, the target scale saved with it).
   *
   * @throws IllegalStateException when the model is a classifier
   */
  @SuppressWarnings("unchecked")
  public float[] predictions(SplitRows rows) {
    if (!metadata.containsKey("target")) {
      throw new IllegalStateException("the model " + metadata.get("sweep_id") + "/trial " + metadata.get("trial_id")
          + " is a classifier (task: classification): it gives class probabilities, not predicted numbers");
    }
    if (rows.size() == 0) {
      return new float[0];
    }
    try (NDManager batch = manager.newSubManager()) {
      NDArray x = ModelTrainer.upload(batch, featurizer.encode(rows));
      return TargetScale.fromMap((Map<String, Object>) metadata.get("target"))
          .toPrediction(RegressionRun.outputs(block, ps, batch, x));
    }
  }

  /** Class probabilities of the rows (their labels are ignored), row-major {@code rows x labels}. */
  public float[] probabilities(SplitRows rows) {
    if (rows.size() == 0) {
      return new float[0];
    }
    try (NDManager batch = manager.newSubManager()) {
      NDArray x = ModelTrainer.upload(batch, featurizer.encode(rows));
      return ModelTrainer.probabilities(block, ps, batch, x, labels.size());
    }
  }

  @Override
  public void close() {
    manager.close();
  }

  /** What {@link #load} needs, saved with the best model of a trial. */
  static Map<String, Object> metadata(TrialSpec spec, Featurizer featurizer) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", 1);
    m.put("sweep_id", spec.sweepId());
    m.put("trial_id", spec.trialId());
    m.put("attempt", spec.attempt());
    m.put("seed", spec.seed());
    m.put("params", new LinkedHashMap<>(spec.params()));
    m.put("labels", spec.labels());
    m.put("featurizer", featurizer.toMap());
    m.put("train", spec.train().path() + "@v" + spec.train().version());
    m.put("val", spec.val().path() + "@v" + spec.val().version());
    return m;
  }
}
