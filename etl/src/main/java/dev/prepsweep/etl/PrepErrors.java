package dev.prepsweep.etl;

import java.util.List;
import java.util.Map;

/** Every {@link PrepException} the job throws is built here, so messages stay consistent. */
public final class PrepErrors {
  private PrepErrors() {}

  public static PrepException inputNotFound(String format, String path) {
    return new PrepException("prep input not found: no " + format + " data at '" + path
        + "'. Check prep.input.path (relative paths resolve against the working directory "
        + System.getProperty("user.dir") + ").");
  }

  public static PrepException inputUnreadable(String format, String path, Throwable cause) {
    return new PrepException("cannot read prep input '" + path + "' as " + format + ": "
        + cause.getMessage() + ". Check prep.input.format and prep.input.path.", cause);
  }

  public static PrepException missingColumn(String role, String column, List<String> available) {
    return new PrepException("prep.columns." + role + " names column '" + column
        + "' but the input has no such column; input columns are " + available
        + ". Fix the column name in prep.columns.");
  }

  public static PrepException noCleanRows(long read, Map<String, Long> rejectsByRule) {
    return new PrepException("prep left no clean rows: all " + read
        + " records were quarantined or removed (quarantine by rule: " + rejectsByRule
        + "). Check prep.columns, prep.labels.allowed and prep.clean against the data.");
  }

  public static PrepException conservation(long read, long clean, long quarantined, long duplicates) {
    return new PrepException("row conservation failed: rows read (" + read + ") != clean (" + clean
        + ") + quarantined (" + quarantined + ") + removed duplicates (" + duplicates + ") = "
        + (clean + quarantined + duplicates) + ". This is a bug in the prep job; the output tables"
        + " of this run must not be used.");
  }

  public static PrepException splitMismatch(String label, String split, long planned, long actual) {
    return new PrepException("split check failed for label '" + label + "' in " + split + ": planned "
        + planned + " rows, wrote " + actual + ". This is a bug in the split runner; do not use"
        + " the split tables of this run.");
  }

  public static PrepException duplicateIds(long ids, List<String> examples) {
    return new PrepException(ids + " ids are held by more than one record (after de-duplication), e.g. "
        + String.join(", ", examples) + ", and prep.ids.duplicates is fail. Fix the ids in the input, or set"
        + " prep.ids.duplicates to quarantine (every copy goes to quarantine, rule id.duplicate) or keep_first.");
  }

  public static PrepException classesTooSmall(Map<String, Long> rowsByClass, int minPerSplit, int splits) {
    return new PrepException("split.min_per_split is " + minPerSplit + " but these classes have fewer than "
        + (long) minPerSplit * splits + " rows (" + minPerSplit + " for each of " + splits + " splits with a ratio above 0): "
        + rowsByClass + ". Add rows for them, drop them with prep.labels.allowed, or lower split.min_per_split.");
  }

  public static PrepException sparkFailure(String stage, Throwable cause) {
    return new PrepException("prep stage '" + stage + "' failed: " + cause.getMessage(), cause);
  }

  public static PrepException unsupported(String what, String fix) {
    return new PrepException(what + " is not supported: " + fix);
  }

  public static PrepException guardLabels(int labels, int max, String column, String check) {
    return new PrepException("prep stopped before writing any table: the label column '" + column + "' has "
        + labels + " distinct values among valid records, more than prep.guard.max_labels (" + max
        + "). The input was most likely misread: check " + check + ". If the labels are right,"
        + " raise prep.guard.max_labels.");
  }

  public static PrepException guardQuarantine(long quarantined, long read, double share, double max, String topRule,
      String check) {
    return new PrepException(String.format(java.util.Locale.ROOT, "prep stopped before writing any table: %d of %d"
        + " records (%.1f%%) were quarantined, more than prep.guard.max_quarantine_share (%s); the most frequent"
        + " rule is %s. Check %s. If the input really is this dirty, raise prep.guard.max_quarantine_share.",
        quarantined, read, 100 * share, max, topRule, check));
  }
}
