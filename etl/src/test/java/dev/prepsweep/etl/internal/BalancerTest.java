package dev.prepsweep.etl.internal;

import dev.prepsweep.tables.DeltaIO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.testkit.SharedSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SMOTE that only adds rows: same synthetic rows as the rewriting path, and the input's files reused. */
class BalancerTest {
  private static final PrepConfig.Balance SMOTE_TO_MAX = new PrepConfig.Balance(PrepConfig.BalanceMethod.SMOTE, "max", Map.of(), 3, false);
  // a class larger than a neighbour cell, so the additions path also cuts cells
  private static final Map<String, Integer> SIZES = Map.of("a", 2600, "b", 1400, "c", 90);
  private static final long SEED = 7;

  private static SparkSession spark;
  private static String warehouse;
  private static TableVersion train;

  @BeforeAll
  static void writeTrain() {
    spark = SharedSpark.session();
    warehouse = SharedSpark.tempDir("balancer").toString();
    StructType schema = new StructType().add("id", DataTypes.StringType).add("label", DataTypes.StringType)
        .add("label_index", DataTypes.IntegerType).add("text", DataTypes.StringType)
        .add("features", DataTypes.createArrayType(DataTypes.DoubleType));
    List<Row> rows = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(1);
    int index = 0;
    for (String label : new TreeMap<>(SIZES).keySet()) {
      for (int i = 0; i < SIZES.get(label); i++) {
        Double[] f = {index + rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
        rows.add(RowFactory.create(label + i, label, index, "words of row " + i, Arrays.asList(f)));
      }
      index++;
    }
    Dataset<Row> df = Splitter.withOriginLineage(spark.createDataFrame(rows, schema).repartition(3));
    train = DeltaIO.overwrite(df, warehouse, "train").table();
  }

  @Test
  void addingPathMakesExactlyTheRowsTheRewritingPathSynthesizes() {
    try (Scratch scratch = new Scratch(spark, warehouse, "t1")) {
      Balancer.Result added = Balancer.apply(DeltaIO.read(spark, train), null, SMOTE_TO_MAX, SEED, scratch, true);
      Balancer.Result rewritten = Balancer.apply(DeltaIO.read(spark, train), null, SMOTE_TO_MAX, SEED, scratch, false);
      assertThat(added.addedOnly()).isTrue();
      assertThat(rewritten.addedOnly()).isFalse();
      assertThat(added.classes()).isEqualTo(rewritten.classes());

      Dataset<Row> synthetic = added.rows();
      Dataset<Row> rewrittenSynthetic = rewritten.rows().where("op = 'smote'");
      assertThat(synthetic.count()).isEqualTo((2600 - 1400) + (2600 - 90));
      assertThat(synthetic.where("op != 'smote' or text != '' or size(features) != 3").count()).isZero();
      assertThat(synthetic.exceptAll(rewrittenSynthetic).count()).isZero();
      assertThat(rewrittenSynthetic.exceptAll(synthetic).count()).isZero();
      assertThat(rewritten.rows().where("op = 'original'").count()).isEqualTo(2600 + 1400 + 90);
    }
  }

  @Test
  void balancedTableKeepsTheInputFilesAndCanBeWrittenAgain() throws java.io.IOException {
    List<String> earlier = List.of();
    for (int run = 0; run < 2; run++) {
      try (Scratch scratch = new Scratch(spark, warehouse, "t2-" + run)) {
        Balancer.Result r = Balancer.apply(DeltaIO.read(spark, train), SMOTE_TO_MAX, SEED, scratch);
        DeltaIO.Written w = DeltaIO.sourceRowsPlus(train, r.rows(), warehouse, "train_balanced");
        // Delta's public API makes the table empty, one Kernel commit appends train's files and the
        // synthetic rows' files: two commits per run
        assertThat(w.table().version()).isEqualTo(run == 0 ? 1 : 3);
        assertBalanced(w, train);
        List<String> files = localPaths(DeltaIO.readThroughDelta(spark, w.table()));
        // the rerun's version holds train's files and its own synthetic ones, not the earlier run's
        if (run == 1) {
          assertThat(files).doesNotContainAnyElementsOf(earlier);
        }
        earlier = files.stream().filter(f -> !f.contains("/train/part-")).toList();
        assertThat(earlier).isNotEmpty();
      }
    }
  }

  @Test
  void withoutTheSourcesChecksumTheTableIsAShallowCloneAndAnAppend() throws java.io.IOException {
    // a copy of train without checksum files: its file list is only in the log
    java.nio.file.Path copy = SharedSpark.tempDir("balancer-nocrc").resolve("train");
    java.nio.file.Path from = java.nio.file.Path.of(java.net.URI.create(
        new org.apache.hadoop.fs.Path(train.path()).getFileSystem(spark.sparkContext().hadoopConfiguration())
            .makeQualified(new org.apache.hadoop.fs.Path(train.path())).toUri().toString()));
    try (var files = java.nio.file.Files.walk(from)) {
      for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
        java.nio.file.Path to = copy.resolve(from.relativize(f).toString());
        if (java.nio.file.Files.isDirectory(f)) {
          java.nio.file.Files.createDirectories(to);
        } else if (!f.getFileName().toString().endsWith(".crc")) {
          java.nio.file.Files.copy(f, to);
        }
      }
    }
    TableVersion source = new TableVersion("train", copy.toString(), train.version());
    assertThat(java.nio.file.Files.list(copy.resolve("_delta_log")).map(java.nio.file.Path::toString))
        .as("the copy has no checksum files").noneMatch(f -> f.endsWith(".crc"));
    try (Scratch scratch = new Scratch(spark, warehouse, "t3")) {
      Balancer.Result r = Balancer.apply(DeltaIO.read(spark, source), SMOTE_TO_MAX, SEED, scratch);
      DeltaIO.Written w = DeltaIO.sourceRowsPlus(source, r.rows(), copy.getParent().toString(), "train_balanced");
      assertThat(w.table().version()).as("an empty table, then the files").isEqualTo(1);
      assertBalanced(w, source);
    }
  }

  /** Every class at the majority count, the source's rows read from its own files, Delta agreeing. */
  private static void assertBalanced(DeltaIO.Written w, TableVersion source) {
    Dataset<Row> balanced = DeltaIO.read(spark, w.table());
    for (Row c : balanced.groupBy("label").count().collectAsList()) {
      assertThat(c.getLong(1)).as(c.getString(0)).isEqualTo(2600);
    }
    assertThat(balanced.where("op = 'original'").exceptAll(DeltaIO.read(spark, source)).count()).isZero();
    assertThat(w.rows()).isEqualTo(3 * 2600 - (2600 + 1400 + 90));
    // Delta's own reader resolves the referenced files to the same rows
    Dataset<Row> throughDelta = DeltaIO.readThroughDelta(spark, w.table());
    assertThat(throughDelta.count()).isEqualTo(3 * 2600);
    assertThat(throughDelta.exceptAll(balanced).count()).isZero();
    // the original rows are read from the source's own files, not from copies
    List<String> sourceFiles = localPaths(DeltaIO.read(spark, source));
    assertThat(localPaths(balanced)).containsAll(sourceFiles);
    assertThat(localPaths(throughDelta)).containsAll(sourceFiles);
  }

  /** The files a Dataset reads, as local paths (readers spell the same file:/ URI differently). */
  private static List<String> localPaths(Dataset<Row> df) {
    return Arrays.stream(df.inputFiles()).map(f -> java.net.URI.create(f).getPath()).toList();
  }
}
