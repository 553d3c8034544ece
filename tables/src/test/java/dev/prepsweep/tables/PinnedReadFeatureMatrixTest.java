package dev.prepsweep.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.testkit.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The feature matrix of pinned reads: a table with each Delta feature, changed with ordinary SQL,
 * pinned at a version; the rows the trial-side reader ({@link PinnedReader}, Delta Kernel) returns
 * and the prep read-back ({@link DeltaIO#read}) must equal Delta's own reader at that version (ids,
 * labels and texts, as a multiset). A feature Kernel cannot read fails clearly, naming table, version
 * and feature.
 */
class PinnedReadFeatureMatrixTest {
  private final SparkSession spark = SharedSpark.session();

  /** A table at {@code warehouse/name} made by SQL: {@code id, label_index, text} (+ {@code columns}), 40 rows. */
  private String table(String name, String columns, String partitionedBy, String properties) {
    String path = SharedSpark.tempDir("matrix-" + name).resolve(name).toString();
    spark.sql("CREATE TABLE delta.`" + path + "` (id BIGINT, label_index INT, text STRING" + columns + ") USING delta"
        + (partitionedBy.isEmpty() ? "" : " PARTITIONED BY (" + partitionedBy + ")")
        + (properties.isEmpty() ? "" : " TBLPROPERTIES (" + properties + ")"));
    insert(path, 0, 40, columns.isEmpty() ? "" : ", 'x'");
    return path;
  }

  private void insert(String path, long from, long to, String extra) {
    spark.sql("INSERT INTO delta.`" + path + "` SELECT id, CAST(id % 3 AS INT), concat('text ', id)" + extra
        + " FROM range(" + from + ", " + to + ")");
  }

  private long latest(String path) {
    return DeltaIO.latestVersion(spark, path);
  }

  private Configuration conf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /** The reader and the prep read-back agree with Delta at {@code version}; returns the row count. */
  private long assertPinnedReadsEqualDelta(String path, long version) {
    TableVersion t = new TableVersion("t", path, version);
    List<String> delta = keys(spark.read().format("delta").option("versionAsOf", version).load(path)
        .selectExpr("CAST(id AS STRING)", "CAST(label_index AS INT)", "text").collectAsList());
    assertThat(delta).as("Delta's rows at version %d", version).isNotEmpty();
    assertThat(keys(PinnedReader.read(t, true, conf()))).as("pinned reader at version %d", version)
        .isEqualTo(delta);
    assertThat(keys(DeltaIO.read(spark, t).selectExpr("CAST(id AS STRING)", "CAST(label_index AS INT)", "text")
        .collectAsList())).as("DeltaIO.read at version %d", version).isEqualTo(delta);
    return delta.size();
  }

  static List<String> keys(PinnedRows rows) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      out.add(rows.ids()[i] + "|" + rows.labels()[i] + "|" + rows.texts()[i]);
    }
    out.sort(null);
    return out;
  }

  static List<String> keys(List<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(r.getString(0) + "|" + r.getInt(1) + "|" + (r.isNullAt(2) ? "" : r.getString(2)));
    }
    out.sort(null);
    return out;
  }

  @Test
  void deletionVectorsHideDeletedRowsAndTheirFilesArePartOfTheVersion() {
    String path = table("dv", "", "", "'delta.enableDeletionVectors' = 'true'");
    spark.sql("DELETE FROM delta.`" + path + "` WHERE id % 5 = 0");
    long v = latest(path);
    assertThat(assertPinnedReadsEqualDelta(path, v)).isEqualTo(32);
    assertThat(assertPinnedReadsEqualDelta(path, v - 1)).as("before the DELETE").isEqualTo(40);
    assertThat(PinnedFiles.needed(new TableVersion("dv", path, v), conf()))
        .as("the deletion vector file is needed too").anyMatch(f -> f.endsWith(".bin"));
  }

  @Test
  void columnMappingByNameAndIdWithRenamedAndDroppedColumns() {
    for (String mode : List.of("name", "id")) {
      // the label column is renamed to label_index after data was written: its files keep the old physical name
      String path = SharedSpark.tempDir("matrix-cm-" + mode).resolve("cm").toString();
      spark.sql("CREATE TABLE delta.`" + path + "` (id BIGINT, lbl INT, body STRING, extra STRING) USING delta"
          + " TBLPROPERTIES ('delta.columnMapping.mode' = '" + mode + "', 'delta.minReaderVersion' = '2',"
          + " 'delta.minWriterVersion' = '5')");
      spark.sql("INSERT INTO delta.`" + path + "` SELECT id, CAST(id % 2 AS INT), concat('b', id), 'x' FROM range(0, 30)");
      spark.sql("ALTER TABLE delta.`" + path + "` RENAME COLUMN lbl TO label_index");
      spark.sql("ALTER TABLE delta.`" + path + "` RENAME COLUMN body TO text");
      spark.sql("ALTER TABLE delta.`" + path + "` DROP COLUMN extra");
      // a new column under the dropped one's name must not read the old values
      spark.sql("ALTER TABLE delta.`" + path + "` ADD COLUMNS (extra STRING)");
      spark.sql("INSERT INTO delta.`" + path + "` SELECT id, CAST(id % 2 AS INT), concat('b', id), 'y' FROM range(30, 40)");
      long v = latest(path);
      assertThat(assertPinnedReadsEqualDelta(path, v)).as(mode).isEqualTo(40);
    }
  }

  @Test
  void partitionColumnsComeFromTheLogNotTheFiles() {
    String path = table("part", "", "label_index", "");
    insert(path, 40, 50, "");
    assertThat(assertPinnedReadsEqualDelta(path, latest(path))).isEqualTo(50);
  }

  @Test
  void checkpointsClassicAndV2PastTheInterval() {
    for (String policy : List.of("classic", "v2")) {
      String path = table("cp-" + policy, "", "", "'delta.checkpointInterval' = '2', 'delta.checkpointPolicy' = '"
          + policy + "'");
      // versions 2 and 3 insert, 4 deletes: checkpoints at 2 and 4, so the latest version is read from a
      // checkpoint alone and version 3 from the one before plus a commit
      for (int i = 0; i < 2; i++) {
        insert(path, 100 + i * 5, 105 + i * 5, "");
      }
      spark.sql("DELETE FROM delta.`" + path + "` WHERE id = 101");
      long v = latest(path);
      assertThat(v).isEqualTo(4);
      for (long checkpointed : new long[] {2, 4}) {
        String prefix = String.format("%020d.checkpoint.", checkpointed); // classic: .parquet; v2: .<uuid>.json|parquet
        assertThat(Path.of(path, "_delta_log").toFile().list((d, n) -> n.startsWith(prefix)))
            .as("%s: a checkpoint at version %d", policy, checkpointed).isNotEmpty();
      }
      assertThat(assertPinnedReadsEqualDelta(path, v)).as(policy).isEqualTo(49);
      assertThat(assertPinnedReadsEqualDelta(path, 3)).as(policy + ", between checkpoints").isEqualTo(50);
    }
  }

  @Test
  void rowTrackingUpdateAndOptimize() {
    String path = table("rt", "", "", "'delta.enableRowTracking' = 'true', 'delta.enableDeletionVectors' = 'false'");
    insert(path, 40, 60, "");
    spark.sql("UPDATE delta.`" + path + "` SET label_index = 2, text = 'updated' WHERE id < 10");
    long updated = latest(path);
    spark.sql("OPTIMIZE delta.`" + path + "`");
    long optimized = latest(path);
    assertThat(optimized).isGreaterThan(updated);
    assertThat(assertPinnedReadsEqualDelta(path, updated)).isEqualTo(60);
    assertThat(assertPinnedReadsEqualDelta(path, optimized)).isEqualTo(60);
  }

  @Test
  void logCompactionFilesWrittenByKernelAreReadAsTheVersionsTheyCover() throws Exception {
    // Delta 4.0.1 on Spark reads minor-compaction files (deltaLog.minorCompaction.useForReads, on by default)
    // but has no setting that writes them; Delta Kernel 4.0 writes them through its public transaction API
    // (withLogCompactionInverval, sic, and the LOG_COMPACTION post-commit hook), so a Kernel commit makes one.
    String path = table("compacted", "", "", "'delta.enableDeletionVectors' = 'false'"); // versions 0, 1
    insert(path, 40, 50, "");                                                    // 2
    spark.sql("DELETE FROM delta.`" + path + "` WHERE id % 4 = 0");              // 3: removes and re-adds files
    spark.sql("UPDATE delta.`" + path + "` SET text = 'changed' WHERE id < 10"); // 4
    io.delta.kernel.engine.Engine engine = KernelTables.engine(conf());
    int interval = 3; // Kernel compacts after commit v when (v + 1) % interval == 0: versions v - interval + 1..v
    io.delta.kernel.TransactionCommitResult commit = io.delta.kernel.Table.forPath(engine, path)
        .createTransactionBuilder(engine, "prepsweep-test", io.delta.kernel.Operation.WRITE)
        .withLogCompactionInverval(interval).build(engine)
        .commit(engine, io.delta.kernel.utils.CloseableIterable.emptyIterable()); // 5
    assertThat(commit.getVersion()).isEqualTo(5);
    for (io.delta.kernel.hook.PostCommitHook hook : commit.getPostCommitHooks()) {
      if (hook.getType() == io.delta.kernel.hook.PostCommitHook.PostCommitHookType.LOG_COMPACTION) {
        hook.threadSafeInvoke(engine);
      }
    }
    Path compacted = Path.of(path, "_delta_log", String.format("%020d.%020d.compacted.json", 3, 5));
    assertThat(compacted).as("the log compaction file of versions 3 to 5").exists();
    insert(path, 50, 60, ""); // 6: a commit after the compacted range
    // at the range's end and after it, a reader may replay the compacted file instead of 3..5; inside it
    // (3, 4) it must not, or it would see later commits' changes
    long deleted = java.util.stream.LongStream.range(0, 50).filter(id -> id % 4 == 0).count();
    assertThat(assertPinnedReadsEqualDelta(path, 6)).isEqualTo(60 - deleted);
    assertThat(assertPinnedReadsEqualDelta(path, 5)).isEqualTo(50 - deleted);
    assertThat(assertPinnedReadsEqualDelta(path, 4)).isEqualTo(50 - deleted);
    assertThat(assertPinnedReadsEqualDelta(path, 3)).as("inside the range: without 4's UPDATE").isEqualTo(50 - deleted);
    assertThat(assertPinnedReadsEqualDelta(path, 2)).as("before the range").isEqualTo(50);
    assertThat(PinnedFiles.needed(new TableVersion("compacted", path, 6), conf())).isNotEmpty();
    PinnedFiles.requireComplete(new TableVersion("compacted", path, 6), conf());
    // the readers replay the compacted file, not commits 3..5: with one of its adds left out, that file's
    // rows are gone at 5 and 6 for both, while 4 (read from its commits) keeps them
    List<String> lines = Files.readAllLines(compacted);
    String add = lines.stream().filter(l -> l.startsWith("{\"add\"")).findFirst().orElseThrow();
    lines.remove(add);
    Files.write(compacted, lines);
    Files.delete(compacted.resolveSibling("." + compacted.getFileName() + ".crc")); // Hadoop's checksum of the old bytes
    long hidden = spark.read().parquet(Path.of(path, add.replaceAll(".*\"path\":\"([^\"]+)\".*", "$1")).toString()).count();
    assertThat(hidden).isPositive();
    assertThat(assertPinnedReadsEqualDelta(path, 5)).isEqualTo(50 - deleted - hidden);
    assertThat(assertPinnedReadsEqualDelta(path, 4)).isEqualTo(50 - deleted);
  }

  @Test
  void typeWidenedLabelsReadAsTheirNewType() {
    String path = SharedSpark.tempDir("matrix-tw").resolve("tw").toString();
    spark.sql("CREATE TABLE delta.`" + path + "` (id BIGINT, label_index SMALLINT, text STRING) USING delta"
        + " TBLPROPERTIES ('delta.enableTypeWidening' = 'true')");
    spark.sql("INSERT INTO delta.`" + path + "` SELECT id, CAST(id % 3 AS SMALLINT), concat('t', id) FROM range(0, 20)");
    spark.sql("ALTER TABLE delta.`" + path + "` CHANGE COLUMN label_index TYPE INT");
    spark.sql("INSERT INTO delta.`" + path + "` SELECT id, CAST(id % 3 AS INT), concat('t', id) FROM range(20, 30)");
    assertThat(assertPinnedReadsEqualDelta(path, latest(path))).isEqualTo(30);
  }

  @Test
  void filesReferencedByAbsolutePathInAShallowClone() {
    String source = table("src", "", "", "");
    String clone = SharedSpark.tempDir("matrix-clone").resolve("clone").toString();
    spark.sql("CREATE TABLE delta.`" + clone + "` SHALLOW CLONE delta.`" + source + "`");
    insert(clone, 40, 45, "");
    insert(source, 100, 200, ""); // the source moves on; the clone keeps the version it cloned
    long v = latest(clone);
    assertThat(assertPinnedReadsEqualDelta(clone, v)).isEqualTo(45);
    assertThat(PinnedFiles.needed(new TableVersion("clone", clone, v), conf()))
        .as("the source's files, referenced by absolute path").anyMatch(f -> f.contains("matrix-src"));
  }

  @Test
  void aReaderFeatureKernelDoesNotKnowFailsNamingTableVersionAndFeature() throws Exception {
    String path = table("future", "", "", "");
    // Every reader feature Delta 4.0 on Spark can put on a table is one Kernel 4.0 reads (the tests above), so a
    // feature of a future Delta is committed as one would be: a protocol action naming it.
    TableVersion pinned = new TableVersion("future", path, latest(path) + 1);
    Path commit = Path.of(path, "_delta_log", String.format("%020d.json", pinned.version()));
    Files.writeString(commit, "{\"commitInfo\":{\"timestamp\":1,\"operation\":\"SET TBLPROPERTIES\"}}\n"
        + "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"futureFeature\"],"
        + "\"writerFeatures\":[\"futureFeature\"]}}\n", StandardCharsets.UTF_8);
    for (Runnable read : List.<Runnable>of(() -> PinnedReader.read(pinned, false, conf()),
        () -> PinnedFiles.requireComplete(pinned, conf()))) {
      assertThatThrownBy(read::run).isInstanceOf(PinnedDataException.class)
          .hasMessageContaining("table 'future' at " + path + " version " + pinned.version())
          .hasMessageContaining("futureFeature")
          .hasMessageContaining("cannot read");
    }
  }

  @Test
  void aSparkTaskReadsThePinnedVersionOnItsExecutor() {
    String path = table("task", "", "", "'delta.enableDeletionVectors' = 'true'");
    spark.sql("DELETE FROM delta.`" + path + "` WHERE label_index = 0");
    TableVersion pinned = new TableVersion("task", path, latest(path));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // only the immutable TableVersion crosses to the task; the executor builds its own Hadoop conf
    List<String> read = jsc.parallelize(List.of(pinned), 1)
        .flatMap(t -> keys(PinnedReader.read(t, true, SparkHadoopConf.current())).iterator()).collect();
    assertThat(read).isEqualTo(keys(spark.read().format("delta").option("versionAsOf", pinned.version()).load(path)
        .selectExpr("CAST(id AS STRING)", "label_index", "text").collectAsList())).hasSize(26);
  }

  @Test
  void theGuardNamesTheFilesAVacuumRemovedFromAPinnedVersion() {
    String path = table("vacuumed", "", "", "'delta.enableDeletionVectors' = 'false'");
    TableVersion pinned = new TableVersion("vacuumed", path, latest(path));
    PinnedFiles.requireComplete(pinned, conf());
    List<String> needed = PinnedFiles.needed(pinned, conf());
    spark.sql("INSERT OVERWRITE delta.`" + path + "` SELECT id, 1, 'new' FROM range(0, 5)");
    spark.conf().set("spark.databricks.delta.retentionDurationCheck.enabled", "false");
    try {
      spark.sql("VACUUM delta.`" + path + "` RETAIN 0 HOURS");
    } finally {
      spark.conf().unset("spark.databricks.delta.retentionDurationCheck.enabled");
    }
    assertThatThrownBy(() -> PinnedFiles.requireComplete(pinned, conf())).isInstanceOf(PinnedDataException.class)
        .hasMessageContaining("pinned data incomplete: table 'vacuumed' at " + path + " version " + pinned.version())
        .hasMessageContaining(needed.size() + " of them are gone")
        .hasMessageContaining(needed.get(0));
    PinnedFiles.requireComplete(new TableVersion("vacuumed", path, latest(path)), conf());
  }
}
