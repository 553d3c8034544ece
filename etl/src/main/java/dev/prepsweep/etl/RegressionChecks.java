package dev.prepsweep.etl;

import dev.prepsweep.common.config.ConfigNode;
import java.util.List;

/**
 * The prep steps that only make sense for classes, refused for {@code task: regression} with the key's
 * position (exit code 2 before Spark starts) rather than skipped: a config asking for them was written
 * for another task. Balancing and SMOTE, class weights and per-label balance targets need classes; the
 * label whitelist and map compare label names. {@code labels.normalize} (case folding) is accepted and
 * has nothing to do: a number has no case and surrounding whitespace is trimmed before it is parsed.
 */
final class RegressionChecks {
  private static final String WHY = " applies to classes; task: regression predicts a number (its strata are"
      + " quantile bins of the label, prep.split.bins)";

  private RegressionChecks() {}

  static void check(ConfigNode prep) {
    prep.get("balance").ifPresent(b -> {
      if (b.has("method") && !b.required("method").asString().equals("none")) {
        throw b.required("method").invalid("balancing" + WHY + "; use method: none");
      }
      if (b.has("class_weights") && b.required("class_weights").asBoolean()) {
        throw b.required("class_weights").invalid("a class_weights table" + WHY + "; use class_weights: false");
      }
      for (String key : List.of("target", "k")) {
        if (b.has(key)) {
          throw b.required(key).invalid("balancing" + WHY + "; remove it");
        }
      }
    });
    prep.get("labels").ifPresent(l -> {
      for (String key : List.of("allowed", "map")) {
        if (l.has(key)) {
          throw l.required(key).invalid("a list of label names" + WHY + "; remove it");
        }
      }
    });
    prep.get("augment").ifPresent(a -> {
      for (String kind : List.of("text", "image")) {
        a.get(kind).flatMap(n -> n.get("minority_only")).ifPresent(m -> {
          if (m.asBoolean()) {
            throw m.invalid("minority classes" + WHY + "; remove it");
          }
        });
      }
    });
  }
}
