package dev.prepsweep.app.driver;

import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.sweep.spec.SweepSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fixed facts of one sweep, whether new or resumed: its id, spec, seed and the pinned data it
 * trains on (a resumed sweep keeps the versions it started with, not the tables' latest).
 */
record SweepRun(
    String sweepId,
    JobConfig config,
    SweepSpec spec,
    long seed,
    TableVersion train,
    TableVersion val,
    PinnedData data,
    long startedAtMillis) {

  Map<String, Long> dataVersions() {
    Map<String, Long> versions = new LinkedHashMap<>();
    versions.put(train.name(), train.version());
    versions.put(val.name(), val.version());
    return versions;
  }

  Map<String, String> dataPaths() {
    return Map.of(train.name(), train.path(), val.name(), val.path());
  }

  String metric() {
    return spec.metrics().get(0).name();
  }
}
