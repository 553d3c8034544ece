package dev.prepsweep.app.driver;

import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.sweep.spec.SweepSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed facts of one sweep, whether new or resumed: its id, spec, seed and the pinned data it
 * trains on, validates on and scores its best model on (a resumed sweep keeps the versions it
 * started with, not the tables' latest). {@code test} is empty when the warehouse had no test split.
 */
record SweepRun(
    String sweepId,
    JobConfig config,
    SweepSpec spec,
    long seed,
    TableVersion train,
    TableVersion val,
    Optional<TableVersion> test,
    PinnedData data,
    long startedAtMillis) {

  Map<String, Long> dataVersions() {
    Map<String, Long> versions = new LinkedHashMap<>();
    pinned().forEach(t -> versions.put(t.name(), t.version()));
    return versions;
  }

  Map<String, String> dataPaths() {
    Map<String, String> paths = new LinkedHashMap<>();
    pinned().forEach(t -> paths.put(t.name(), t.path()));
    return paths;
  }

  /** train, val and, when there is one, test; then the class_weights version when trials use it. */
  private List<TableVersion> pinned() {
    List<TableVersion> tables = new ArrayList<>(List.of(train, val));
    test.ifPresent(tables::add);
    if (data.classWeightsTable() != null) {
      tables.add(data.classWeightsTable());
    }
    return tables;
  }

  String metric() {
    return spec.metrics().get(0).name();
  }
}
