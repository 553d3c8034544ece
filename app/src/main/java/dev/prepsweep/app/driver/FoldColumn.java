package dev.prepsweep.app.driver;

import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.tables.DeltaIO;
import java.util.Arrays;
import org.apache.spark.sql.SparkSession;

/**
 * The check, before any trial, that a cross-validated sweep's training table has the prep job's
 * {@code fold} column (a sweep-only config cannot be checked against its prep section when parsed).
 * Whether every row's fold is in range is checked where the rows are read, by each fold task.
 */
final class FoldColumn {

  private FoldColumn() {}

  /** @throws dev.prepsweep.common.config.ConfigException (exit 2) at {@code cv.folds} when the table has no fold column */
  static void require(SparkSession spark, JobConfig config, TableVersion train, int folds) {
    // the schema only: no Spark job runs
    if (!Arrays.asList(DeltaIO.read(spark, train).columns()).contains("fold")) {
      ConfigNode node = ConfigNode.parse(config.text(), config.source()).required("cv").required("folds");
      throw node.invalid("needs the prep job's fold column, but " + train.name() + " version " + train.version()
          + " at " + train.path() + " has none; run prep with prep.split.folds: " + folds);
    }
  }
}
