package dev.prepsweep.app.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.tables.TableCleanup;
import dev.prepsweep.testkit.SharedSpark;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vacuum on real Delta tables: Delta's own VACUUM deletes what a pinned version needs;
 * {@code prepsweep vacuum} keeps it while the sweep runs or is kept, and removes it once released.
 */
class WarehouseVacuumTest {
  private static final StructType SWEEPS = new StructType()
      .add("sweep_id", DataTypes.StringType, false).add("status", DataTypes.StringType, false)
      .add("data_versions", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
      .add("data_paths", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));

  @TempDir
  java.nio.file.Path dir;

  @Test
  void deltasVacuumRemovesTheFilesOfAPinnedVersion() {
    SparkSession spark = SharedSpark.session();
    Warehouse warehouse = new Warehouse(spark, dir.resolve("plain").toString());
    twoVersions(spark, warehouse, "train");
    List<String> pinned = dev.prepsweep.tables.PinnedFiles.needed(new dev.prepsweep.common.TableVersion("train", warehouse.path("train"), 0), spark.sparkContext().hadoopConfiguration());
    TableCleanup.vacuum(spark, warehouse.path("train"), 0);
    assertThat(pinned).isNotEmpty().noneMatch(f -> new java.io.File(java.net.URI.create(f)).exists());
    assertThatThrownBy(() -> atVersion(spark, warehouse, "train", 0).collectAsList()).hasMessageContaining("parquet");
  }

  @Test
  void pinnedVersionsSurviveUntilReleased() {
    SparkSession spark = SharedSpark.session();
    Warehouse warehouse = new Warehouse(spark, dir.resolve("wh").toString());
    twoVersions(spark, warehouse, "train");
    twoVersions(spark, warehouse, "other");
    List<Row> trainAt0 = atVersion(spark, warehouse, "train", 0).collectAsList();
    sweeps(spark, warehouse, "RUNNING");

    WarehouseVacuum.Result dry = WarehouseVacuum.run(spark, warehouse, 0, true);
    VacuumPlan train = plan(dry, "train");
    VacuumPlan other = plan(dry, "other");
    assertThat(train.delete()).isEmpty();
    assertThat(train.keep()).hasSize(3).allSatisfy((f, why) -> assertThat(why).isEqualTo(
        "sweep s1 (running or resumable) pins train@0"));
    assertThat(other.delete()).hasSize(3);
    assertThat(other.keep()).isEmpty();
    assertThat(atVersion(spark, warehouse, "other", 0).count()).as("a dry run deletes nothing").isEqualTo(100);

    WarehouseVacuum.Result done = WarehouseVacuum.run(spark, warehouse, 0, false);
    assertThat(done.deleted()).isEqualTo(3);
    assertThat(atVersion(spark, warehouse, "train", 0).collectAsList()).containsExactlyInAnyOrderElementsOf(trainAt0);
    assertThatThrownBy(() -> atVersion(spark, warehouse, "other", 0).collectAsList()).hasMessageContaining("parquet");
    assertThat(spark.read().format("delta").load(warehouse.path("other")).count()).isEqualTo(50);
    assertThat(TableCleanup.properties(spark, warehouse.path("train")))
        .as("the pinned table's log is kept for the pin's age plus the margin")
        .containsEntry("delta.logRetentionDuration", "interval " + WarehouseVacuum.LOG_MARGIN_DAYS + " days")
        .containsEntry("delta.checkpointRetentionDuration", "interval " + WarehouseVacuum.LOG_MARGIN_DAYS + " days");

    // finished but kept: still pinned; released: the version's files go
    sweeps(spark, warehouse, "COMPLETE");
    SweepPins.mark(spark, warehouse, "s1", true);
    assertThat(SweepPins.kept(spark, warehouse)).containsExactly("s1");
    assertThat(plan(WarehouseVacuum.run(spark, warehouse, 0, false), "train").delete()).isEmpty();
    assertThat(atVersion(spark, warehouse, "train", 0).collectAsList()).containsExactlyInAnyOrderElementsOf(trainAt0);
    SweepPins.mark(spark, warehouse, "s1", false);
    assertThat(SweepPins.read(spark, warehouse)).isEmpty();
    assertThat(plan(WarehouseVacuum.run(spark, warehouse, 0, false), "train").delete()).hasSize(3);
    assertThatThrownBy(() -> atVersion(spark, warehouse, "train", 0).collectAsList()).hasMessageContaining("parquet");
    assertThatThrownBy(() -> SweepPins.mark(spark, warehouse, "nope", true)).hasMessageContaining("no sweep 'nope'");
  }

  /** Version 0: 100 rows in 3 files; version 1 (an overwrite): 50 rows in 2 files. */
  private static void twoVersions(SparkSession spark, Warehouse warehouse, String table) {
    spark.range(0, 100).repartition(3).write().format("delta").save(warehouse.path(table));
    spark.range(100, 150).repartition(2).write().format("delta").mode("overwrite").save(warehouse.path(table));
  }

  private static void sweeps(SparkSession spark, Warehouse warehouse, String status) {
    Row row = RowFactory.create("s1", status, scala(Map.of("train", 0L)), scala(Map.of("train", warehouse.path("train"))));
    spark.createDataFrame(List.of(row), SWEEPS).write().format("delta").mode("overwrite").save(warehouse.path("sweeps"));
  }

  private static <K, V> scala.collection.Map<K, V> scala(Map<K, V> m) {
    return scala.jdk.javaapi.CollectionConverters.asScala(m);
  }

  private static Dataset<Row> atVersion(SparkSession spark, Warehouse warehouse, String table, long v) {
    return spark.read().format("delta").option("versionAsOf", v).load(warehouse.path(table));
  }

  private static VacuumPlan plan(WarehouseVacuum.Result r, String table) {
    return r.plans().stream().filter(p -> p.table().equals(table)).findFirst().orElseThrow();
  }
}
