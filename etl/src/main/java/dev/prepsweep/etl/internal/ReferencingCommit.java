package dev.prepsweep.etl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prepsweep.common.TableVersion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.FileAction;
import org.apache.spark.sql.delta.actions.Metadata;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One Delta commit that makes a table the rows of another table's version plus new rows, without
 * copying the other table's files: the commit adds them by absolute path, as a shallow clone does,
 * beside the files written for the new rows, and removes what the table held before. Delta's clone
 * followed by an append took two or three commits and two snapshot rebuilds (3.8 s at 1M rows, more
 * than writing the new rows); this takes the source's files and metadata from its checksum and costs
 * one write and one commit. It goes through Delta's transaction API, the one Delta's own write and
 * clone commands use, so the commit is checked for conflicts and gets its checksum as any other.
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
    DeltaLog log = DeltaLog.forTable(spark, path);
    OptimisticTransaction txn = log.startTransaction();
    boolean exists = txn.readVersion() >= 0;
    ObjectNode metadata = sourceMetadata.deepCopy();
    // the table keeps its own identity across rewrites; a new table gets a new one
    metadata.put("id", exists ? txn.metadata().id() : UUID.randomUUID().toString());
    Option<Object> created = exists ? txn.metadata().createdTime() : Option.empty();
    metadata.put("createdTime", created.isDefined() ? (Long) created.get() : System.currentTimeMillis());
    metadata.putNull("name");
    metadata.putNull("description");
    Metadata meta = (Metadata) Action.fromJson("{\"metaData\":" + metadata + "}");
    if (exists) {
      txn.updateMetadata(meta, false);
    } else {
      txn.updateMetadataForNewTable(meta);
    }
    List<AddFile> referenced = new ArrayList<>();
    for (DeltaIO.ChecksumFile f : sourceFiles) {
      // new to this table, by absolute path (log paths are URI-encoded)
      ObjectNode add = f.add().deepCopy();
      add.put("path", f.path().toUri().toString());
      add.put("dataChange", true);
      referenced.add((AddFile) Action.fromJson("{\"add\":" + add + "}"));
    }
    Set<String> kept = new HashSet<>();
    referenced.forEach(f -> kept.add(f.path()));
    List<Action> actions = new ArrayList<>();
    if (exists) {
      // the table's earlier files go, except source files it references again (a path is added or
      // removed in a commit, not both)
      for (AddFile f : CollectionConverters.asJava(txn.filterFiles())) {
        if (!kept.contains(f.path())) {
          actions.add(f.remove());
        }
      }
    }
    actions.addAll(referenced);
    long addedRows = 0;
    for (FileAction f : CollectionConverters.asJava(txn.writeFiles(added))) {
      actions.add(f);
      if (f instanceof AddFile a) {
        Option<Object> n = a.numLogicalRecords();
        if (n.isEmpty()) {
          throw new IllegalStateException("Delta wrote " + a.path() + " without a row count");
        }
        addedRows += (Long) n.get();
      }
    }
    long version = txn.commit(CollectionConverters.asScala(actions).toSeq(),
        new DeltaOperations.Write(SaveMode.Overwrite, Option.empty(), Option.empty(), Option.empty()));
    return new DeltaIO.Written(new TableVersion(name, path, version), addedRows);
  }
}
