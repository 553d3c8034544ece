package dev.prepsweep.tables;

import dev.prepsweep.common.TableVersion;
import java.util.List;

/** The user-facing errors of table access, built in one place. */
final class TableErrors {
  /** How many missing files a message lists before it only counts the rest. */
  static final int LISTED = 10;

  private TableErrors() {}

  static PinnedDataException unsupportedFeature(TableVersion t, RuntimeException kernel) {
    return new PinnedDataException("table '" + t.name() + "' at " + t.path() + " version " + t.version()
        + " uses a Delta table feature that prepsweep's pinned reader (Delta Kernel) cannot read: " + kernel.getMessage()
        + ". Trials would not read what Delta reads at that version, so nothing was trained; rewrite the table without"
        + " that feature (or drop the feature with ALTER TABLE ... DROP FEATURE) and pin the new version", kernel);
  }

  static PinnedDataException logUnreadable(TableVersion t, RuntimeException cause) {
    return new PinnedDataException("pinned data incomplete: the Delta log of table '" + t.name() + "' at " + t.path()
        + " no longer has version " + t.version() + " (" + cause.getMessage() + "); a log cleanup or VACUUM removed it."
        + " Pin a version that still exists (run prep again and start a new sweep)", cause);
  }

  static PinnedDataException missingFiles(TableVersion t, List<String> missing, int needed) {
    List<String> shown = missing.subList(0, Math.min(LISTED, missing.size()));
    return new PinnedDataException("pinned data incomplete: table '" + t.name() + "' at " + t.path() + " version "
        + t.version() + " needs " + needed + " files, " + missing.size() + " of them are gone: " + shown
        + (missing.size() > shown.size() ? " and " + (missing.size() - shown.size()) + " more" : "")
        + ". A VACUUM removed files this version needs; training or scoring on it would use partial data."
        + " Pin a version that is complete (run prep again and start a new sweep)");
  }

  static IllegalStateException unreadable(TableVersion t, Exception cause) {
    return new IllegalStateException("cannot read table '" + t.name() + "' at " + t.path() + " version " + t.version()
        + ": " + cause.getMessage(), cause);
  }

  static PinnedDataException noRows(TableVersion t) {
    return new PinnedDataException("table '" + t.name() + "' at " + t.path() + " version " + t.version()
        + " holds no rows: nothing to train or score on. A prep rewriting the table commits an empty version just"
        + " before the one with its new rows; if a prep is running, start the sweep after it ends (else run prep again)");
  }

  static PinnedDataException badClassWeights(TableVersion t, String problem) {
    return new PinnedDataException("table '" + t.name() + "' at " + t.path() + " version " + t.version()
        + " does not give the sweep's class weights: " + problem + ". Trials with class_weights: table need one weight"
        + " per label, written by the prep run that wrote the pinned split (prep.balance.class_weights: true)");
  }
}
