package dev.prepsweep.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prepsweep.common.TableVersion;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
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

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeltaIO.class);

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
   * directly under {@code from} (missing: no rows), which hold exactly {@code schema}'s columns. The
   * files are moved into the table's folder and committed as they are ({@link AdoptedFiles}: Delta's
   * public API empties the table, one Delta Kernel commit appends the files; the returned version is
   * the second, the first is an empty version). {@code userMetadata} is recorded as the version's
   * domain metadata instead of the commit's (Kernel commits carry none); {@link #userMetadata} reads
   * either. A table Kernel cannot append to as it is (partitioned, column mapping, a protocol Kernel
   * does not write) gets the rows read and written again by Delta's writer, one commit with the
   * metadata in it. docs/prep-benchmark.md gives the measured cost of both.
   */
  public static Written overwriteWithFiles(SparkSession spark, Path from, StructType schema, String warehouse,
      String name, Map<String, ?> userMetadata) {
    String path = warehouse + "/" + name;
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    var engine = KernelTables.engine(conf);
    long t0 = System.nanoTime();
    if (!AdoptedFiles.kernelCanAppend(engine, path)) {
      return rewrite(spark, from, schema, warehouse, name, userMetadata);
    }
    long t1 = System.nanoTime();
    AdoptedFiles.empty(spark, path, schema);
    long t2 = System.nanoTime();
    List<AdoptedFiles.DataFile> files = AdoptedFiles.moveInto(conf, from, new Path(path));
    long t3 = System.nanoTime();
    long version = AdoptedFiles.append(spark, engine, path, files, userMetadataJson(userMetadata));
    LOG.debug("TIMING {} canAppend {} ms, empty {} ms, moveInto {} files {} ms, append {} ms", name, (t1 - t0) / 1_000_000,
        (t2 - t1) / 1_000_000, files.size(), (t3 - t2) / 1_000_000, (System.nanoTime() - t3) / 1_000_000);
    return new Written(new TableVersion(name, path, version), rows(files));
  }

  /**
   * {@link #overwriteWithFiles} for several tables at once ({@code from} maps each table's name to its
   * files' folder), each on its own driver thread, as the split's three tables are written: each table's
   * commits are a few small log writes and reads (Delta's empty commit, footers, Kernel's commit and
   * hooks, a history read), mostly waiting on the file system and on Spark's scheduling, so three in
   * parallel take about as long as one (docs/prep-benchmark.md, "Where the split stage's time went").
   * The tables are distinct, so their commits never conflict. The first failure is thrown once all
   * are done.
   *
   * @return each table's write, in {@code from}'s order
   */
  public static Map<String, Written> overwriteEachWithFiles(SparkSession spark, Map<String, Path> from,
      StructType schema, String warehouse, Map<String, ?> userMetadata) {
    // threads made here inherit the caller's active session and Spark local properties (job group)
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
        Math.max(1, from.size()), r -> {
          Thread t = new Thread(r, "prepsweep-adopt");
          t.setDaemon(true);
          return t;
        });
    try {
      Map<String, java.util.concurrent.Future<Written>> pending = new java.util.LinkedHashMap<>();
      from.forEach((name, dir) -> pending.put(name,
          pool.submit(() -> overwriteWithFiles(spark, dir, schema, warehouse, name, userMetadata))));
      Map<String, Written> out = new java.util.LinkedHashMap<>();
      RuntimeException failure = null;
      for (Map.Entry<String, java.util.concurrent.Future<Written>> e : pending.entrySet()) {
        try {
          out.put(e.getKey(), e.getValue().get());
        } catch (java.util.concurrent.ExecutionException ex) {
          RuntimeException cause = ex.getCause() instanceof RuntimeException r ? r
              : new IllegalStateException("cannot write " + e.getKey() + ": " + ex.getCause(), ex.getCause());
          if (failure == null) {
            failure = cause;
          } else {
            failure.addSuppressed(cause);
          }
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while writing " + e.getKey(), ex);
        }
      }
      if (failure != null) {
        throw failure;
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** As {@link #overwriteWithFiles}, the files' rows read and written again by Delta's writer (one commit). */
  private static Written rewrite(SparkSession spark, Path from, StructType schema, String warehouse, String name,
      Map<String, ?> userMetadata) {
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

  private static long rows(List<AdoptedFiles.DataFile> files) {
    return files.stream().mapToLong(AdoptedFiles.DataFile::rows).sum();
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
   * The JSON metadata prep recorded with {@code table}'s version: the user metadata of the commit that
   * made the version, else (a version whose commit carries none, such as prep's adopted files, whose
   * Kernel commit cannot carry any, or a later plain SQL change) the table's domain metadata
   * {@link AdoptedFiles#DOMAIN} at that version; empty when there is neither. The commit is read from
   * the version's commit file with Delta Kernel's JSON reader ({@link KernelTables#commitUserMetadata})
   * and, only when that file is gone (log cleanup), from Delta's public commit history
   * ({@code DeltaTable.history}). A sweep reads its label names here before its first trial, and
   * {@code DeltaTable.history} would first build Spark's {@code DeltaLog} for the table: 1.5 s warm and
   * 34 s cold in a fresh driver on a loaded machine, against 30 ms cold for Kernel
   * (docs/sweep-benchmark.md, "Where the idle slot time goes").
   */
  public static Optional<JsonNode> userMetadata(SparkSession spark, TableVersion table) {
    Optional<Optional<String>> fromCommitFile = KernelTables.commitUserMetadata(
        spark.sparkContext().hadoopConfiguration(), table);
    Optional<String> meta = fromCommitFile.isPresent() ? fromCommitFile.get() : commitInfo(spark, table.path(), table.version())
        .map(info -> info.isNullAt(info.fieldIndex("userMetadata")) ? null : info.<String>getAs("userMetadata"));
    if (meta.isEmpty()) {
      try {
        var engine = KernelTables.engine(spark.sparkContext().hadoopConfiguration());
        meta = KernelTables.snapshot(engine, table).getDomainMetadata(AdoptedFiles.DOMAIN);
      } catch (PinnedDataException e) {
        // Kernel cannot read this version: there is no domain metadata to fall back on
      }
    }
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
  static boolean hasDeletionVector(KernelTables.ScanFile f) {
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
   * source's columns) without copying the source's data files: its version references them by
   * absolute path. When the source version's files hold its rows as they are (no deletion vectors,
   * partition or mapped columns) and Kernel can append to the table, the added rows are written as
   * Parquet into the table's folder and one Delta Kernel commit appends them with the source's files,
   * after Delta's public API emptied the table ({@link AdoptedFiles}: two commits). Otherwise Delta's
   * public shallow clone of the version and an append (a table that exists is first emptied, since
   * Delta clones only into an empty table: two commits for a new table, three for a rerun). The
   * returned rows are the added ones. The table needs the source's files: a {@code VACUUM} of the
   * source that removes them breaks this version (not the source).
   */
  public static Written sourceRowsPlus(TableVersion source, Dataset<Row> added, String warehouse, String name) {
    String path = warehouse + "/" + name;
    SparkSession spark = added.sparkSession();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    var engine = KernelTables.engine(conf);
    Optional<PlainVersion> plain = plainVersion(engine, source);
    if (plain.isPresent() && AdoptedFiles.kernelCanAppend(engine, path)) {
      StructType schema = plain.get().schema();
      List<AdoptedFiles.DataFile> kept = AdoptedFiles.inPlace(conf, plain.get().files());
      AdoptedFiles.empty(spark, path, schema);
      Path staging = new Path(path, "prepsweep-staging-" + java.util.UUID.randomUUID());
      inColumnsOf(added, schema, source).write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
      List<AdoptedFiles.DataFile> written = AdoptedFiles.moveInto(conf, staging, new Path(path));
      try {
        staging.getFileSystem(conf).delete(staging, true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + staging + ": " + e.getMessage(), e);
      }
      List<AdoptedFiles.DataFile> all = new ArrayList<>(kept);
      all.addAll(written);
      long version = AdoptedFiles.append(spark, engine, path, all, Optional.empty());
      return new Written(new TableVersion(name, path, version), rows(written));
    }
    if (latestVersionIfAny(spark, path).isPresent()) {
      DeltaTable.forPath(spark, path).delete();
    }
    DeltaTable.forPath(spark, source.path()).cloneAtVersion(source.version(), path, true, true);
    return append(added, warehouse, name);
  }

  /** A version whose files hold its rows as they are: its schema and files. */
  private record PlainVersion(StructType schema, List<KernelTables.ScanFile> files) {}

  /**
   * {@code t}'s version's schema and files when its files hold its rows as they are (no partition
   * columns, column mapping, widened types or deletion vectors); empty otherwise.
   */
  private static Optional<PlainVersion> plainVersion(io.delta.kernel.engine.Engine engine, TableVersion t) {
    io.delta.kernel.Snapshot snapshot;
    try {
      snapshot = KernelTables.snapshot(engine, t);
    } catch (PinnedDataException e) {
      return Optional.empty();
    }
    if (!snapshot.getPartitionColumnNames().isEmpty() || !KernelTables.plainColumns(snapshot.getSchema())) {
      return Optional.empty();
    }
    var scan = KernelTables.scan(engine, snapshot, null, t);
    return scan.files().stream().anyMatch(DeltaIO::hasDeletionVector) ? Optional.empty()
        : Optional.of(new PlainVersion((StructType) DataType.fromJson(snapshot.getSchema().toJson()), scan.files()));
  }

  /** {@code rows} with exactly {@code schema}'s columns in its order, or an error naming the difference. */
  private static Dataset<Row> inColumnsOf(Dataset<Row> rows, StructType schema, TableVersion source) {
    StructType have = rows.schema();
    for (var f : schema.fields()) {
      var match = java.util.Arrays.stream(have.fields()).filter(h -> h.name().equals(f.name())).findFirst();
      if (match.isEmpty() || !match.get().dataType().asNullable().equals(f.dataType().asNullable())) {
        throw new IllegalArgumentException("rows to add to " + source + " must have its columns " + schema.simpleString()
            + "; they have " + have.simpleString());
      }
    }
    if (have.fields().length != schema.fields().length) {
      throw new IllegalArgumentException("rows to add to " + source + " must have its columns " + schema.simpleString()
          + "; they have " + have.simpleString());
    }
    return rows.select(java.util.Arrays.stream(schema.fieldNames()).map(n -> rows.col("`" + n + "`"))
        .toArray(org.apache.spark.sql.Column[]::new));
  }

  /**
   * The commit a write just made and the rows it wrote, from one read of the newest entry of Delta's
   * public commit history (its version and operation metrics together; no second log replay).
   */
  private static Written committed(SparkSession spark, String name, String path) {
    Row newest = DeltaTable.forPath(spark, path).history(1).select("version", "operationMetrics").head();
    long v = newest.getLong(0);
    return new Written(new TableVersion(name, path, v), outputRows(newest, path, v));
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

  /** {@code numOutputRows} of a history row whose column 1 is the commit's operation metrics. */
  private static long outputRows(Row info, String path, long version) {
    Map<String, String> metrics = info.isNullAt(1) ? Map.of() : info.getJavaMap(1);
    String rows = metrics.get("numOutputRows");
    if (rows == null) {
      throw new IllegalStateException("commit " + version + " of " + path + " has no numOutputRows metric");
    }
    return Long.parseLong(rows);
  }
}
