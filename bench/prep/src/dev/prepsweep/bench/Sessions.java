package dev.prepsweep.bench;

import org.apache.spark.sql.SparkSession;

/** The benchmark's local Spark session: Delta, loopback, no UI. */
final class Sessions {
  private Sessions() {}

  static SparkSession local(int cores) {
    SparkSession s = SparkSession.builder()
        .master("local[" + cores + "]")
        .appName("prepsweep-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", Integer.getInteger("bench.partitions", 2 * cores))
        .config("spark.default.parallelism", 2 * cores)
        .config("spark.databricks.delta.snapshotPartitions", "1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    s.sparkContext().setLogLevel("WARN");
    return s;
  }
}
