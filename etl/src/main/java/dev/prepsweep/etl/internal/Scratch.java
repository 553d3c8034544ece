package dev.prepsweep.etl.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Intermediate results a run reads more than once, as Parquet under
 * {@code <warehouse>/_prep_tmp/<run id>}: cheaper than Spark's cache (columnar, compressed, no
 * serializer) and off the heap. Removed when the run ends.
 */
public final class Scratch implements AutoCloseable {
  private final SparkSession spark;
  private final Path root;

  public Scratch(SparkSession spark, String warehouse, String runId) {
    this.spark = spark;
    this.root = new Path(warehouse + "/_prep_tmp/" + runId);
  }

  /**
   * Writes {@code df} once and returns a Dataset reading it back, with the schema it was written
   * with: as Spark reads Parquet back (every column nullable, partition columns last), and without
   * the Spark job that inferring it from the files' footers costs.
   */
  public Dataset<Row> materialize(Dataset<Row> df, String name, String... partitionBy) {
    String path = location(name).toString();
    df.write().mode(SaveMode.Overwrite).options(WriteOptions.parquet(df.schema())).partitionBy(partitionBy).parquet(path);
    List<String> partitions = Arrays.asList(partitionBy);
    List<StructField> ordered = new ArrayList<>();
    Arrays.stream(df.schema().fields()).filter(f -> !partitions.contains(f.name())).forEach(ordered::add);
    partitions.forEach(p -> ordered.add(df.schema().apply(p)));
    StructType written = new StructType(ordered.stream()
        .map(f -> new StructField(f.name(), f.dataType(), true, f.metadata())).toArray(StructField[]::new));
    return spark.read().schema(written).parquet(path);
  }

  /** Where {@link #materialize} writes {@code name}; a partition is {@code <name>/<column>=<value>}. */
  public Path location(String name) {
    return new Path(root, name);
  }

  @Override
  public void close() {
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.delete(root, true);
      Path parent = root.getParent();
      FileStatusCheck.deleteIfEmpty(fs, parent);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class FileStatusCheck {
    static void deleteIfEmpty(FileSystem fs, Path dir) throws IOException {
      if (fs.exists(dir) && fs.listStatus(dir).length == 0) {
        fs.delete(dir, false);
      }
    }
  }
}
