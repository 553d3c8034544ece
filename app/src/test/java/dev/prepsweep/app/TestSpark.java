package dev.prepsweep.app;

import org.apache.spark.sql.SparkSession;

/** The one local Spark session of the app module's unit tests (stopped by Spark's shutdown hook). */
public final class TestSpark {

  private TestSpark() {}

  public static synchronized SparkSession session() {
    return SparkSession.builder().master("local[2]").appName("prepsweep-app unit tests")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "2").config("spark.databricks.delta.snapshotPartitions", "1")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
  }
}
