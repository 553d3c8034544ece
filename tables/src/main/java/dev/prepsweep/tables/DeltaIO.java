package dev.prepsweep.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prepsweep.common.TableVersion;
import io.delta.tables.DeltaTable;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Path-based Delta writes that report the version they committed and the rows it holds, read from
 * the commit's own log entry (no extra Spark job).
 */
public final class DeltaIO {
  static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Key of the commit user metadata of the split tables: the label names in {@code label_index}
   * order, so a reader of a pinned version knows its classes without scanning it.
   */
  public static final String LABELS = "labels";

  private DeltaIO() {}

  /** A committed write: the table version and the rows the commit wrote. */
  public record Written(TableVersion table, long rows) {}

  /** Overwrites (a new version) the table at {@code warehouse/name}. */
  public static Written overwrite(Dataset<Row> df, String warehouse, String name) {
    return overwrite(df, warehouse, name, null);
  }

  /**
   * As {@link #overwrite(Dataset, String, String)}, recording {@code userMetadata} (serialised as
   * JSON) in the commit, where {@link #userMetadata} reads it back for exactly that version.
   */
  public static Written overwrite(Dataset<Row> df, String warehouse, String name, Map<String, ?> userMetadata) {
    String path = warehouse + "/" + name;
    var writer = df.write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true")
        .options(TableProperties.prepTables());
    Optional<String> commitMetadata = userMetadataJson(userMetadata);
    if (commitMetadata.isPresent()) {
      writer = writer.option("userMetadata", commitMetadata.get());
    }
    writer.save(path);
    return committed(df.sparkSession(), name, path);
  }

