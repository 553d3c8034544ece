package dev.prepsweep.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prepsweep.common.TableVersion;
import io.delta.tables.DeltaTable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
   * Overwrites the table at {@code warehouse/name} with the Parquet files under {@code from}, which
   * hold exactly {@code schema}'s columns: they are moved into the table and committed as they are
   * ({@link AdoptedFiles}), not read and written again. {@code userMetadata} as in
   * {@link #overwrite(Dataset, String, String, Map)}.
   */
  public static Written overwriteWithFiles(SparkSession spark, Path from, StructType schema, String warehouse,
      String name, Map<String, ?> userMetadata) {
    return AdoptedFiles.overwrite(spark, from, schema, warehouse + "/" + name, name, userMetadataJson(userMetadata));
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
   * The JSON user metadata of the commit that made {@code table}'s version, from Delta's public
   * commit history ({@code DeltaTable.history}: read from the log on the driver, no Spark job); empty
   * when that commit carries none or its log entry is gone.
   */
  public static Optional<JsonNode> userMetadata(SparkSession spark, TableVersion table) {
    Optional<String> meta = commitInfo(spark, table.path(), table.version())
        .map(info -> info.isNullAt(info.fieldIndex("userMetadata")) ? null : info.<String>getAs("userMetadata"));
    try {
      return meta.isEmpty() ? Optional.empty() : Optional.of(JSON.readTree(meta.get()));
    } catch (IOException e) {
      throw new UncheckedIOException("the commit of " + table + " has user metadata that is not JSON: " + e.getMessage(), e);
    }
  }

  /**
   * The commit info of {@code version} (columns of {@code DESCRIBE HISTORY}), from Delta's public
   * {@code DeltaTable.history(n)}, which reads the newest n commits; empty when the commit is gone.
   */
  private static Optional<Row> commitInfo(SparkSession spark, String path, long version) {
    long latest = latestVersion(spark, path);
    if (version > latest) {
      return Optional.empty();
    }
    List<Row> rows = DeltaTable.forPath(spark, path).history((int) Math.min(Integer.MAX_VALUE, latest - version + 1))
        .where(org.apache.spark.sql.functions.col("version").equalTo(version))
        .select("userMetadata", "operationMetrics").collectAsList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  private static Path logFile(String path, long version, String extension) {
    return new Path(new Path(path, "_delta_log"), String.format("%020d.%s", version, extension));
  }

  /**
   * The absolute paths of the data files of {@code table}'s version, from Delta Kernel's log replay
   * (no Spark job), sorted. Empty when a file has a deletion vector (its rows are not all live, so
   * the files alone do not give the version's rows).
   */
  public static Optional<List<String>> checksumFiles(SparkSession spark, TableVersion table) {
    var engine = KernelTables.engine(spark.sparkContext().hadoopConfiguration());
    var scan = KernelTables.scan(engine, KernelTables.snapshot(engine, table), null, table);
    if (scan.files().stream().anyMatch(f -> hasDeletionVector(f))) {
      return Optional.empty();
    }
    return Optional.of(scan.files().stream().map(KernelTables.ScanFile::dataFile).toList());
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
   * The rows of {@code t}'s version, exactly as Delta's reader gives them. Prep reads back every table
   * it wrote; Delta's reader would first rebuild the version's snapshot state (three Spark jobs and
   * about a second each time), so when Delta Kernel's log replay (on the driver, no Spark job) shows
   * a version whose files hold its rows as they are (no deletion vectors, partition columns, column
   * mapping or widened types), those Parquet files are read with the table's schema. Anything else
   * goes through Delta.
   */
  public static Dataset<Row> read(SparkSession spark, TableVersion t) {
    var engine = KernelTables.engine(spark.sparkContext().hadoopConfiguration());
    io.delta.kernel.Snapshot snapshot;
    try {
      snapshot = KernelTables.snapshot(engine, t);
    } catch (PinnedDataException e) {
      return readThroughDelta(spark, t);
    }
    if (!snapshot.getPartitionColumnNames().isEmpty() || !KernelTables.plainColumns(snapshot.getSchema())) {
      return readThroughDelta(spark, t);
    }
    var scan = KernelTables.scan(engine, snapshot, null, t);
    if (scan.files().isEmpty() || scan.files().stream().anyMatch(f -> hasDeletionVector(f))) {
      return readThroughDelta(spark, t);
    }
    StructType schema = (StructType) DataType.fromJson(snapshot.getSchema().toJson());
    return spark.read().schema(schema).parquet(scan.files().stream().map(KernelTables.ScanFile::dataFile).toArray(String[]::new));
  }

  /** Whether a scan file's rows are filtered by a deletion vector (inline in the log or in a file). */
  private static boolean hasDeletionVector(KernelTables.ScanFile f) {
    return KernelInternals.hasDeletionVector(f.row());
  }

  /** The rows of {@code t}'s version as Delta's own reader gives them (time travel to the version). */
  public static Dataset<Row> readThroughDelta(SparkSession spark, TableVersion t) {
    return spark.read().format("delta").option("versionAsOf", t.version()).load(t.path());
  }

  /** Appends to the table at {@code warehouse/name}, creating it if needed. */
  public static Written append(Dataset<Row> df, String warehouse, String name) {
    String path = warehouse + "/" + name;
    df.write().format("delta").mode(SaveMode.Append).options(TableProperties.prepTables()).save(path);
    return committed(df.sparkSession(), name, path);
  }

  /**
   * Makes {@code warehouse/name} the {@code source} version's rows plus {@code added} (rows with the
   * source's schema) without copying the source's data files: the table references them, as a Delta
   * shallow clone does. One commit ({@link ReferencingCommit}) when the source's checksum lists plain
   * files, else Delta's shallow clone and then an append. The returned rows are the added ones. The
   * table needs the source's files: a {@code VACUUM} of the source that removes them breaks this
   * version (not the source).
   */
  public static Written sourceRowsPlus(TableVersion source, Dataset<Row> added, String warehouse, String name) {
    String path = warehouse + "/" + name;
    SparkSession spark = added.sparkSession();
    Optional<JsonNode> crc = checksum(spark, source).filter(DeltaIO::plainColumns);
    Optional<List<ChecksumFile>> files = crc.flatMap(c -> checksumEntries(spark, source, c));
    if (files.isPresent()) {
      return ReferencingCommit.commit(spark, crc.get().path("metadata"), files.get(), added, path, name);
    }
    if (latestVersionIfAny(spark, path).isPresent()) {
      // Delta clones only into an empty table: the earlier rows are removed first (a commit that
      // drops every file; the files stay for time travel)
      DeltaTable.forPath(spark, path).delete();
    }
    DeltaTable.forPath(spark, source.path()).cloneAtVersion(source.version(), path, true, true);
    return append(added, warehouse, name);
  }

  private static Written committed(SparkSession spark, String name, String path) {
    long v = latestVersion(spark, path);
    return new Written(new TableVersion(name, path, v), outputRows(spark, path, v));
  }

  /** The newest commit version (Delta Kernel's latest snapshot). */
  public static long latestVersion(SparkSession spark, String path) {
    return latestVersionIfAny(spark, path).orElseThrow(
        () -> new IllegalStateException("no Delta table (no committed version) at " + path));
  }

  /**
   * The newest commit version, or empty when {@code path} holds no committed Delta table: no log,
   * or a log whose first commit never landed (a writer killed while creating the table). From Delta
   * Kernel's latest snapshot (a log listing on the driver, no Spark job); a table Kernel cannot read
   * (a table feature it does not support) is asked through Delta's public history instead.
   */
  public static OptionalLong latestVersionIfAny(SparkSession spark, String path) {
    var engine = KernelTables.engine(spark.sparkContext().hadoopConfiguration());
    try {
      return OptionalLong.of(io.delta.kernel.Table.forPath(engine, path).getLatestSnapshot(engine).getVersion());
    } catch (io.delta.kernel.exceptions.TableNotFoundException e) {
      return OptionalLong.empty();
    } catch (io.delta.kernel.exceptions.KernelException e) {
      if (!DeltaTable.isDeltaTable(spark, path)) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(DeltaTable.forPath(spark, path).history(1).select("version").first().getLong(0));
    }
  }

  /** {@code numOutputRows} of the commit's operation metrics (Delta's public commit history). */
  static long outputRows(SparkSession spark, String path, long version) {
    Optional<Row> info = commitInfo(spark, path, version);
    Map<String, String> metrics = info.isEmpty() || info.get().isNullAt(1) ? Map.of() : info.get().getJavaMap(1);
    String rows = metrics.get("numOutputRows");
    if (rows == null) {
      throw new IllegalStateException("commit " + version + " of " + path + " has no numOutputRows metric");
    }
    return Long.parseLong(rows);
  }
}
