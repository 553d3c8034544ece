package dev.prepsweep.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prepsweep.common.TableVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One Delta commit that makes a table the rows of another table's version plus new rows, without
 * copying the other table's files: the commit adds them by absolute path, as a shallow clone does,
 * beside the files written for the new rows ({@link FilesCommit}). Delta's clone followed by an
 * append took two or three commits and two snapshot rebuilds (3.8 s at 1M rows, more than writing
 * the new rows); this takes the source's files and metadata from its checksum and costs one write
 * and one commit.
 */
final class ReferencingCommit {
  private ReferencingCommit() {}

  /**
   * @param sourceMetadata the source version's table metadata, from its checksum (the caller checked
   *     it has plain columns)
   * @param sourceFiles the source version's data files, from its checksum (none with a deletion vector)
   * @param added rows with exactly the source's schema
   * @return the version committed and the rows added
   */
  static DeltaIO.Written commit(SparkSession spark, JsonNode sourceMetadata, List<DeltaIO.ChecksumFile> sourceFiles,
      Dataset<Row> added, String path, String name) {
    List<JsonNode> referenced = new ArrayList<>();
    for (DeltaIO.ChecksumFile f : sourceFiles) {
      // new to this table, by absolute path (log paths are URI-encoded)
      ObjectNode add = f.add().deepCopy();
      add.put("path", f.path().toUri().toString());
      referenced.add(add);
    }
    FilesCommit.Committed c = FilesCommit.commit(spark, sourceMetadata, referenced, added, Optional.empty(), path);
    return new DeltaIO.Written(new TableVersion(name, path, c.version()), c.writtenRows());
  }
}
