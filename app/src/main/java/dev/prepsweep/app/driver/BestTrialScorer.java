package dev.prepsweep.app.driver;

import dev.prepsweep.app.results.ResultTables;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.tables.DeltaIO;
import dev.prepsweep.tables.PinnedFiles;
import dev.prepsweep.training.score.ModelScorer;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores the held-out test split with the best trial's kept model, as the last step of a sweep:
 * predictions go to {@code predictions}, the test metrics are appended to {@code test_metrics}.
 * The test split is read at the version the sweep pinned when it started, with its train and val
 * versions, so a prep run during the sweep cannot change what it is scored on.
 */
public final class BestTrialScorer {

  private static final Logger LOG = LoggerFactory.getLogger(BestTrialScorer.class);
  public static final String PREDICTIONS = "predictions";
  public static final String TEST_METRICS = "test_metrics";

  private BestTrialScorer() {}

  /**
   * The test metrics of the sweep's best model, or empty when the sweep pinned no test split or kept no model.
   *
   * @throws dev.prepsweep.tables.PinnedDataException when the pinned test version is no longer complete
   */
  public static Optional<ModelScorer.TestMetrics> score(SparkSession spark, Warehouse warehouse, SweepSummary summary) {
    if (summary.bestTrialId() == null || summary.test().isEmpty()) {
      return Optional.empty();
    }
    List<Row> rows = spark.read().format("delta").load(warehouse.path(ResultTables.TRIALS))
        .where("sweep_id = '" + summary.sweepId() + "' AND trial_id = " + summary.bestTrialId()
            + " AND state = 'COMPLETE' AND model_uri IS NOT NULL")
        .select("model_uri").limit(1).collectAsList();
    if (rows.isEmpty()) {
      LOG.warn("sweep {}: the best trial {} kept no model; test split not scored", summary.sweepId(), summary.bestTrialId());
      return Optional.empty();
    }
    String modelUri = rows.get(0).getString(0);
    TableVersion test = summary.test().get();
    // never score on partial data: a VACUUM since the sweep started may have removed what the version needs
    PinnedFiles.requireComplete(test, spark.sparkContext().hadoopConfiguration());
    spark.sparkContext().setJobDescription("prepsweep: score " + test + " with the best trial of " + summary.sweepId());
    ModelScorer.TestMetrics metrics = ModelScorer.scoreToDelta(
        DeltaIO.readThroughDelta(spark, test),
        modelUri, warehouse.path(PREDICTIONS), "test");
    ModelScorer.appendMetrics(spark, metrics, warehouse.path(TEST_METRICS));
    LOG.info("sweep {}: best trial {} on {}: {}", summary.sweepId(), summary.bestTrialId(), test, metrics.summary());
    return Optional.of(metrics);
  }
}
