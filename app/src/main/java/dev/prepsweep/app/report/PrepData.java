package dev.prepsweep.app.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a prep report shows: one row of {@code prep_runs} (written by the etl module) as plain
 * values.
 *
 * @param stages stage name to rows in and out, in the order the run went through them
 * @param classCounts distribution name (a split such as train/val/test, or a stage such as
 *     clean, quarantine, balance_in, train_balanced) to label to rows, in display order
 * @param rejectsByRule validation rule to rejected rows
 * @param outputVersions table to the Delta version the run wrote
 */
public record PrepData(String runId, String startedAt, String endedAt, String inputLocation, String inputFormat,
    Long seed, String configHash, Map<String, StageRows> stages, Map<String, Map<String, Long>> classCounts,
    Map<String, Long> rejectsByRule, Map<String, Long> outputVersions) {

  public PrepData {
    Objects.requireNonNull(runId, "runId");
    stages = ordered(stages);
    classCounts = ordered(classCounts);
    rejectsByRule = ordered(rejectsByRule);
    outputVersions = ordered(outputVersions);
  }

  /** Rows a stage read and kept, and how long it took (null when unknown). */
  public record StageRows(long in, long out, Long millis) {}

  private static <K, V> Map<K, V> ordered(Map<K, V> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
