package dev.prepsweep.etl;

import dev.prepsweep.common.TableVersion;
import java.util.List;
import java.util.Map;

/**
 * What one prep run produced.
 *
 * @param runId the run id (also in {@code prep_runs.run_id} and {@code quarantine.run_id})
 * @param tables output tables by name (clean, quarantine, train, val, test, prep_runs, ...) at the
 *     version this run wrote
 * @param rowsRead records read from the input (including malformed ones)
 * @param rowsClean rows in the clean table
 * @param rowsQuarantined rows this run put in the quarantine table
 * @param duplicatesRemoved duplicate copies dropped (neither clean nor quarantined)
 * @param splitClassCounts split to label to rows
 * @param labels the labels in {@code label_index} order
 * @param warnings what a person should know about the data (classes absent from a split, texts
 *     cut, ...), as recorded in {@code prep_runs.warnings}
 */
public record PrepResult(String runId, Map<String, TableVersion> tables, long rowsRead, long rowsClean,
    long rowsQuarantined, long duplicatesRemoved, Map<String, Map<String, Long>> splitClassCounts,
    List<String> labels, List<String> warnings) {
  public PrepResult {
    warnings = List.copyOf(warnings);
    tables = Map.copyOf(tables);
    splitClassCounts = Map.copyOf(splitClassCounts);
    labels = List.copyOf(labels);
  }
}
