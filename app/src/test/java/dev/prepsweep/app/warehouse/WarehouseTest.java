package dev.prepsweep.app.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.testkit.SharedSpark;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pinning table versions and the files they need from Delta metadata (Kernel), checked against Delta's own scan. */
class WarehouseTest {

  @TempDir
  java.nio.file.Path dir;

  @Test
  void pinnedFilesAreThoseDeltaScansAtThatVersion() throws Exception {
    SparkSession spark = SharedSpark.session();
    Warehouse warehouse = new Warehouse(spark, dir.resolve("wh").toString());
    String path = warehouse.path("train");
    spark.range(0, 100).repartition(3).write().format("delta").save(path);
    spark.range(100, 150).repartition(2).write().format("delta").mode("overwrite").save(path);

    TableVersion latest = warehouse.latest("train");
    assertThat(latest.version()).isEqualTo(1);
    for (long version : List.of(0L, 1L)) {
      TableVersion pinned = new TableVersion("train", path, version);
      assertThat(pinWithoutSparkJobs(spark, warehouse, pinned)).as("version %d", version).isEqualTo(scanned(spark, pinned)).hasSize(version == 0 ? 3 : 2);
    }
  }

  @Test
  void pinnedFilesOfPartitionsWithEncodedNamesAreThoseDeltaScans() throws Exception {
    SparkSession spark = SharedSpark.session();
    Warehouse warehouse = new Warehouse(spark, dir.resolve("wh3").toString());
    String path = warehouse.path("train");
    spark.range(0, 20).selectExpr("id", "IF(id % 2 = 0, 'a b', 'c%d') AS part").write().format("delta")
        .partitionBy("part").save(path);
    TableVersion pinned = warehouse.latest("train");
    assertThat(pinWithoutSparkJobs(spark, warehouse, pinned)).isEqualTo(scanned(spark, pinned)).isNotEmpty()
        .allSatisfy(f -> assertThat(new java.io.File(f).isFile()).as(f).isTrue());
  }

  /** The files the pinned version needs, checking they came from the log on the driver: without a Spark job. */
  private static List<String> pinWithoutSparkJobs(SparkSession spark, Warehouse warehouse, TableVersion pinned)
      throws java.util.concurrent.TimeoutException {
    String group = "pin-" + pinned.path().hashCode() + "-" + pinned.version();
    spark.sparkContext().setJobGroup(group, "pin", false);
    List<String> files = localPaths(dev.prepsweep.tables.PinnedFiles.needed(pinned, spark.sparkContext().hadoopConfiguration()));
    spark.sparkContext().clearJobGroup();
    spark.sparkContext().listenerBus().waitUntilEmpty();
    assertThat(spark.sparkContext().statusTracker().getJobIdsForGroup(group))
        .as("a version's files come from Kernel's log replay on the driver, without a Spark job").isEmpty();
    return files;
  }

  /** The files Delta's own scan reads at the pinned version, sorted. */
  private static List<String> scanned(SparkSession spark, TableVersion pinned) {
    return localPaths(Arrays.asList(spark.read().format("delta").option("versionAsOf", pinned.version())
        .load(pinned.path()).inputFiles()));
  }

  /** Files as sorted local paths (readers spell the same file:/ URI differently). */
  private static List<String> localPaths(List<String> files) {
    return files.stream().map(f -> new Path(f).toUri().getPath()).sorted().toList();
  }

  @Test
  void aTableWhoseFirstCommitNeverLandedIsNotATable() throws Exception {
    SparkSession spark = SharedSpark.session();
    Warehouse warehouse = new Warehouse(spark, dir.resolve("wh2").toString());
    spark.range(0, 10).write().format("delta").save(warehouse.path("sweeps"));
    // what a driver killed while creating its trials table leaves behind
    java.nio.file.Path half = dir.resolve("wh2/trials");
    java.nio.file.Files.createDirectories(half.resolve("_delta_log/_staged_commits"));
    java.nio.file.Files.write(half.resolve("part-00001.snappy.parquet"), new byte[] {1, 2, 3});

    assertThat(warehouse.exists("trials")).isFalse();
    assertThat(warehouse.tables()).containsExactly("sweeps");
    assertThat(warehouse.registerViews()).containsExactly("sweeps");
    spark.range(0, 3).write().format("delta").mode("append").save(warehouse.path("trials"));
    assertThat(warehouse.exists("trials")).as("the next writer creates it").isTrue();
    assertThat(spark.read().format("delta").load(warehouse.path("trials")).count()).isEqualTo(3);
  }
}
