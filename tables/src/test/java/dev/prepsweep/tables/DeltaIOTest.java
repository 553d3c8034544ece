package dev.prepsweep.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.testkit.SharedSpark;
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

  private Dataset<Row> rows(int from, int n) {
    return spark.range(from, from + n).selectExpr("cast(id as int) as n", "concat('row ', id) as text",
        "array(cast(id as double), 0.5d) as features");
  }
}
