package dev.prepsweep.app.warehouse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of one table's vacuum candidates (the files Delta's {@code VACUUM ... DRY RUN} would delete)
 * go and which stay, and why. A candidate stays when a pinned version or another table's latest
 * version needs it; while anything pins the table, a candidate that is not a Parquet data file (a
 * deletion vector: which version needs it is not in the file lists) stays too. Pure: no Spark.
 *
 * @param keep file to the reason it stays
 */
public record VacuumPlan(String table, List<String> delete, Map<String, String> keep) {

  static final String NOT_DATA = "not a Parquet data file (a deletion vector); kept while a version of this table is pinned";

  public VacuumPlan {
    delete = List.copyOf(delete);
    keep = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keep));
  }

  /**
   * @param candidates the files Delta would delete, qualified
   * @param neededBy qualified file to why it is needed (pins and other tables' latest versions)
   * @param pinned whether any pinned version needs a file under this table
   */
  static VacuumPlan of(String table, List<String> candidates, Map<String, Set<String>> neededBy, boolean pinned) {
    List<String> delete = new ArrayList<>();
    Map<String, String> keep = new LinkedHashMap<>();
    for (String file : candidates) {
      Set<String> why = neededBy.get(file);
      if (why != null && !why.isEmpty()) {
        keep.put(file, String.join("; ", why));
      } else if (pinned && !file.endsWith(".parquet")) {
        keep.put(file, NOT_DATA);
      } else {
        delete.add(file);
      }
    }
    return new VacuumPlan(table, delete, keep);
  }
}
