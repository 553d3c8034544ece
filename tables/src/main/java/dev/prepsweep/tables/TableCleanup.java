package dev.prepsweep.tables;

import dev.prepsweep.common.TableVersion;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Delta's public cleanup operations on path-based tables, through SQL and {@link DeltaTable}:
 * {@code VACUUM ... DRY RUN} (which files Delta would delete), {@code VACUUM}, the table's properties
 * and its commits' timestamps. What to keep for pinned versions is decided by the caller.
 */
public final class TableCleanup {
  /**
   * Delta's own lower bound for {@code RETAIN}, in hours: below it Delta refuses to vacuum unless
   * {@code spark.databricks.delta.retentionDurationCheck.enabled} is off.
   */
  public static final double DELTA_MIN_RETAIN_HOURS = 168;
  private static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";
  private static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";

  private TableCleanup() {}

  /**
   * The files {@code VACUUM <path> RETAIN retainHours HOURS} would delete (Delta's dry run), as
   * qualified paths: files no version within the retention needs, and untracked files older than it.
   * A retention under {@link #DELTA_MIN_RETAIN_HOURS} is the caller's explicit choice, so Delta's
   * check is switched off for this call only.
   */
  public static List<String> vacuumCandidates(SparkSession spark, String path, double retainHours) {
    return withRetention(spark, retainHours, () -> spark.sql(vacuumSql(path, retainHours) + " DRY RUN")
        .collectAsList().stream().map(r -> qualified(spark, r.getString(0))).sorted().toList());
  }

  /** Runs Delta's {@code VACUUM <path> RETAIN retainHours HOURS}. */
  public static void vacuum(SparkSession spark, String path, double retainHours) {
    withRetention(spark, retainHours, () -> spark.sql(vacuumSql(path, retainHours)).collectAsList());
  }

  /** Deletes one data file of a table (a file a vacuum plan decided no version needs). */
  public static boolean deleteFile(SparkSession spark, String file) {
    Path p = new Path(file);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.delete(p, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  /** The table's properties ({@code DESCRIBE DETAIL}). */
  public static Map<String, String> properties(SparkSession spark, String path) {
    Row detail = spark.sql("DESCRIBE DETAIL " + table(path)).select("properties").head();
    return new TreeMap<>(detail.<String, String>getJavaMap(0));
  }

  /** Sets table properties ({@code ALTER TABLE ... SET TBLPROPERTIES}, one commit). */
  public static void setProperties(SparkSession spark, String path, Map<String, String> properties) {
    String list = properties.entrySet().stream()
        .map(e -> "'" + e.getKey().replace("'", "\\'") + "' = '" + e.getValue().replace("'", "\\'") + "'")
        .collect(Collectors.joining(", "));
    spark.sql("ALTER TABLE " + table(path) + " SET TBLPROPERTIES (" + list + ")").collectAsList();
  }

  /**
   * When the commit that made {@code t}'s version was written (epoch millis), from the table's
   * history; empty when the history no longer has it.
   */
  public static java.util.OptionalLong commitMillis(SparkSession spark, TableVersion t) {
    List<Row> rows = DeltaTable.forPath(spark, t.path()).history().where("version = " + t.version())
        .select("timestamp").collectAsList();
    return rows.isEmpty() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(rows.get(0).getTimestamp(0).getTime());
  }

  /**
   * {@code file} as the file system qualifies it, so paths from different listings compare equal:
   * Spark's {@code inputFiles} gives URIs ({@code file:///a%20b}), Delta's log and dry run Hadoop paths
   * ({@code file:/a b}). A string that parses as a URI is read as one.
   */
  public static String qualified(SparkSession spark, String file) {
    Path p;
    try {
      p = new Path(new java.net.URI(file));
    } catch (java.net.URISyntaxException e) {
      p = new Path(file);
    }
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + file + ": " + e.getMessage(), e);
    }
  }

  private static String vacuumSql(String path, double retainHours) {
    return "VACUUM " + table(path) + " RETAIN " + retainHours + " HOURS";
  }

  private static String table(String path) {
    return "delta.`" + path.replace("`", "``") + "`";
  }

  /**
   * Runs a VACUUM under two session settings, restored afterwards. Delta lists the table's files in
   * {@code spark.sql.sources.parallelPartitionDiscovery.parallelism} tasks (default 10,000: minutes of
   * empty tasks on a small warehouse); the default parallelism lists a prep table in seconds. A
   * retention under {@link #DELTA_MIN_RETAIN_HOURS} needs Delta's retention check off.
   */
  private static <T> T withRetention(SparkSession spark, double retainHours, java.util.function.Supplier<T> body) {
    Map<String, String> settings = new TreeMap<>();
    settings.put(LISTING_PARALLELISM, String.valueOf(Math.max(1, spark.sparkContext().defaultParallelism())));
    if (retainHours < DELTA_MIN_RETAIN_HOURS) {
      settings.put(RETENTION_CHECK, "false");
    }
    Map<String, String> before = new TreeMap<>();
    settings.forEach((k, v) -> {
      before.put(k, spark.conf().getOption(k).isDefined() ? spark.conf().get(k) : null);
      spark.conf().set(k, v);
    });
    try {
      return body.get();
    } finally {
      before.forEach((k, v) -> {
        if (v == null) {
          spark.conf().unset(k);
        } else {
          spark.conf().set(k, v);
        }
      });
    }
  }
}