  /**
   * Overwrites (a new version) the table at {@code warehouse/name} with the rows of the Parquet files
   * under {@code from} (missing: no rows), which hold exactly {@code schema}'s columns.
   * {@code userMetadata} as in {@link #overwrite(Dataset, String, String, Map)}.
   *
   * <p>The rows are read and written again by Delta's public writer: neither Delta's public API nor
   * Delta Kernel 4.0's can commit files that already exist in place of a table's earlier files (Kernel
   * only appends; its replace and remove actions are internal), and Delta's transaction classes that
   * could are internal. docs/prep-benchmark.md gives the measured cost.
   */
  public static Written overwriteWithFiles(SparkSession spark, Path from, StructType schema, String warehouse,
      String name, Map<String, ?> userMetadata) {
    Dataset<Row> rows;
    try {
      rows = from.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(from)
          ? spark.read().schema(schema).parquet(from.toString())
          : spark.createDataFrame(List.of(), schema);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + from + ": " + e.getMessage(), e);
    }
    return overwrite(rows, warehouse, name, userMetadata);
  }

  /** {@code userMetadata} as the JSON a commit records; empty for null. */
  private static Optional<String> userMetadataJson(Map<String, ?> userMetadata) {
    try {
      return userMetadata == null ? Optional.empty() : Optional.of(JSON.writeValueAsString(userMetadata));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The JSON user metadata of the commit that made {@code table}'s version, from its log entry (no
   * Spark job); empty when that commit carries none or its log entry is gone.
   */
  public static Optional<JsonNode> userMetadata(SparkSession spark, TableVersion table) {
    Path commit = commitFile(table.path(), table.version());
    try {
      JsonNode info = commitInfo(commit.getFileSystem(spark.sparkContext().hadoopConfiguration()), commit);
      JsonNode meta = info == null ? null : info.get("userMetadata");
      return meta == null || !meta.isTextual() ? Optional.empty() : Optional.of(JSON.readTree(meta.asText()));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the log entry " + commit + ": " + e.getMessage(), e);
    }
  }

  /** The log entry of {@code version}: {@code _delta_log/<version, 20 digits>.json}. */
  private static Path commitFile(String path, long version) {
    return logFile(path, version, "json");
  }

  private static Path logFile(String path, long version, String extension) {
    return new Path(new Path(path, "_delta_log"), String.format("%020d.%s", version, extension));
  }

  /**
   * The absolute paths of the data files of {@code table}'s version, from the version's checksum
   * file ({@code _delta_log/<version>.crc}), where Delta lists the files of small tables: no
   * snapshot and no Spark job. Empty when there is no checksum, it lists no files, or a file has a
   * deletion vector (its rows are not all live); the caller then asks Delta's snapshot.
   */
  public static Optional<List<String>> checksumFiles(SparkSession spark, TableVersion table) {
    return checksum(spark, table).flatMap(crc -> filesOf(spark, table, crc));
  }

  /**
   * Whether the checksum's table metadata has a schema, no partition columns (their values are in the
   * paths, not the files) and no column mapping (the files' column names are not the table's): then
   * the version's Parquet files read by column name give its rows.
   */
  private static boolean plainColumns(JsonNode crc) {
    JsonNode metadata = crc.path("metadata");
    return metadata.path("schemaString").isTextual() && metadata.path("partitionColumns").isEmpty()
        && metadata.path("configuration").path("delta.columnMapping.mode").asText("none").equals("none");
  }

  private static Optional<JsonNode> checksum(SparkSession spark, TableVersion table) {
    Path crc = logFile(table.path(), table.version(), "crc");
    try (InputStream in = crc.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(crc)) {
      return Optional.of(JSON.readTree(in));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checksum file " + crc + ": " + e.getMessage(), e);
    }
  }

  private static Optional<List<String>> filesOf(SparkSession spark, TableVersion table, JsonNode crc) {
    return checksumEntries(spark, table, crc).map(files -> files.stream().map(f -> f.path().toString()).toList());
  }

  /** A data file a version's checksum lists: its {@code add} entry there and its absolute path. */
  record ChecksumFile(JsonNode add, Path path) {}

  /**
   * The data files {@code crc} (the checksum of {@code table}'s version) lists, resolved against the
   * table; empty when it lists none or a file has a deletion vector (its rows are not all live).
   */
  private static Optional<List<ChecksumFile>> checksumEntries(SparkSession spark, TableVersion table, JsonNode crc) {
    JsonNode files = crc.path("allFiles");
    if (!files.isArray() || files.isEmpty()) {
      return Optional.empty();
    }
    try {
      Path root = new Path(table.path());
      root = root.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(root);
      List<ChecksumFile> out = new ArrayList<>();
      for (JsonNode add : files) {
        if (!add.path("deletionVector").isMissingNode() && !add.path("deletionVector").isNull()) {
          return Optional.empty();
        }
        // Log paths are URI-encoded and relative to the table unless absolute (as Delta resolves them).
        Path file = new Path(new URI(add.path("path").asText()));
        out.add(new ChecksumFile(add, file.isAbsolute() ? file : new Path(root, file)));
      }
      return Optional.of(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve the files of " + table + ": " + e.getMessage(), e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the checksum of " + table + " names a file that is not a URI: " + e.getMessage(), e);
    }
  }

  /**
   * The rows of {@code t}'s version. Prep reads back every table it wrote; Delta's reader would first
   * rebuild the version's snapshot state (three Spark jobs and about a second each time), so a
   * version whose checksum lists its files, with plain columns (no partitions, column mapping or
   * deletion vectors), is read as exactly those Parquet files with the table's schema. Anything else
   * goes through Delta.
   */
  public static Dataset<Row> read(SparkSession spark, TableVersion t) {
    Optional<JsonNode> crc = checksum(spark, t).filter(DeltaIO::plainColumns);
    Optional<List<String>> files = crc.flatMap(c -> filesOf(spark, t, c));
    if (files.isPresent()) {
      StructType schema = (StructType) DataType.fromJson(crc.get().path("metadata").path("schemaString").asText());
      return spark.read().schema(schema).parquet(files.get().toArray(String[]::new));
    }
    return readThroughDelta(spark, t);
  }

  /** The rows of {@code t}'s version as Delta's own reader gives them (time travel to the version). */
  public static Dataset<Row> readThroughDelta(SparkSession spark, TableVersion t) {
    return spark.read().format("delta").option("versionAsOf", t.version()).load(t.path());
  }

  private static JsonNode commitInfo(FileSystem fs, Path commit) throws IOException {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(commit), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.contains("\"commitInfo\"")) {
          return JSON.readTree(line).path("commitInfo");
        }
      }
    }
    return null;
  }

  /** Appends to the table at {@code warehouse/name}, creating it if needed. */
  public static Written append(Dataset<Row> df, String warehouse, String name) {
    String path = warehouse + "/" + name;
    df.write().format("delta").mode(SaveMode.Append).options(TableProperties.prepTables()).save(path);
    return committed(df.sparkSession(), name, path);
  }

  /**
   * Makes {@code warehouse/name} the {@code source} version's rows plus {@code added} (rows with the
   * source's schema) without copying the source's data files: Delta's public shallow clone of the
   * version references them, and an append adds the new rows. Delta clones only into an empty table,
   * so a table that exists is first emptied (a delete of every row, which removes every file and
   * keeps them for time travel): two commits for a new table, three for a rerun. The returned rows
   * are the added ones. The table needs the source's files: a
   * {@code VACUUM} of the source that removes them breaks this version (not the source).
   */
  public static Written sourceRowsPlus(TableVersion source, Dataset<Row> added, String warehouse, String name) {
    String path = warehouse + "/" + name;
    SparkSession spark = added.sparkSession();
    if (latestVersionIfAny(spark, path).isPresent()) {
      DeltaTable.forPath(spark, path).delete();
    }
    DeltaTable.forPath(spark, source.path()).cloneAtVersion(source.version(), path, true, true);
    return append(added, warehouse, name);
  }

  private static Written committed(SparkSession spark, String name, String path) {
    long v = latestVersion(spark, path);
    return new Written(new TableVersion(name, path, v), outputRows(spark, path, v));
  }

  /** The newest commit version, from the names of the log files. */
  public static long latestVersion(SparkSession spark, String path) {
    return latestVersionIfAny(spark, path).orElseThrow(
        () -> new IllegalStateException("no Delta commits under " + new Path(path, "_delta_log")));
  }

  /**
   * The newest commit version, or empty when {@code path} holds no committed Delta table: no log,
   * or a log whose first commit never landed (a writer killed while creating the table).
   */
  public static OptionalLong latestVersionIfAny(SparkSession spark, String path) {
    try {
      Path log = new Path(path, "_delta_log");
      FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] entries;
      try {
        entries = fs.listStatus(log);
      } catch (FileNotFoundException e) {
        return OptionalLong.empty();
      }
      long max = -1;
      for (FileStatus f : entries) {
        String n = f.getPath().getName();
        if (n.endsWith(".json") && n.length() == 25 && Character.isDigit(n.charAt(0))) {
          max = Math.max(max, Long.parseLong(n.substring(0, 20)));
        }
      }
      return max < 0 ? OptionalLong.empty() : OptionalLong.of(max);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code numOutputRows} of the commit's operation metrics. */
  static long outputRows(SparkSession spark, String path, long version) {
    Path commit = commitFile(path, version);
    try {
      JsonNode info = commitInfo(commit.getFileSystem(spark.sparkContext().hadoopConfiguration()), commit);
      JsonNode m = info == null ? null : info.path("operationMetrics").path("numOutputRows");
      if (m != null && !m.isMissingNode()) {
        return Long.parseLong(m.asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("commit " + commit + " has no numOutputRows metric");
  }
}
