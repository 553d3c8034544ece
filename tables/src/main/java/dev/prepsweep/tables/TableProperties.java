package dev.prepsweep.tables;

import java.util.Map;

/** Table properties of the Delta tables prep creates. */
final class TableProperties {
  private TableProperties() {}

  /**
   * Row counts only, no column statistics: prep's tables are read whole or by label, and every file
   * holds every label, so no query skips a file by min/max statistics.
   */
  static Map<String, String> prepTables() {
    return Map.of("delta.dataSkippingNumIndexedCols", "0");
  }
}
