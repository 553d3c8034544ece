package dev.prepsweep.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.testkit.SharedSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Pinned reads give exactly the rows and schema Delta gives for that version. */
class DeltaIOTest {
  private final SparkSession spark = SharedSpark.session();

  @Test
  void pinnedReadOfEachVersionMatchesDeltasOwnRead() {
    String warehouse = SharedSpark.tempDir("deltaio").toString();
    TableVersion first = DeltaIO.overwrite(rows(0, 300), warehouse, "t").table();
    TableVersion second = DeltaIO.overwrite(rows(1000, 50).withColumn("extra", org.apache.spark.sql.functions.lit(1)),
        warehouse, "t").table();
    for (TableVersion v : new TableVersion[] {first, second}) {
      Dataset<Row> pinned = DeltaIO.read(spark, v);
      Dataset<Row> delta = spark.read().format("delta").option("versionAsOf", v.version()).load(v.path());
      assertThat(pinned.schema()).isEqualTo(delta.schema());
      assertThat(pinned.count()).isEqualTo(delta.count());
      assertThat(pinned.exceptAll(delta).count()).isZero();
      assertThat(delta.exceptAll(pinned).count()).isZero();
    }
    assertThat(DeltaIO.read(spark, first).count()).isEqualTo(300);
  }

  @Test
  void partitionedTablesAreReadThroughDelta() {
    String path = SharedSpark.tempDir("deltaio-part").resolve("p").toString();
    rows(0, 120).withColumn("part", org.apache.spark.sql.functions.col("n").mod(3))
        .write().format("delta").partitionBy("part").save(path);
    Dataset<Row> pinned = DeltaIO.read(spark, new TableVersion("p", path, 0));
    assertThat(pinned.columns()).contains("part");
    assertThat(pinned.where("part = 2").count()).isEqualTo(40);
  }

