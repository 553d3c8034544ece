package dev.prepsweep.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session with Delta of a test JVM, shared by every test class of a module (a
 * session costs seconds to start; the tests' data is small). Loopback only, no UI, two shuffle
 * partitions, Delta's SQL extension and catalog. Started on first use and stopped by Spark's shutdown
 * hook; a test that stops it gets a fresh one on the next call. Delta's VACUUM lists a table's files
 * in {@code spark.sql.sources.parallelPartitionDiscovery.parallelism} tasks (default 10,000: a minute of
 * empty tasks per VACUUM of a test table), so the session lists in two. Also the tests' folders: temporary
 * ones under {@code target/tmp} and the repository root.
 */
public final class SharedSpark {

  private static SparkSession spark;

  private SharedSpark() {}

  /** The shared session; {@code appName} names it in logs when this call starts it. */
  public static synchronized SparkSession session(String appName) {
    if (spark == null || spark.sparkContext().isStopped()) {
      Path wh = Path.of("target", "spark-warehouse").toAbsolutePath();
      spark = SparkSession.builder()
          .master("local[2]")
          .appName(appName)
          .config("spark.ui.enabled", "false")
          .config("spark.ui.showConsoleProgress", "false")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.default.parallelism", "2")
          .config("spark.databricks.delta.snapshotPartitions", "1")
          .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", "2")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.warehouse.dir", wh.toString())
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .config("spark.databricks.delta.stalenessLimit", "1h")
          .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
    }
    return spark;
  }

  /** The shared session, named after the module's folder when this call starts it. */
  public static SparkSession session() {
    return session("prepsweep-" + Path.of("").toAbsolutePath().getFileName() + "-tests");
  }

  /** A fresh folder under {@code target/tmp} of the module under test. */
  public static Path tempDir(String prefix) {
    try {
      Path base = Path.of("target", "tmp").toAbsolutePath();
      Files.createDirectories(base);
      return Files.createTempDirectory(base, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder under target/tmp: " + e.getMessage(), e);
    }
  }

  /** The repository root: the working folder if it holds {@code data/}, else its parent (a module). */
  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    return Files.exists(p.resolve("data")) ? p : p.getParent();
  }
}
