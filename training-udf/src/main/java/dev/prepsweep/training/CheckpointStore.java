package dev.prepsweep.training;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A trial's checkpoint and best model on any Hadoop filesystem:
 * <pre>
 * &lt;trial&gt;/checkpoint/state.json     epoch, optimizer step, best so far, architecture, metrics history
 * &lt;trial&gt;/checkpoint/model.params   DJL parameters after that epoch
 * &lt;trial&gt;/checkpoint/optimizer.bin  optimizer moments and step count
 * &lt;trial&gt;/best/model.json           what {@link SavedModel} needs: params, labels, featurizer, metrics
 * &lt;trial&gt;/best/model.params         DJL parameters of the best epoch
 * &lt;trial&gt;/best/model.pt             model torchscript only: the fine-tuned module ({@code torch.jit.load} reads it)
 * </pre>
 * Each directory is written as {@code <name>.tmp} and then renamed over the previous one, so a reader
 * sees the old or the new complete directory. Its JSON file is the completion marker: written last,
 * as {@code <file>.part} renamed into place, so it exists only once every file beside it is whole. A
 * writer killed between the delete and the rename leaves only a complete {@code <name>.tmp}, which
 * the reader then takes; one killed while writing leaves a {@code .tmp} without its marker, which the
 * reader ignores (a trial killed during its first checkpoint starts again from epoch 0).
 */
final class CheckpointStore {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String CHECKPOINT = "checkpoint";
  static final String BEST = "best";

  private final Path trial;
  private final FileSystem fs;

  CheckpointStore(String trialUri, Configuration conf) {
    this.trial = new Path(trialUri);
    try {
      this.fs = trial.getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the filesystem of artifact location " + trialUri + ": " + e.getMessage(), e);
    }
  }

  String bestUri() {
    return new Path(trial, BEST).toString();
  }

  /** The state of the last checkpoint, if one was completed. */
  Optional<State> latest() {
    try {
      Path dir = complete(CHECKPOINT, "state.json");
      if (dir == null) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(new Path(dir, "state.json"))) {
        return Optional.of(JSON.readValue(in, State.class));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checkpoint of " + trial + ": " + e.getMessage(), e);
    }
  }

  /** Opens a file of the last completed checkpoint. */
  InputStream openCheckpoint(String file) throws IOException {
    return fs.open(new Path(complete(CHECKPOINT, "state.json"), file));
  }

  void saveCheckpoint(State state, IoWriter params, IoWriter optimizer) {
    write(CHECKPOINT, Map.of("model.params", params, "optimizer.bin", optimizer), "state.json", state);
  }

  /** A checkpoint of other files than the built-in models' (a plug-in trainer's state). */
  void saveCheckpoint(State state, Map<String, IoWriter> files) {
    write(CHECKPOINT, files, "state.json", state);
  }

  void saveBest(Map<String, Object> meta, IoWriter params) {
    saveBest(meta, Map.of("model.params", params));
  }

  /** The best model as several files ({@code model.params}, and {@code model.pt} for a TorchScript module). */
  void saveBest(Map<String, Object> meta, Map<String, IoWriter> files) {
    write(BEST, files, "model.json", meta);
  }

  private void write(String name, Map<String, IoWriter> files, String jsonFile, Object json) {
    Path tmp = new Path(trial, name + ".tmp");
    Path dir = new Path(trial, name);
    try {
      fs.delete(tmp, true);
      fs.mkdirs(tmp);
      for (Map.Entry<String, IoWriter> f : files.entrySet()) {
        try (DataOutputStream out = new DataOutputStream(fs.create(new Path(tmp, f.getKey()), true))) {
          f.getValue().write(out);
        }
      }
      Path part = new Path(tmp, jsonFile + ".part");
      try (OutputStream out = fs.create(part, true)) {
        JSON.writeValue(out, json);
      }
      if (!fs.rename(part, new Path(tmp, jsonFile))) {
        throw new IOException("rename of " + part + " failed");
      }
      fs.delete(dir, true);
      if (!fs.rename(tmp, dir)) {
        throw new IOException("rename of " + tmp + " to " + dir + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The complete directory {@code name} (or its leftover .tmp), or null. */
  private Path complete(String name, String marker) throws IOException {
    Path dir = new Path(trial, name);
    if (fs.exists(new Path(dir, marker))) {
      return dir;
    }
    Path tmp = new Path(trial, name + ".tmp");
    return fs.exists(new Path(tmp, marker)) ? tmp : null;
  }

  static Map<String, Object> readJson(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return JSON.readValue(in, new TypeReference<Map<String, Object>>() { });
    }
  }

  static void readParams(FileSystem fs, Path file, IoReader reader) throws IOException {
    try (DataInputStream in = new DataInputStream(fs.open(file))) {
      reader.read(in);
    }
  }

  /** Writes one file's content. */
  interface IoWriter {
    void write(DataOutputStream out) throws IOException;
  }

  /** Reads one file's content. */
  interface IoReader {
    void read(DataInputStream in) throws IOException;
  }

  /**
   * What a checkpoint records besides the tensors.
   *
   * @param epoch the last finished epoch
   * @param stopped whether early stopping ended the trial at {@code epoch}
   * @param architecture {@link TrainingParams#architecture()} of the run that wrote it
   */
  record State(int epoch, long step, boolean stopped, int bestEpoch, double bestValue, int sinceBest,
      Map<String, Object> architecture, List<EpochMetrics> history) {}
}