  @Test
  void userMetadataIsEachVersionsOwnAsDeltasHistoryRecordsIt() throws Exception {
    String warehouse = SharedSpark.tempDir("deltaio-meta").toString();
    TableVersion first = DeltaIO.overwrite(rows(0, 10), warehouse, "m", java.util.Map.of(DeltaIO.LABELS, java.util.List.of("ham", "spam"))).table();
    TableVersion second = DeltaIO.overwrite(rows(0, 5), warehouse, "m", java.util.Map.of(DeltaIO.LABELS, java.util.List.of("a", "b", "c"))).table();
    TableVersion third = DeltaIO.overwrite(rows(0, 5), warehouse, "m").table();
    assertThat(DeltaIO.userMetadata(spark, first).orElseThrow().get(DeltaIO.LABELS).toString()).isEqualTo("[\"ham\",\"spam\"]");
    assertThat(DeltaIO.userMetadata(spark, second).orElseThrow().get(DeltaIO.LABELS).toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
    assertThat(DeltaIO.userMetadata(spark, third)).as("a commit without user metadata").isEmpty();
    // the same as Delta's own commit history says for each version
    for (TableVersion v : new TableVersion[] {first, second, third}) {
      Row h = io.delta.tables.DeltaTable.forPath(spark, v.path()).history()
          .where(org.apache.spark.sql.functions.col("version").equalTo(v.version())).select("userMetadata").head();
      assertThat(DeltaIO.userMetadata(spark, v).map(Object::toString).orElse(null))
          .isEqualTo(h.isNullAt(0) ? null : DeltaIO.JSON.readTree(h.getString(0)).toString());
    }
  }

  /**
   * Adopted files: the scratch Parquet files become the table's version as they are (moved into its
   * folder), Delta's reader agrees with the pinned read, the metadata is read back at that version,
   * and a rerun with another schema gives a version of its own while the earlier one stays readable.
   */
  @Test
  void overwriteWithFilesAdoptsTheFilesAndKeepsHistory() throws java.io.IOException {
    java.nio.file.Path wh = SharedSpark.tempDir("deltaio-adopt");
    java.nio.file.Path scratch = wh.resolve("scratch");
    rows(0, 200).repartition(3).write().parquet(scratch.resolve("a").toString());
    DeltaIO.Written first = DeltaIO.overwriteWithFiles(spark, new org.apache.hadoop.fs.Path(scratch.resolve("a").toString()),
        rows(0, 1).schema(), wh.toString(), "t", java.util.Map.of(DeltaIO.LABELS, List.of("x", "y")));
    assertThat(first.rows()).isEqualTo(200);
    assertThat(first.table().version()).as("an empty table, then the files").isEqualTo(1);
    assertPinnedEqualsDelta(first.table(), 200);
    assertThat(spark.read().format("delta").load(first.table().path()).count()).as("Delta's latest version").isEqualTo(200);
    assertThat(DeltaIO.userMetadata(spark, first.table()).orElseThrow().get(DeltaIO.LABELS).toString()).isEqualTo("[\"x\",\"y\"]");
    List<String> files = DeltaIO.checksumFiles(spark, first.table()).orElseThrow();
    assertThat(files).hasSize(3).allSatisfy(f -> assertThat(java.nio.file.Path.of(java.net.URI.create(f)).getParent())
        .isEqualTo(wh.resolve("t")));
    assertThat(scratch.resolve("a")).isDirectoryNotContaining("glob:**.parquet");

    // a rerun with an extra column: its own version, the first one unchanged
    rows(500, 70).withColumn("extra", org.apache.spark.sql.functions.lit("e")).write().parquet(scratch.resolve("b").toString());
    DeltaIO.Written second = DeltaIO.overwriteWithFiles(spark, new org.apache.hadoop.fs.Path(scratch.resolve("b").toString()),
        rows(0, 1).withColumn("extra", org.apache.spark.sql.functions.lit("e")).schema(), wh.toString(), "t",
        java.util.Map.of(DeltaIO.LABELS, List.of("z")));
    assertThat(second.table().version()).isEqualTo(3);
    assertPinnedEqualsDelta(second.table(), 70);
    assertThat(DeltaIO.read(spark, second.table()).columns()).contains("extra");
    assertPinnedEqualsDelta(first.table(), 200);
    assertThat(DeltaIO.userMetadata(spark, first.table()).orElseThrow().get(DeltaIO.LABELS).toString()).isEqualTo("[\"x\",\"y\"]");
    assertThat(DeltaIO.userMetadata(spark, second.table()).orElseThrow().get(DeltaIO.LABELS).toString()).isEqualTo("[\"z\"]");
    assertThat(TableCleanup.properties(spark, second.table().path())).containsAllEntriesOf(TableProperties.prepTables());

    // nothing to adopt: an empty version
    DeltaIO.Written none = DeltaIO.overwriteWithFiles(spark, new org.apache.hadoop.fs.Path(scratch.resolve("missing").toString()),
        rows(0, 1).schema(), wh.toString(), "t", null);
    assertThat(none.rows()).isZero();
    assertPinnedEqualsDelta(none.table(), 0);
  }

  /**
   * Several tables adopted at once (each on its own thread): each gets its own files, rows and labels
   * as one at a time would, and a table whose files cannot be read fails the call with Parquet's error
   * naming the file, while the others are still written.
   */
  @Test
  void overwriteEachWithFilesAdoptsEveryTablesFilesAndThrowsAFailure() throws java.io.IOException {
    java.nio.file.Path wh = SharedSpark.tempDir("deltaio-adopt-each");
    java.nio.file.Path scratch = wh.resolve("scratch");
    rows(0, 50).repartition(2).write().parquet(scratch.resolve("a").toString());
    rows(100, 7).write().parquet(scratch.resolve("b").toString());
    var from = new java.util.LinkedHashMap<String, org.apache.hadoop.fs.Path>();
    from.put("ta", new org.apache.hadoop.fs.Path(scratch.resolve("a").toString()));
    from.put("tb", new org.apache.hadoop.fs.Path(scratch.resolve("b").toString()));
    var written = DeltaIO.overwriteEachWithFiles(spark, from, rows(0, 1).schema(), wh.toString(),
        java.util.Map.of(DeltaIO.LABELS, List.of("x")));
    assertThat(written.keySet()).containsExactly("ta", "tb");
    assertThat(written.get("ta").rows()).isEqualTo(50);
    assertThat(written.get("tb").rows()).isEqualTo(7);
    assertPinnedEqualsDelta(written.get("ta").table(), 50);
    assertPinnedEqualsDelta(written.get("tb").table(), 7);
    assertThat(DeltaIO.read(spark, written.get("tb").table()).select("n").as(org.apache.spark.sql.Encoders.INT())
        .collectAsList()).containsExactlyInAnyOrder(100, 101, 102, 103, 104, 105, 106);
    assertThat(DeltaIO.userMetadata(spark, written.get("ta").table()).orElseThrow().get(DeltaIO.LABELS).toString())
        .isEqualTo("[\"x\"]");

    rows(200, 5).write().parquet(scratch.resolve("c").toString());
    java.nio.file.Files.createDirectories(scratch.resolve("d"));
    java.nio.file.Files.writeString(scratch.resolve("d").resolve("part-0.parquet"), "not parquet");
    var failing = new java.util.LinkedHashMap<String, org.apache.hadoop.fs.Path>();
    failing.put("tc", new org.apache.hadoop.fs.Path(scratch.resolve("c").toString()));
    failing.put("td", new org.apache.hadoop.fs.Path(scratch.resolve("d").toString()));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeltaIO.overwriteEachWithFiles(spark, failing,
        rows(0, 1).schema(), wh.toString(), null)).isInstanceOf(RuntimeException.class)
        .hasMessageContaining(scratch.resolve("d").resolve("part-0.parquet").toString()).hasMessageContaining("not a Parquet file");
    assertThat(spark.read().format("delta").load(wh.resolve("tc").toString()).count()).as("the other table").isEqualTo(5);
  }

