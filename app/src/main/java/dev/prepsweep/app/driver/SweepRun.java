package dev.prepsweep.app.driver;

import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.sweep.spec.SweepSpec;
import java.util.LinkedHashMap;
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
    versions.put(train.name(), train.version());
    versions.put(val.name(), val.version());
    test.ifPresent(t -> versions.put(t.name(), t.version()));
    return versions;
  }

  Map<String, String> dataPaths() {
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put(train.name(), train.path());
    paths.put(val.name(), val.path());
    test.ifPresent(t -> paths.put(t.name(), t.path()));
    return paths;
  }

  String metric() {
    return spec.metrics().get(0).name();
  }
}
