package dev.prepsweep.etl.internal;

import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.etl.PrepErrors;
import dev.prepsweep.etl.PrepException;
import java.util.Map;
import java.util.Optional;

/**
 * The sanity guard (prep.guard): after reading and cleaning, before any table is written, too many
 * distinct labels or too large a quarantine share mean the input was most likely misread. Pure.
 */
public final class InputGuard {
  private InputGuard() {}

  /** What to check in the config when a rule dominates the quarantine. */
  static String hint(String rule, String format) {
    return switch (rule) {
      case "input.column_count" -> "prep.input.options sep/delimiter (the field delimiter) and header";
      case "input.unterminated_quote", "input.stray_quote" -> "prep.input.options quote and escape"
          + " (RFC 4180 doubles a quote inside a quoted field; a backslash escape needs escape: '\\\\')";
      case "input.invalid_utf8" -> "the file's encoding: prep reads UTF-8 only";
      case "input.malformed" -> "prep.input.format (" + format + ": one JSON object per line)";
      case "input.too_large" -> "prep.input.format and the line ends of the file";
      case "label.missing", "label.unknown" -> "prep.columns.label and prep.labels";
      case "label.not_numeric" -> "prep.columns.label and task";
      default -> "prep.columns and prep.clean against the data";
    };
  }

  /**
   * @param read records read
   * @param byRule quarantined records by rule ("ok" for valid ones is ignored)
   * @param labels distinct labels among valid records
   * @return the error to stop with, if a limit is exceeded
   */
  public static Optional<PrepException> check(PrepConfig config, long read, Map<String, Long> byRule, int labels) {
    PrepConfig.Guard g = config.guard();
    if (labels > g.maxLabels() && !config.regression()) { // a regression label has as many values as it likes
      return Optional.of(PrepErrors.guardLabels(labels, g.maxLabels(), config.columns().label(),
          config.input().format() == PrepConfig.Format.CSV ? hint("input.column_count", "csv") + ", quote and escape"
              : "prep.columns.label"));
    }
    long quarantined = 0;
    String top = null;
    for (Map.Entry<String, Long> e : byRule.entrySet()) {
      if (e.getKey().equals("ok")) {
        continue;
      }
      quarantined += e.getValue();
      if (top == null || e.getValue() > byRule.get(top)) {
        top = e.getKey();
      }
    }
    double share = read == 0 ? 0 : (double) quarantined / read;
    if (share > g.maxQuarantineShare()) {
      return Optional.of(PrepErrors.guardQuarantine(quarantined, read, share, g.maxQuarantineShare(), top,
          hint(top, config.input().format().toString())));
    }
    return Optional.empty();
  }
}
