package dev.prepsweep.etl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prepsweep.common.TableVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Path-based Delta writes that report the version they committed and the rows it holds, read from
 * the commit's own log entry (no extra Spark job).
 */
public final class DeltaIO {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeltaIO() {}

  /** A committed write: the table version and the rows the commit wrote. */
  public record Written(TableVersion table, long rows) {}

  /** Overwrites (a new version) the table at {@code warehouse/name}. */
  public static Written overwrite(Dataset<Row> df, String warehouse, String name) {
    String path = warehouse + "/" + name;
    df.write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true").save(path);
    return committed(df.sparkSession(), name, path);
  }

  /** Appends to the table at {@code warehouse/name}, creating it if needed. */
  public static Written append(Dataset<Row> df, String warehouse, String name) {
    String path = warehouse + "/" + name;
    df.write().format("delta").mode(SaveMode.Append).save(path);
    return committed(df.sparkSession(), name, path);
  }

  private static Written committed(SparkSession spark, String name, String path) {
    long v = latestVersion(spark, path);
    return new Written(new TableVersion(name, path, v), outputRows(spark, path, v));
  }

  /** The newest commit version, from the names of the log files. */
  public static long latestVersion(SparkSession spark, String path) {
    try {
      Path log = new Path(path, "_delta_log");
      FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      long max = -1;
      for (FileStatus f : fs.listStatus(log)) {
        String n = f.getPath().getName();
        if (n.endsWith(".json") && n.length() == 25 && Character.isDigit(n.charAt(0))) {
          max = Math.max(max, Long.parseLong(n.substring(0, 20)));
        }
      }
      if (max < 0) {
        throw new IllegalStateException("no Delta commits under " + log);
      }
      return max;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code numOutputRows} of the commit's operation metrics. */
  static long outputRows(SparkSession spark, String path, long version) {
    Path commit = new Path(new Path(path, "_delta_log"), String.format("%020d.json", version));
    try {
      FileSystem fs = commit.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(commit), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.contains("\"commitInfo\"")) {
            JsonNode m = JSON.readTree(line).path("commitInfo").path("operationMetrics").path("numOutputRows");
            if (!m.isMissingNode()) {
              return Long.parseLong(m.asText());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("commit " + commit + " has no numOutputRows metric");
  }

  public static Dataset<Row> read(SparkSession spark, TableVersion t) {
    return spark.read().format("delta").option("versionAsOf", t.version()).load(t.path());
  }
}
