package dev.prepsweep.training;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code mlp_text} subset of {@link TrainingParams}, kept for callers that validate training
 * settings through this type. {@link #NAMES} is every training parameter of every model family
 * ({@link TrainingParams#NAMES}) and {@link #from} validates them all, so a typo in a sweep spec
 * fails before any trial runs. New code should use {@link TrainingParams}.
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

  /** Every training parameter name (all model families); a superset of this record's components. */
  public static final Set<String> NAMES = TrainingParams.NAMES;

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

  /** Validates the whole map as {@link TrainingParams} (defaults for absent names) and keeps the MLP subset. */
  public static TextMlpParams from(Map<String, Object> params) {
    TrainingParams p = TrainingParams.from(params);
    return new TextMlpParams(p.lr(), p.hidden(), p.layers(), p.dropout(), p.batchSize(), p.epochs(), p.weightDecay(),
        p.hashDim(), p.optimizer(), p.momentum(), p.clipGrad(), p.patience());
  }

  private static void require(boolean ok, String name, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException("training parameter '" + name + "' = " + value + " " + rule);
    }
  }
}
