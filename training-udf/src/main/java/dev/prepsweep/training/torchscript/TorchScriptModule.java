package dev.prepsweep.training.torchscript;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * A user's TorchScript module as a DJL block that trains: fetched from any Hadoop filesystem once per
 * JVM, loaded with PyTorch's {@code requires_grad} parameters ({@code trainParam}: DJL's default
 * loads inference tensors, on which training fails with "Setting requires_grad=True on inference
 * tensor"), and written back as a {@code .pt} that {@code torch.jit.load} reads.
 *
 * <p>{@link JniUtils} is the PyTorch engine's public utility class; its {@code loadModule} is the
 * one entry that takes {@code trainParam} for a file without a model directory around it, and
 * {@code writeModule} the one that writes a module (DJL's {@code saveParameters} adds its own
 * header). Both are used only here.
 */
public final class TorchScriptModule {

  /** Local copies per JVM, by source URI, length and modification time (a replaced file is fetched again). */
  private static final Map<String, Path> LOCAL = new ConcurrentHashMap<>();

  private TorchScriptModule() {}

  /**
   * The module at {@code uri} on the local disk, copied once per JVM.
   *
   * @throws ModelCheckException when the file cannot be read
   */
  public static Path localCopy(String uri, Configuration conf) {
    org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(uri);
    try {
      FileSystem fs = source.getFileSystem(conf);
      FileStatus status = fs.getFileStatus(source);
      String key = uri + "#" + status.getLen() + "#" + status.getModificationTime();
      Path cached = LOCAL.get(key);
      if (cached != null && Files.isRegularFile(cached)) {
        return cached;
      }
      Path dir = Path.of(System.getProperty("java.io.tmpdir"), "prepsweep-torchscript");
      Files.createDirectories(dir);
      Path target = dir.resolve(sha256(key) + ".pt");
      Path part = Files.createTempFile(dir, "fetch", ".part");
      try (InputStream in = fs.open(source)) {
        Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      LOCAL.put(key, target);
      return target;
    } catch (IOException e) {
      throw new ModelCheckException("cannot read the TorchScript module " + uri + " (model path): " + e.getMessage()
          + "; give a file written by torch.jit.save on a filesystem every executor reaches", e);
    }
  }

  /**
   * Loads {@code uri} for training on {@code manager}'s device.
   *
   * @throws ModelCheckException when the file cannot be read or is not a TorchScript module
   */
  public static PtSymbolBlock load(NDManager manager, String uri, Configuration conf) {
    return loadLocal(manager, localCopy(uri, conf), uri);
  }

  /** Loads a module from a stream that {@link #write} wrote (a checkpoint or a saved model). */
  public static PtSymbolBlock read(NDManager manager, InputStream in, String what) throws IOException {
    Path tmp = Files.createTempFile("prepsweep-module", ".pt");
    try {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      return loadLocal(manager, tmp, what);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes the module as {@code torch.jit.save} would: {@code torch.jit.load} reads it. */
  public static void write(Block block, OutputStream out) {
    JniUtils.writeModule((PtSymbolBlock) block, out, false);
  }

  private static PtSymbolBlock loadLocal(NDManager manager, Path local, String uri) {
    // TorchScript's graph executor specialises a module's graph after a few runs; once it has seen
    // training runs, the specialised graph fails in DJL's inference-mode evaluation ("Inference tensors
    // cannot be saved for backward", seen on a scripted 64-128-128-10 MLP). Unoptimised graphs run
    // both ways; the setting is process-wide and concerns TorchScript modules only.
    JniUtils.setGraphExecutorOptimize(false);
    try {
      PtSymbolBlock block = JniUtils.loadModule((PtNDManager) manager, local, true, new String[0], new String[0], true);
      // a module keeps the mode it was saved in (eval after an evaluation), while a new PtSymbolBlock
      // believes it is in training mode and switches only on a change: make the two agree
      JniUtils.enableTrainingMode(block);
      return block;
    } catch (RuntimeException e) {
      throw new ModelCheckException("the model file " + uri + " is not a TorchScript module PyTorch can load ("
          + e.getMessage().lines().findFirst().orElse("") + "); save it with torch.jit.save(torch.jit.script(model), path)"
          + " or torch.jit.trace", e);
    }
  }

  /**
   * Freezes the parameters {@code freeze} names (after any {@code Trainer} or loading that unfreezes
   * them) and returns the others with their learning-rate multipliers: {@code head_lr_mult} for those
   * {@code head} names, 1 for the rest.
   *
   * @throws ModelCheckException when a glob matches no parameter (a typo would silently train everything)
   */
  public static Groups groups(Block block, TorchScriptParams p, String uri) {
    List<Parameter> trainable = new ArrayList<>();
    List<Float> scale = new ArrayList<>();
    List<String> names = new ArrayList<>();
    block.getParameters().forEach(pair -> names.add(pair.getKey()));
    for (String glob : p.freeze()) {
      requireMatch(glob, "freeze", names, uri);
    }
    for (String glob : p.head()) {
      requireMatch(glob, "head", names, uri);
    }
    block.getParameters().forEach(pair -> {
      Parameter param = pair.getValue();
      boolean frozen = TorchScriptParams.matches(pair.getKey(), p.freeze());
      param.getArray().setRequiresGradient(!frozen);
      if (!frozen) {
        trainable.add(param);
        scale.add(TorchScriptParams.matches(pair.getKey(), p.head()) ? (float) p.headLrMult() : 1f);
      }
    });
    float[] s = new float[scale.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = scale.get(i);
    }
    return new Groups(trainable, s);
  }

  /** The parameters to train and each one's learning-rate multiplier. */
  public record Groups(List<Parameter> trainable, float[] lrScale) {}

  private static void requireMatch(String glob, String key, List<String> names, String uri) {
    if (names.stream().noneMatch(n -> TorchScriptParams.glob(glob).matcher(n).matches())) {
      throw new ModelCheckException(key + " glob '" + glob + "' matches no parameter of " + uri + "; its parameters are "
          + names, null);
    }
  }

  /**
   * Loads the module and runs one forward pass (eval mode) on {@code input}, a real batch of the pinned
   * train data encoded as trials will encode it, and checks the output has the shape the sweep's task needs.
   *
   * @throws ModelCheckException naming the file, the expected and the actual shape when the output is not
   *     {@code expected} ({@code (batch, labels)} logits, or {@code (batch, 1)} for regression), the input's dtype
   *     or shape is rejected, or the file does not load
   */
  public static void check(NDManager manager, String uri, Configuration conf, NDArray input, ExpectedOutput expected) {
    Shape shape = expected.shape(input.getShape().get(0));
    PtSymbolBlock block = load(manager, uri, conf);
    try {
      NDList out;
      try {
        JniUtils.setGradMode(false);
        out = block.forward(new ParameterStore(manager, false), new NDList(input), false);
      } catch (RuntimeException e) {
        throw new ModelCheckException("the TorchScript module " + uri + " rejects a batch of the train data: input "
            + input.getDataType() + " " + input.getShape() + ", expected output " + shape + " (" + firstLine(e)
            + "); the module's forward must take " + describe(input) + " and return " + shape + ", "
            + expected.meaning(), e);
      } finally {
        JniUtils.setGradMode(true);
      }
      Shape got = out.size() == 1 ? out.head().getShape() : null;
      if (got == null || !got.equals(shape)) {
        throw new ModelCheckException("the TorchScript module " + uri + " returns " + (got == null
            ? out.size() + " outputs" : "shape " + got) + " for input " + input.getDataType() + " " + input.getShape()
            + ", expected shape " + shape + " (" + expected.meaning() + ")", null);
      }
    } finally {
      block.close();
    }
  }

  private static String describe(NDArray input) {
    return input.getDataType() == ai.djl.ndarray.types.DataType.INT64
        ? "int64 token ids (batch, max_length)" : "float32 features (batch, d)";
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    return m.lines().filter(l -> !l.isBlank()).findFirst().orElse(m);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
