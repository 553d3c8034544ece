package dev.prepsweep.training;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed hyperparameters of the hashed bag-of-words MLP text classifier, with their defaults in one
 * place. Unknown names are rejected so a typo in a sweep spec fails before any trial runs.
 */
public record TextMlpParams(
    double lr,
    int hidden,
    int layers,
    double dropout,
    int batchSize,
    int epochs,
    double weightDecay,
    int hashDim,
    String optimizer,
    double momentum,
    double clipGrad,
    int patience) implements Serializable {

  public static final Set<String> NAMES = Set.of("lr", "hidden", "layers", "dropout", "batch_size", "epochs",
      "weight_decay", "hash_dim", "optimizer", "momentum", "clip_grad", "patience");

  static final List<String> OPTIMIZERS = List.of("adam", "adamw", "sgd");

  public TextMlpParams {
    require(lr > 0 && lr < 10, "lr", lr, "must be in (0, 10)");
    require(hidden >= 1 && hidden <= 8192, "hidden", hidden, "must be in [1, 8192]");
    require(layers >= 0 && layers <= 8, "layers", layers, "must be in [0, 8]");
    require(dropout >= 0 && dropout < 1, "dropout", dropout, "must be in [0, 1)");
    require(batchSize >= 1, "batch_size", batchSize, "must be >= 1");
    require(epochs >= 1 && epochs <= 1000, "epochs", epochs, "must be in [1, 1000]");
    require(weightDecay >= 0, "weight_decay", weightDecay, "must be >= 0");
    require(hashDim >= 16 && hashDim <= (1 << 20), "hash_dim", hashDim, "must be in [16, 1048576]");
    require(OPTIMIZERS.contains(optimizer), "optimizer", optimizer, "must be one of " + OPTIMIZERS);
    require(momentum >= 0 && momentum < 1, "momentum", momentum, "must be in [0, 1)");
    require(clipGrad >= 0, "clip_grad", clipGrad, "must be >= 0 (0 = no clipping)");
    require(patience >= 0, "patience", patience, "must be >= 0 (0 = no early stopping)");
  }

  /** Reads a parameter map (Long/Double/String values), applying defaults for absent names. */
  public static TextMlpParams from(Map<String, Object> params) {
    for (String name : params.keySet()) {
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException("unknown training parameter '" + name + "'; known: " + new java.util.TreeSet<>(NAMES));
      }
    }
    return new TextMlpParams(
        num(params, "lr", 1e-3),
        (int) num(params, "hidden", 64),
        (int) num(params, "layers", 1),
        num(params, "dropout", 0.0),
        (int) num(params, "batch_size", 64),
        (int) num(params, "epochs", 5),
        num(params, "weight_decay", 0.0),
        (int) num(params, "hash_dim", 2048),
        String.valueOf(params.getOrDefault("optimizer", "adam")),
        num(params, "momentum", 0.9),
        num(params, "clip_grad", 0.0),
        (int) num(params, "patience", 0));
  }

  private static double num(Map<String, Object> params, String name, double defaultValue) {
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

  private static void require(boolean ok, String name, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException("training parameter '" + name + "' = " + value + " " + rule);
    }
  }
}
