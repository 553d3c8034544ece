package dev.prepsweep.tables;

import java.util.Map;

/** Table properties of the Delta tables prep creates. */
final class TableProperties {
  /**
   * How long a prep table keeps its commits and checkpoints (Delta's defaults: 30 and 2 days). A sweep
   * pins a version and may be resumed or kept for a long time; its version can only be read while the
   * log still reaches it, and log files are small. {@code prepsweep vacuum} lengthens it further on a
   * table whose pinned version is older.
   */
  static final String LOG_RETENTION = "interval 365 days";

  private TableProperties() {}

  /**
   * Row counts only, no column statistics: prep's tables are read whole or by label, and every file
   * holds every label, so no query skips a file by min/max statistics. Log retention:
   * {@link #LOG_RETENTION}.
   */
  static Map<String, String> prepTables() {
    return Map.of("delta.dataSkippingNumIndexedCols", "0",
        "delta.logRetentionDuration", LOG_RETENTION,
        "delta.checkpointRetentionDuration", LOG_RETENTION);
  }
}
