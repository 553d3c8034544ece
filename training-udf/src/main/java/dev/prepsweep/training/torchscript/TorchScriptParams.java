package dev.prepsweep.training.torchscript;

import dev.prepsweep.training.TrainingParams;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of {@code model: torchscript}: a user's TorchScript module fine-tuned in a trial.
 *
 * @param path the module ({@code torch.jit.save} output) on any Hadoop filesystem; executors copy it
 *     once per JVM ({@link TorchScriptModule#localCopy})
 * @param inputs {@code features} (the numeric {@code features} column as given, float32 {@code (B, d)})
 *     or {@code tokens} (the text hashed to token ids as {@code text_cnn} does, int64 {@code (B, max_length)},
 *     0 = padding, ids in {@code [1, vocab_size)})
 * @param maxLength tokens per row (truncated or zero-padded)
 * @param freeze globs over the module's parameter names ({@code *} any characters, {@code ?} one) kept fixed
 * @param head globs of the parameters trained with {@code lr * head_lr_mult}
 * @param headLrMult the learning-rate multiplier of the {@code head} parameters (sweepable)
 * @param tokenizer {@code inputs: tokens} only: a HuggingFace {@code tokenizer.json} (any Hadoop filesystem) that
 *     turns the text into ids instead of the hashing tokenizer, truncated and padded to {@code max_length}
 *     ({@link HfTokens}); null for the hashing tokenizer
 */
public record TorchScriptParams(String path, String inputs, int maxLength, List<String> freeze, List<String> head,
    double headLrMult, String tokenizer) implements Serializable {

  /** Settings with the hashing tokenizer. */
  public TorchScriptParams(String path, String inputs, int maxLength, List<String> freeze, List<String> head,
      double headLrMult) {
    this(path, inputs, maxLength, freeze, head, headLrMult, null);
  }

  public static final List<String> INPUTS = List.of("features", "tokens");

  /** The parameters of this family besides the common ones ({@code vocab_size} is shared with {@code text_cnn}). */
  public static final Set<String> NAMES = Set.of("path", "inputs", "max_length", "vocab_size", "freeze", "head",
      "head_lr_mult", "tokenizer");

  public TorchScriptParams {
    freeze = List.copyOf(freeze);
    head = List.copyOf(head);
    require(path != null && !path.isBlank(), "path", path,
        "is required for model torchscript: the TorchScript file (torch.jit.save) on any Hadoop filesystem");
    require(INPUTS.contains(inputs), "inputs", inputs, "must be one of " + INPUTS);
    require(maxLength >= 1 && maxLength <= 100_000, "max_length", maxLength, "must be in [1, 100000]");
    require(headLrMult > 0 && headLrMult <= 1000, "head_lr_mult", headLrMult, "must be in (0, 1000]");
    require(tokenizer == null || (!tokenizer.isBlank() && inputs.equals("tokens")), "tokenizer", tokenizer,
        "applies to inputs: tokens and names a tokenizer.json file");
    for (String g : freeze) {
      require(!g.isBlank(), "freeze", freeze, "must not hold an empty glob");
    }
    for (String g : head) {
      require(!g.isBlank(), "head", head, "must not hold an empty glob");
      require(!freeze.contains(g), "head", head, "names glob '" + g + "' that freeze also names");
    }
  }

  /** Reads this family's settings from a trial's parameter map ({@code freeze}/{@code head}: a list or comma-separated text). */
  public static TorchScriptParams from(Map<String, Object> params) {
    Object path = params.get("path");
    Object inputs = params.get("inputs");
    return new TorchScriptParams(path == null ? null : path.toString().trim(),
        inputs == null ? "features" : inputs.toString().trim().toLowerCase(Locale.ROOT),
        TrainingParams.integer(params, "max_length", 128), globs(params.get("freeze")), globs(params.get("head")),
        TrainingParams.num(params, "head_lr_mult", 1.0),
        params.get("tokenizer") == null ? null : params.get("tokenizer").toString().trim());
  }

  public boolean tokenInputs() {
    return inputs.equals("tokens");
  }

  /** Whether {@code name} matches one of {@code globs}. */
  public static boolean matches(String name, List<String> globs) {
    for (String g : globs) {
      if (glob(g).matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.trim().toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  /** Globs as one comma-separated value, as the parameter map carries them. */
  public static String join(List<String> globs) {
    return String.join(",", globs);
  }

  private static List<String> globs(Object value) {
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    Iterable<?> items = value instanceof List<?> l ? l : List.of(value.toString().split(","));
    for (Object o : items) {
      String s = o.toString().trim();
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  private static void require(boolean ok, String name, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException("training parameter '" + name + "' = " + value + " " + rule);
    }
  }
}
