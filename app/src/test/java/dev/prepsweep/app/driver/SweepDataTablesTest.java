package dev.prepsweep.app.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.app.config.TestJobs;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.testkit.SharedSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep whose training table is missing fails before any trial, naming the table and the way to make it. */
class SweepDataTablesTest {

  @TempDir
  java.nio.file.Path dir;

  private static final String SWEEP = TestJobs.MINIMAL_SWEEP;

  @Test
  void aMissingTrainingTableFailsBeforeAnyTrial() {
    SparkSession spark = SharedSpark.session();
    Warehouse warehouse = new Warehouse(spark, dir.resolve("wh").toString());
    // train and val exist; train_balanced does not
    for (String table : new String[] {"train", "val"}) {
      spark.range(3).selectExpr("cast(id as int) as label_index", "'x' as text").write().format("delta")
          .save(warehouse.path(table));
    }
    JobConfig balanced = JobConfig.parse("data: {train: train_balanced}\n" + SWEEP, "job.yaml");
    assertThatThrownBy(() -> new SweepDriver(spark, warehouse).run(balanced))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("job.yaml: the sweep trains on 'train_balanced' (data.train), but " + warehouse.path("train_balanced")
            + " holds no Delta table; run a prep whose config writes it (prep.balance for train_balanced");
    Warehouse empty = new Warehouse(spark, dir.resolve("empty").toString());
    assertThatThrownBy(() -> new SweepDriver(spark, empty).run(JobConfig.parse(SWEEP, "job.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("the sweep trains on 'train' (data.train)").hasMessageContaining("run 'prepsweep prep' (or 'run') first");
    // nothing was started: no sweeps or trials tables
    assertThat(warehouse.exists("sweeps")).isFalse();
    assertThat(warehouse.exists("trials")).isFalse();
  }
}
