package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.tables.PinnedReader;
import dev.prepsweep.testkit.SharedSpark;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor-side read of a pinned Delta version: the columns training uses, whatever else the table holds. */
class PinnedSnapshotReaderTest {

  @TempDir
  Path dir;

  @Test
  void readsLabelsTextAndFeaturesOfTablesWithLineageColumns() {
    SparkSession spark = SharedSpark.session();
    StructType schema = new StructType().add("id", DataTypes.StringType).add("label", DataTypes.StringType)
        .add("label_index", DataTypes.IntegerType).add("text", DataTypes.StringType)
        .add("features", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("source_id", DataTypes.StringType).add("op", DataTypes.StringType);
    List<Row> rows = List.of(
        RowFactory.create("a", "ham", 0, "hello there", Arrays.asList(1.0, 2.0), "a", "original"),
        RowFactory.create("b", "spam", 1, "", Arrays.asList(3.0, null), "b", "original"),
        RowFactory.create("b#smote1", "spam", 1, "", Arrays.asList(2.5, 0.5), "b", "smote"));
    SplitRows read = write(spark, spark.createDataFrame(rows, schema), "with-lineage");
    assertThat(read.labels()).containsExactly(0, 1, 1);
    assertThat(read.texts()).containsExactly("hello there", "", "");
    assertThat(read.features()[0]).containsExactly(1.0, 2.0);
    assertThat(read.features()[1][0]).isEqualTo(3.0);
    assertThat(read.features()[1][1]).isNaN();
    assertThat(read.features()[2]).containsExactly(2.5, 0.5);
    assertThat(read.images()).isNull();
  }

  @Test
  void tablesWithoutTextReadAsEmptyTexts() {
    SparkSession spark = SharedSpark.session();
    StructType schema = new StructType().add("id", DataTypes.StringType).add("label_index", DataTypes.IntegerType)
        .add("features", DataTypes.createArrayType(DataTypes.DoubleType));
    SplitRows read = write(spark, spark.createDataFrame(List.of(RowFactory.create("x", 2, Arrays.asList(0.5))), schema),
        "no-text");
    assertThat(read.labels()).containsExactly(2);
    assertThat(read.texts()).containsExactly("");
    assertThat(read.features()[0]).containsExactly(0.5);
  }

  private SplitRows write(SparkSession spark, Dataset<Row> df, String name) {
    String path = dir.resolve(name).toString();
    df.coalesce(1).write().format("delta").save(path);
    PinnedReader.clearCache();
    return PinnedSnapshotReader.readRows(new TableVersion(name, path, 0));
  }
}
