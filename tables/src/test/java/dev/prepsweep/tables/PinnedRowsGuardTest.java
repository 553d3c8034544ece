package dev.prepsweep.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.testkit.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The empty version a prep rewrite commits before the one adopting its files ({@link DeltaIO#overwriteWithFiles})
 * still carries the earlier version's labels in its domain metadata, so a sweep pinning it would find labels and
 * train on no rows. The guard refuses it, naming table and version.
 */
class PinnedRowsGuardTest {
  private final SparkSession spark = SharedSpark.session();

  @Test
  void theEmptyVersionBetweenARewritesTwoCommitsIsRefusedAndItsNeighboursPass() {
    Path wh = SharedSpark.tempDir("rows-guard");
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    var schema = rows(0, 1).schema();
    rows(0, 40).write().parquet(wh.resolve("a").toString());
    TableVersion first = DeltaIO.overwriteWithFiles(spark, new org.apache.hadoop.fs.Path(wh.resolve("a").toString()),
        schema, wh.toString(), "train", Map.of(DeltaIO.LABELS, List.of("ham", "spam"))).table();
    rows(100, 30).write().parquet(wh.resolve("b").toString());
    TableVersion second = DeltaIO.overwriteWithFiles(spark, new org.apache.hadoop.fs.Path(wh.resolve("b").toString()),
        schema, wh.toString(), "train", Map.of(DeltaIO.LABELS, List.of("ham", "spam"))).table();
    TableVersion between = new TableVersion("train", second.path(), second.version() - 1);
    assertThat(between.version()).isGreaterThan(first.version());

    assertThat(DeltaIO.userMetadata(spark, between)).as("the labels a sweep would find at the empty version").isPresent();
    assertThatThrownBy(() -> PinnedFiles.requireRows(between, conf))
        .isInstanceOf(PinnedDataException.class)
        .hasMessageContaining("table 'train'")
        .hasMessageContaining("version " + between.version())
        .hasMessageContaining("holds no rows");
    PinnedFiles.requireRows(first, conf);
    PinnedFiles.requireRows(second, conf);
    PinnedFiles.requireComplete(between, conf);
  }

  private org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows(int from, int n) {
    return spark.range(from, from + n).selectExpr("cast(id as int) as n", "concat('row ', id) as text");
  }
}
