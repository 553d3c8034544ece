package dev.prepsweep.app.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.testkit.SharedSpark;
import dev.prepsweep.training.EpochMetrics;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resumed sweep's driver sets the Pareto rank of a COMPLETE row an earlier driver wrote: that column changes, the
 * rest of the row (and every other row) stays as the earlier driver wrote it.
 */
class EarlierRankTest {

  private static final StructType PARAMS = new StructType().add("lr", DataTypes.DoubleType);

  @TempDir
  java.nio.file.Path dir;

  @Test
  void aRankOfAnEarlierDriversRowChangesOnlyThatColumn() {
    SparkSession spark = SharedSpark.session();
    Warehouse warehouse = new Warehouse(spark, dir.resolve("wh").toString());
    try (ResultWriter earlier = new ResultWriter(spark, warehouse, PARAMS)) {
      earlier.write(trial(0, 2, 0.25));
      earlier.write(trial(1, 1, 0.0));
      earlier.flush();
    }
    try (ResultWriter resumed = new ResultWriter(spark, warehouse, PARAMS)) {
      resumed.write(new SweepRecord("sw-r", "RUNNING", "nsga2", "val_accuracy", "maximize", 7L, 2, 1, "local[2]",
          Map.of("train", 0L), Map.of("train", "/wh/train"), "sweep: {}", "h", "dev", 1_000L, null, 2, 0, 0, null, null,
          null));
      resumed.writeRank(0, 2, 1);
      resumed.flush();
    }
    List<Row> rows = spark.read().format("delta").load(warehouse.path(ResultTables.TRIALS))
        .orderBy("trial_id").select("trial_id", "attempt", "pareto_rank", "constraint_violation", "value").collectAsList();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getInt(1)).isEqualTo(2);
    assertThat(rows.get(0).getInt(2)).isEqualTo(1);
    assertThat(rows.get(0).getDouble(3)).isEqualTo(0.25);
    assertThat(rows.get(0).getDouble(4)).isEqualTo(0.7);
    assertThat(rows.get(1).isNullAt(2)).as("a row not ranked keeps its NULL").isTrue();
  }

  private static TrialRecord trial(int number, int attempt, double violation) {
    EpochMetrics best = new EpochMetrics(1, 0.3, 0.3, 0.7, 0.7, 0.1, 100, 0.7, 1e-3);
    TableVersion t = new TableVersion("train", "/wh/train", 0);
    return new TrialRecord("sw-r", number, attempt, "COMPLETE", List.of(0.7), Map.of("lr", 1e-3), 7L, best,
        List.of(best), "0", "localhost", null, "cpu()", 1_000L, 2_000L, null, t, t, null, 0, null, violation, null,
        "none", null, null, List.of(), null, List.of(), List.of(best));
  }
}