  @Test
  void overwriteWithFilesRewritesTheRowsOfATableKernelCannotAppendTo() {
    java.nio.file.Path wh = SharedSpark.tempDir("deltaio-adopt-part");
    rows(0, 30).withColumn("part", org.apache.spark.sql.functions.col("n").mod(2))
        .write().format("delta").partitionBy("part").save(wh.resolve("p").toString());
    java.nio.file.Path scratch = wh.resolve("scratch");
    rows(100, 40).withColumn("part", org.apache.spark.sql.functions.col("n").mod(2)).write().parquet(scratch.toString());
    DeltaIO.Written w = DeltaIO.overwriteWithFiles(spark, new org.apache.hadoop.fs.Path(scratch.toString()),
        rows(0, 1).withColumn("part", org.apache.spark.sql.functions.col("n").mod(2)).schema(), wh.toString(), "p", null);
    assertThat(w.table().version()).as("one commit by Delta's writer").isEqualTo(1);
    assertPinnedEqualsDelta(w.table(), 40);
    assertThat(scratch).isDirectoryContaining("glob:**.parquet");
  }

  /**
   * A source version whose files hold rows it deleted (deletion vectors) is never adopted file by file:
   * the table gets the source's live rows (Delta's clone) plus the added ones. Adopted files then
   * (a plain source) are referenced where they are.
   */
  @Test
  void sourceRowsPlusKeepsOnlyTheSourcesLiveRows() {
    java.nio.file.Path wh = SharedSpark.tempDir("deltaio-plus");
    String src = wh.resolve("src").toString();
    rows(0, 60).write().format("delta").option("delta.enableDeletionVectors", "true").save(src);
    spark.sql("DELETE FROM delta.`" + src + "` WHERE n % 3 = 0");
    TableVersion withDv = new TableVersion("src", src, 1);
    assertThat(DeltaIO.checksumFiles(spark, withDv)).as("the version has deletion vectors").isEmpty();
    DeltaIO.Written w = DeltaIO.sourceRowsPlus(withDv, rows(100, 5), wh.toString(), "plus");
    assertThat(w.rows()).isEqualTo(5);
    assertPinnedEqualsDelta(w.table(), 40 + 5);

    String plainSrc = wh.resolve("plain").toString();
    rows(0, 60).write().format("delta").save(plainSrc);
    TableVersion plain = new TableVersion("plain", plainSrc, 0);
    DeltaIO.Written adopted = DeltaIO.sourceRowsPlus(plain, rows(100, 5).select("text", "features", "n"), wh.toString(),
        "plus2");
    assertThat(adopted.table().version()).isEqualTo(1);
    assertPinnedEqualsDelta(adopted.table(), 65);
    assertThat(DeltaIO.checksumFiles(spark, adopted.table()).orElseThrow())
        .containsAll(DeltaIO.checksumFiles(spark, plain).orElseThrow());
  }

  private void assertPinnedEqualsDelta(TableVersion v, long rows) {
    Dataset<Row> pinned = DeltaIO.read(spark, v);
    Dataset<Row> delta = DeltaIO.readThroughDelta(spark, v);
    assertThat(delta.count()).isEqualTo(rows);
    assertThat(pinned.count()).isEqualTo(rows);
    assertThat(pinned.exceptAll(delta).count()).isZero();
    assertThat(delta.exceptAll(pinned).count()).isZero();
  }

  private Dataset<Row> rows(int from, int n) {
    return spark.range(from, from + n).selectExpr("cast(id as int) as n", "concat('row ', id) as text",
        "array(cast(id as double), 0.5d) as features");
  }
}
