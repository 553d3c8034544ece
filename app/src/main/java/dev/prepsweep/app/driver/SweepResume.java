package dev.prepsweep.app.driver;

import dev.prepsweep.app.config.CrossValidation;
import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.sweep.study.Study;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import dev.prepsweep.training.EpochMetrics;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sweep whose driver died, rebuilt from its tables to continue it: the data versions it started
 * with, a study with the sampler state of the recorded trials, and the history the scheduler takes
 * over (trials left RUNNING run again as their next attempt).
 */
final class SweepResume {

  private static final Logger LOG = LoggerFactory.getLogger(SweepResume.class);

  private SweepResume() {}

  record Resumed(SweepRun run, Study study, SweepScheduler.History history) {}

  /** Reads sweep {@code sweepId} back from its row {@code row} (parsed as {@code config}) and its trials. */
  static Resumed read(SparkSession spark, Warehouse warehouse, String sweepId, Row row, JobConfig config,
      SweepSpec spec) {
    Map<String, Long> versions = row.getJavaMap(row.fieldIndex("data_versions"));
    Map<String, String> paths = row.getJavaMap(row.fieldIndex("data_paths"));
    TableVersion train = pinned(config.data().train(), versions, paths)
        .orElseThrow(() -> new IllegalStateException("sweep " + sweepId + " recorded no version of its training table '"
            + config.data().train() + "'; recorded: " + versions));
    TableVersion val = pinned("val", versions, paths)
        .orElseThrow(() -> new IllegalStateException("sweep " + sweepId + " recorded no version of 'val'"));
    // sweeps recorded before the test split was pinned with them are not scored on resume
    Optional<TableVersion> test = pinned("test", versions, paths);
    Optional<TableVersion> classWeights = pinned(ClassWeightsPin.TABLE, versions, paths);
    if (classWeights.isEmpty() && ClassWeightsPin.wanted(config)) {
      throw new IllegalStateException("sweep " + sweepId + " asks for class_weights: table but recorded no version of '"
          + ClassWeightsPin.TABLE + "'; recorded: " + versions);
    }
    long seed = row.<Long>getAs("seed");
    List<SweepHistory.StoredTrial> stored = SweepHistory.trials(spark, warehouse, sweepId, spec.space());
    Map<Integer, List<EpochMetrics>> epochs = SweepHistory.epochs(spark, warehouse, sweepId);
    String metric = spec.metrics().get(0).name();
    List<Trial> history = stored.stream()
        .map(t -> SweepHistory.withIntermediates(t.trial(), epochs.getOrDefault(t.trial().number(), List.of()), metric))
        .toList();
    // Orphans run again as their next attempt; every other trial keeps its last attempt number
    // (a paused ASHA trial promoted later continues that attempt's row).
    Map<Integer, Integer> relaunch = new LinkedHashMap<>();
    for (SweepHistory.StoredTrial t : stored) {
      if (t.trial().state() == TrialState.RUNNING) {
        relaunch.put(t.trial().number(), t.lastAttempt() + 1);
      }
    }
    Map<Integer, Integer> lastAttempts = new HashMap<>();
    stored.forEach(t -> lastAttempts.put(t.trial().number(), t.lastAttempt()));
    LOG.info("resuming sweep {}: {} trials recorded, {} to run again, data {} {}", sweepId, history.size(),
        relaunch.size(), train, val);
    SweepRun run = new SweepRun(sweepId, config, spec, seed, train, val, test,
        PinnedData.resolve(spark, warehouse, train, val, test, classWeights),
        row.<java.sql.Timestamp>getAs("started_at").getTime());
    return new Resumed(run, Study.resumeKeepingRunning(spec, seed, history),
        new SweepScheduler.History(relaunch, lastAttempts, epochs, "",
            SweepHistory.foldEpochs(spark, warehouse, sweepId, config.cv().map(CrossValidation::folds).orElse(0)),
            SweepHistory.completed(spark, warehouse, sweepId)));
  }

  /** The version of {@code table} that a sweep's row recorded, if it recorded one. */
  private static Optional<TableVersion> pinned(String table, Map<String, Long> versions, Map<String, String> paths) {
    Long version = versions.get(table);
    String path = paths.get(table);
    return version == null || path == null ? Optional.empty() : Optional.of(new TableVersion(table, path, version));
  }
}
