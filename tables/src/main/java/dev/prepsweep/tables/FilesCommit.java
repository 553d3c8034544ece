package dev.prepsweep.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
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
 * One Delta commit that makes a table exactly some Parquet files that already exist, plus the files
 * of rows this transaction writes, and removes what the table held before: an overwrite whose data
 * was written earlier (or belongs to another table). It goes through Delta's transaction API, the one
 * Delta's own write and clone commands use, so the commit is checked for conflicts and gets its
 * checksum as any other. Used where copying rows into a table would only rewrite files that exist
 * ({@link ReferencingCommit}, {@link Splitter}).
 */
final class FilesCommit {
  private FilesCommit() {}

  /** The version committed and the rows of the files this transaction wrote. */
  record Committed(long version, long writtenRows) {}

  /**
   * @param metadata the table metadata ({@code schemaString}, {@code partitionColumns},
   *     {@code configuration}, {@code format}); the table's own id and creation time are kept
   * @param files {@code add} entries of files that exist (path absolute, or relative to the table)
   * @param written rows to write into the table in the same commit, or null
   * @param userMetadata the commit's user metadata
   */
  static Committed commit(SparkSession spark, JsonNode metadata, List<JsonNode> files, Dataset<Row> written,
      Optional<String> userMetadata, String path) {
    DeltaLog log = DeltaLog.forTable(spark, path);
    OptimisticTransaction txn = log.startTransaction();
    boolean exists = txn.readVersion() >= 0;
    ObjectNode meta = metadata.deepCopy();
    // the table keeps its own identity across rewrites; a new table gets a new one
    meta.put("id", exists ? txn.metadata().id() : UUID.randomUUID().toString());
    Option<Object> created = exists ? txn.metadata().createdTime() : Option.empty();
    meta.put("createdTime", created.isDefined() ? (Long) created.get() : System.currentTimeMillis());
    meta.putNull("name");
    meta.putNull("description");
    Metadata tableMetadata = (Metadata) Action.fromJson("{\"metaData\":" + meta + "}");
    if (exists) {
      txn.updateMetadata(tableMetadata, false);
    } else {
      txn.updateMetadataForNewTable(tableMetadata);
    }
    List<AddFile> given = new ArrayList<>();
    for (JsonNode f : files) {
      ObjectNode add = f.deepCopy();
      add.put("dataChange", true);
      given.add((AddFile) Action.fromJson("{\"add\":" + add + "}"));
    }
    Set<String> kept = new HashSet<>();
    given.forEach(f -> kept.add(f.path()));
    List<Action> actions = new ArrayList<>();
    if (exists) {
      // the table's earlier files go, except files it is given again (a path is added or removed in
      // a commit, not both)
      for (AddFile f : CollectionConverters.asJava(txn.filterFiles())) {
        if (!kept.contains(f.path())) {
          actions.add(f.remove());
        }
      }
    }
    actions.addAll(given);
    long writtenRows = 0;
    if (written != null) {
      for (FileAction f : CollectionConverters.asJava(txn.writeFiles(written))) {
        actions.add(f);
        if (f instanceof AddFile a) {
          Option<Object> n = a.numLogicalRecords();
          if (n.isEmpty()) {
            throw new IllegalStateException("Delta wrote " + a.path() + " without a row count");
          }
          writtenRows += (Long) n.get();
        }
      }
    }
    long version = txn.commit(CollectionConverters.asScala(actions).toSeq(),
        new DeltaOperations.Write(SaveMode.Overwrite, Option.empty(), Option.empty(), Option.apply(userMetadata.orElse(null))));
    return new Committed(version, writtenRows);
  }
}
