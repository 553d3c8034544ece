package dev.prepsweep.app.warehouse;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.tables.DeltaIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The folder of path-based Delta tables prepsweep reads and writes ({@code <root>/<table>}). Tables
 * are exposed to SQL as temporary views named after their folder, so {@code SELECT * FROM trials}
 * works in {@code prepsweep query}, notebooks and spark-sql alike without a metastore.
 */
public final class Warehouse {

  private final SparkSession spark;
  private final String root;

  public Warehouse(SparkSession spark, String root) {
    this.spark = spark;
    this.root = qualify(root);
  }

  /** Makes a relative local path absolute: executors may run in another working directory. */
  public static String qualify(String root) {
    URI uri = URI.create(root.replace(" ", "%20"));
    if (uri.getScheme() == null) {
      return java.nio.file.Path.of(root).toAbsolutePath().normalize().toString();
    }
    return root;
  }

  public String root() {
    return root;
  }

  /** The session this warehouse reads and writes through. */
  public SparkSession spark() {
    return spark;
  }

  public String path(String table) {
    return root + "/" + table;
  }

  /** Whether the table has a committed version (a folder whose first commit never landed has none). */
  public boolean exists(String table) {
    return find(table).isPresent();
  }

  /** The table at its latest version. */
  public TableVersion latest(String table) {
    return find(table).orElseThrow(() -> new IllegalStateException(
        "table '" + table + "' does not exist at " + path(table) + "; run 'prepsweep prep' (or 'run') first"));
  }

  /** The latest version of a table, if it exists (has a committed version). */
  public Optional<TableVersion> find(String table) {
    // From the log's file names, listed once: history() would run a Spark job for one number.
    OptionalLong version = DeltaIO.latestVersionIfAny(spark, path(table));
    return version.isPresent() ? Optional.of(new TableVersion(table, path(table), version.getAsLong())) : Optional.empty();
  }

  /** Names of the Delta tables in the warehouse. */
  public List<String> tables() {
    try {
      Path rootPath = new Path(root);
      FileSystem fs = rootPath.getFileSystem(hadoopConf());
      if (!fs.exists(rootPath)) {
        return List.of();
      }
      List<String> names = new ArrayList<>();
      for (FileStatus s : fs.listStatus(rootPath)) {
        if (s.isDirectory() && DeltaIO.latestVersionIfAny(spark, s.getPath().toString()).isPresent()) {
          names.add(s.getPath().getName());
        }
      }
      names.sort(null);
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the warehouse " + root + ": " + e.getMessage(), e);
    }
  }

  /** Registers every table as a temporary view of its name; returns the names. */
  public List<String> registerViews() {
    List<String> names = tables();
    for (String name : names) {
      spark.read().format("delta").load(path(name)).createOrReplaceTempView(name);
    }
    return names;
  }

  /**
   * Asks a running sweep to stop: a marker file its driver polls. Files rather than a table row,
   * so cancelling never races the driver's own MERGEs.
   */
  public void requestCancel(String sweepId) {
    try {
      Path marker = cancelMarker(sweepId);
      marker.getFileSystem(hadoopConf()).create(marker, true).close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the cancel marker of " + sweepId + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@link #requestCancel} was called for this sweep. */
  public boolean isCancelRequested(String sweepId) {
    try {
      Path marker = cancelMarker(sweepId);
      return marker.getFileSystem(hadoopConf()).exists(marker);
    } catch (IOException e) {
      return false;
    }
  }

  private Path cancelMarker(String sweepId) {
    return new Path(root + "/_prepsweep/cancel/" + sweepId);
  }

  private Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }
}
