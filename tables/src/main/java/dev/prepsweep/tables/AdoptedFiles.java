package dev.prepsweep.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prepsweep.common.TableVersion;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Makes Parquet files a run has already written (a partition of a scratch result) the new version of
 * a Delta table: they are moved into the table's folder and committed as they are
 * ({@link FilesCommit}), instead of being read and written again. Their row counts come from their
 * footers, and the files must hold exactly the table's columns.
 */
final class AdoptedFiles {
  private AdoptedFiles() {}

  /**
   * @param from a folder of Parquet files with {@code schema}'s columns (missing: no rows)
   * @param userMetadata the commit's user metadata (JSON), if any
   */
  static DeltaIO.Written overwrite(SparkSession spark, Path from, StructType schema, String path, String name,
      Optional<String> userMetadata) {
    Configuration conf = spark.sessionState().newHadoopConf();
    try {
      Path table = new Path(path);
      FileSystem fs = table.getFileSystem(conf);
      List<JsonNode> adds = new ArrayList<>();
      long rows = 0;
      fs.mkdirs(table);
      for (FileStatus f : parquetFiles(fs, from)) {
        long n;
        try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromStatus(f, conf))) {
          n = footer.getRecordCount();
        }
        Path moved = new Path(table, f.getPath().getName());
        if (!fs.rename(f.getPath(), moved)) {
          throw new IOException("could not move " + f.getPath() + " to " + moved);
        }
        ObjectNode add = DeltaIO.JSON.createObjectNode();
        add.put("path", new Path(moved.getName()).toUri().getRawPath());
        add.putObject("partitionValues");
        add.put("size", f.getLen());
        add.put("modificationTime", fs.getFileStatus(moved).getModificationTime());
        add.put("stats", "{\"numRecords\":" + n + "}");
        adds.add(add);
        rows += n;
      }
      ObjectNode metadata = DeltaIO.JSON.createObjectNode();
      metadata.putObject("format").put("provider", "parquet").putObject("options");
      metadata.put("schemaString", schema.asNullable().json());
      metadata.putArray("partitionColumns");
      ObjectNode configuration = metadata.putObject("configuration");
      TableProperties.prepTables().forEach(configuration::put);
      FilesCommit.Committed c = FilesCommit.commit(spark, metadata, adds, null, userMetadata, path);
      return new DeltaIO.Written(new TableVersion(name, path, c.version()), rows);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the files of " + from + " the table " + path + ": " + e.getMessage(), e);
    }
  }

  /** The Parquet data files directly under {@code dir}, by name; none when it does not exist. */
  private static List<FileStatus> parquetFiles(FileSystem fs, Path dir) throws IOException {
    try {
      return Arrays.stream(fs.listStatus(dir))
          .filter(f -> f.isFile() && f.getPath().getName().endsWith(".parquet") && !f.getPath().getName().startsWith("."))
          .sorted(Comparator.comparing(f -> f.getPath().getName()))
          .toList();
    } catch (FileNotFoundException e) {
      return List.of();
    }
  }
}
