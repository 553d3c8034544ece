package dev.prepsweep.training;

import dev.prepsweep.training.torchscript.TorchScriptParams;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed hyperparameters of a trial, with every default in one place. {@code model} chooses the
 * model family; {@link #FAMILY_PARAMS} lists the conditional children each family reads. Every
 * given value is validated whatever the family (a fixed {@code train:} setting may belong to a
 * family the sweep did not pick this time), and unknown names are rejected.
 *
 * @param model {@code mlp_text} (hashed bag-of-words MLP), {@code text_cnn} (token-id embedding,
 *     optional 1-D convolution, pooling), {@code mlp} (numeric {@code features} column) or
 *     {@code cnn} (grayscale {@code image} column), or {@code torchscript} (a user's module, {@code torchscript})
 * @param clipGrad maximum global L2 norm of the gradients (as {@code torch.nn.utils.clip_grad_norm_}); 0 = off
 * @param lrSchedule {@code constant}, {@code cosine} (to {@code lr_min}) or {@code step}
 *     ({@code lr * lr_gamma^floor(epoch / lr_step_epochs)}); {@code warmup_epochs} adds a linear warmup to any
 * @param classWeights how the loss is weighted per class: {@code none}, {@code balanced} (the balanced formula
 *     recomputed from the train rows the trial reads) or {@code table} (the prep job's {@code class_weights} table,
 *     at the version written with the pinned split, carried by the {@link TrialSpec}); {@code true}/{@code false}
 *     read as {@code balanced}/{@code none}
 * @param torchscript the settings of {@code model: torchscript}, null for the built-in families
 */
public record TrainingParams(
    String model,
    double lr,
    int batchSize,
    int epochs,
    String optimizer,
    double momentum,
    double weightDecay,
    double clipGrad,
    int patience,
    double dropout,
    double labelSmoothing,
    String classWeights,
    String lrSchedule,
    double warmupEpochs,
    double lrMin,
    int lrStepEpochs,
    double lrGamma,
    int hidden,
    int layers,
    int hashDim,
    int vocabSize,
    int embedDim,
    int maxTokens,
    int convFilters,
    int kernelSize,
    String pooling,
    boolean standardize,
    int imageSize,
    int convChannels,
    int convBlocks,
    TorchScriptParams torchscript) implements Serializable {

  public static final List<String> MODELS = List.of("mlp_text", "text_cnn", "mlp", "cnn", "torchscript");
  public static final List<String> OPTIMIZERS = List.of("adam", "adamw", "sgd");
  public static final List<String> SCHEDULES = List.of("constant", "cosine", "step");
  public static final List<String> POOLINGS = List.of("max", "mean");
  /** The {@code class_weights} choices: no weights, recomputed from train, or the prep job's table. */
  public static final List<String> CLASS_WEIGHTS = List.of("none", "balanced", "table");

  /** Parameters every family reads. */
  public static final Set<String> COMMON = Set.of("model", "lr", "batch_size", "epochs", "optimizer", "momentum",
      "weight_decay", "clip_grad", "patience", "dropout", "label_smoothing", "class_weights", "lr_schedule",
      "warmup_epochs", "lr_min", "lr_step_epochs", "lr_gamma");

  /** The conditional children of {@code model}: parameters read only by that family. */
  public static final Map<String, Set<String>> FAMILY_PARAMS = Map.of(
      "mlp_text", Set.of("hash_dim", "hidden", "layers"),
      "text_cnn", Set.of("vocab_size", "embed_dim", "max_tokens", "conv_filters", "kernel_size", "pooling", "hidden",
          "layers"),
      "mlp", Set.of("standardize", "hidden", "layers"),
      "cnn", Set.of("image_size", "conv_channels", "conv_blocks", "hidden", "layers"),
      "torchscript", TorchScriptParams.NAMES);

  /** Every parameter name. */
  public static final Set<String> NAMES;

  static {
    Set<String> all = new TreeSet<>(COMMON);
    FAMILY_PARAMS.values().forEach(all::addAll);
    all.addAll(RegressionParams.NAMES);
    NAMES = Set.copyOf(all);
  }

  public TrainingParams {
    require(MODELS.contains(model), "model", model, "must be one of " + MODELS);
    require(lr > 0 && lr < 10, "lr", lr, "must be in (0, 10)");
    require(batchSize >= 1 && batchSize <= 65536, "batch_size", batchSize, "must be in [1, 65536]");
    require(epochs >= 1 && epochs <= 1000, "epochs", epochs, "must be in [1, 1000]");
    require(OPTIMIZERS.contains(optimizer), "optimizer", optimizer, "must be one of " + OPTIMIZERS);
    require(momentum >= 0 && momentum < 1, "momentum", momentum, "must be in [0, 1)");
    require(weightDecay >= 0 && weightDecay < 1, "weight_decay", weightDecay, "must be in [0, 1)");
    require(clipGrad >= 0, "clip_grad", clipGrad, "must be >= 0 (0 = no clipping)");
    require(patience >= 0, "patience", patience, "must be >= 0 (0 = no early stopping)");
    require(dropout >= 0 && dropout < 1, "dropout", dropout, "must be in [0, 1)");
    require(labelSmoothing >= 0 && labelSmoothing < 1, "label_smoothing", labelSmoothing, "must be in [0, 1)");
    require(CLASS_WEIGHTS.contains(classWeights), "class_weights", classWeights,
        "must be one of " + CLASS_WEIGHTS + " (true = balanced, false = none)");
    require(SCHEDULES.contains(lrSchedule), "lr_schedule", lrSchedule, "must be one of " + SCHEDULES);
    require(warmupEpochs >= 0 && warmupEpochs <= epochs, "warmup_epochs", warmupEpochs,
        "must be in [0, epochs = " + epochs + "]");
    require(lrMin >= 0 && lrMin <= lr, "lr_min", lrMin, "must be in [0, lr = " + lr + "]");
    require(lrStepEpochs >= 1, "lr_step_epochs", lrStepEpochs, "must be >= 1");
    require(lrGamma > 0 && lrGamma <= 1, "lr_gamma", lrGamma, "must be in (0, 1]");
    require(hidden >= 1 && hidden <= 8192, "hidden", hidden, "must be in [1, 8192]");
    require(layers >= 0 && layers <= 8, "layers", layers, "must be in [0, 8]");
    require(hashDim >= 16 && hashDim <= (1 << 20), "hash_dim", hashDim, "must be in [16, 1048576]");
    require(vocabSize >= 16 && vocabSize <= (1 << 22), "vocab_size", vocabSize, "must be in [16, 4194304]");
    require(embedDim >= 1 && embedDim <= 4096, "embed_dim", embedDim, "must be in [1, 4096]");
    require(maxTokens >= 1 && maxTokens <= 100_000, "max_tokens", maxTokens, "must be in [1, 100000]");
    require(convFilters >= 0 && convFilters <= 4096, "conv_filters", convFilters,
        "must be in [0, 4096] (0 = no convolution)");
    require(kernelSize >= 1 && kernelSize <= 31 && kernelSize % 2 == 1, "kernel_size", kernelSize,
        "must be odd and in [1, 31]");
    require(POOLINGS.contains(pooling), "pooling", pooling, "must be one of " + POOLINGS);
    require(imageSize >= 4 && imageSize <= 512, "image_size", imageSize, "must be in [4, 512]");
    require(convChannels >= 1 && convChannels <= 1024, "conv_channels", convChannels, "must be in [1, 1024]");
    require(convBlocks >= 1 && convBlocks <= 6, "conv_blocks", convBlocks, "must be in [1, 6]");
    require(imageSize >> convBlocks >= 1, "conv_blocks", convBlocks,
        "halves image_size = " + imageSize + " below 1 pixel; use fewer blocks or larger images");
    require(model.equals("torchscript") == (torchscript != null), "model", model,
        "carries torchscript settings exactly when it is torchscript");
  }

  /** Reads a parameter map (Long/Double/String/Boolean values), applying defaults for absent names. */
  public static TrainingParams from(Map<String, Object> params) {
    for (String name : params.keySet()) {
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException("unknown training parameter '" + name + "'; known: " + new TreeSet<>(NAMES));
      }
    }
    return new TrainingParams(
        str(params, "model", "mlp_text"),
        num(params, "lr", 1e-3),
        integer(params, "batch_size", 64),
        integer(params, "epochs", 5),
        str(params, "optimizer", "adam"),
        num(params, "momentum", 0.9),
        num(params, "weight_decay", 0.0),
        num(params, "clip_grad", 0.0),
        integer(params, "patience", 0),
        num(params, "dropout", 0.0),
        num(params, "label_smoothing", 0.0),
        classWeights(params.get("class_weights")),
        str(params, "lr_schedule", "constant"),
        num(params, "warmup_epochs", 0.0),
        num(params, "lr_min", 0.0),
        integer(params, "lr_step_epochs", 10),
        num(params, "lr_gamma", 0.1),
        integer(params, "hidden", 64),
        integer(params, "layers", 1),
        integer(params, "hash_dim", 2048),
        integer(params, "vocab_size", 20_000),
        integer(params, "embed_dim", 64),
        integer(params, "max_tokens", 200),
        integer(params, "conv_filters", 64),
        integer(params, "kernel_size", 3),
        str(params, "pooling", "max"),
        bool(params, "standardize", true),
        integer(params, "image_size", 28),
        integer(params, "conv_channels", 16),
        integer(params, "conv_blocks", 2),
        "torchscript".equals(str(params, "model", "")) ? TorchScriptParams.from(params) : null);
  }

  /**
   * The parameters that shape the model and its inputs for this family; a checkpoint is resumed
   * only under the same architecture (epochs, patience and the schedule may change between attempts).
   */
  public Map<String, Object> architecture() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("model", model);
    switch (model) {
      case "mlp_text" -> {
        a.put("hash_dim", hashDim);
        a.put("hidden", hidden);
        a.put("layers", layers);
      }
      case "text_cnn" -> {
        a.put("vocab_size", vocabSize);
        a.put("embed_dim", embedDim);
        a.put("max_tokens", maxTokens);
        a.put("conv_filters", convFilters);
        a.put("kernel_size", kernelSize);
        a.put("pooling", pooling);
        a.put("hidden", hidden);
        a.put("layers", layers);
      }
      case "mlp" -> {
        a.put("standardize", standardize);
        a.put("hidden", hidden);
        a.put("layers", layers);
      }
      case "torchscript" -> {
        a.put("path", torchscript.path());
        a.put("inputs", torchscript.inputs());
        a.put("max_length", torchscript.maxLength());
        a.put("vocab_size", vocabSize);
        a.put("freeze", TorchScriptParams.join(torchscript.freeze()));
        if (torchscript.tokenizer() != null) {
          a.put("tokenizer", torchscript.tokenizer());
        }
      }
      default -> {
        a.put("image_size", imageSize);
        a.put("conv_channels", convChannels);
        a.put("conv_blocks", convBlocks);
        a.put("hidden", hidden);
        a.put("layers", layers);
      }
    }
    a.put("optimizer", optimizer);
    return a;
  }

  /** Whether the loss is weighted per class at all. */
  public boolean weighted() {
    return !classWeights.equals("none");
  }

  /**
   * A {@code class_weights} value as one of {@link #CLASS_WEIGHTS} (booleans keep their old meaning: true =
   * balanced; absent = none); any other value comes back as given, for the constructor to reject.
   */
  public static String classWeights(Object v) {
    if (v == null) {
      return "none";
    }
    String s = v.toString().trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "true" -> "balanced";
      case "false" -> "none";
      default -> s;
    };
  }

  static String str(Map<String, Object> params, String name, String defaultValue) {
    Object v = params.get(name);
    return v == null ? defaultValue : v.toString().trim().toLowerCase(Locale.ROOT);
  }

  private static boolean bool(Map<String, Object> params, String name, boolean defaultValue) {
    Object v = params.get(name);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().trim().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new IllegalArgumentException("training parameter '" + name + "' = '" + v + "' must be true or false");
  }

  /** An integer training parameter ({@code defaultValue} when absent); the one parser of them, also for TorchScript's. */
  public static int integer(Map<String, Object> params, String name, int defaultValue) {
    double v = num(params, name, defaultValue);
    if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("training parameter '" + name + "' = " + v + " must be an integer");
    }
    return (int) v;
  }

  /** A numeric training parameter ({@code defaultValue} when absent): a number, or text that parses as one. */
  public static double num(Map<String, Object> params, String name, double defaultValue) {
    Object v = params.get(name);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(v.toString());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("training parameter '" + name + "' = '" + v + "' must be a number");
    }
  }

  static void require(boolean ok, String name, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException("training parameter '" + name + "' = " + value + " " + rule);
    }
  }
}
