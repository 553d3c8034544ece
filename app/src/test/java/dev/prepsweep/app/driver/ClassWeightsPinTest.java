package dev.prepsweep.app.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.testkit.SharedSpark;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code class_weights: table}: trials get the class_weights version the prep run wrote with the pinned
 * split, never the table's latest, and each trial records the choice and the version.
 */
class ClassWeightsPinTest {

  @TempDir
  static java.nio.file.Path dir;

  private static final List<String> LABELS = List.of("ham", "spam");
  private static final StructType SPLIT = new StructType().add("id", DataTypes.StringType)
      .add("label", DataTypes.StringType).add("label_index", DataTypes.IntegerType).add("text", DataTypes.StringType);
  private static final StructType WEIGHTS = new StructType().add("label", DataTypes.StringType)
      .add("label_index", DataTypes.IntegerType).add("rows", DataTypes.LongType).add("weight", DataTypes.DoubleType);
  private static final StructType PREP_RUNS = new StructType().add("run_id", DataTypes.StringType)
      .add("started_at", DataTypes.TimestampType)
      .add("output_versions", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType));

  private static final String JOB = """
      seed: 3
      train: {class_weights: table, epochs: 1, hidden: 8, hash_dim: 64}
      sweep:
        method: random
        metric: {name: val_accuracy, goal: maximize}
        parameters:
          lr: {distribution: log_uniform, min: 1.0e-3, max: 1.0e-2}
        budget: {trials: 1}
      """;
  /** What the prep run wrote with train and val. */
  private static final List<Double> WRITTEN = List.of(0.75, 1.5);

  // one warehouse for the class (Delta writes are the slow part): train, val, class_weights v0 written with
  // them (recorded in prep_runs), then a later class_weights v1 that trials must never see
  private static Warehouse warehouse;
  private static TableVersion train;
  private static TableVersion val;
  private static TableVersion weights0;
  private static TableVersion weights1;

  @BeforeAll
  static void warehouse() {
    SparkSession spark = SharedSpark.session();
    warehouse = new Warehouse(spark, dir.resolve("wh").toString());
    train = write(spark, warehouse, "train", split(30, 0));
    val = write(spark, warehouse, "val", split(10, 100));
    weights0 = write(spark, warehouse, "class_weights", weights(WRITTEN));
    prepRun(spark, warehouse, "run-1", Map.of("train", train.version(), "val", val.version(), "class_weights",
        weights0.version()));
    // one label only, with another weight: reading it would fail (or change the weights)
    weights1 = write(spark, warehouse, "class_weights", List.of(RowFactory.create("ham", 0, 1L, 9.0)));
  }

  @Test
  void trialsUseTheVersionWrittenWithTheSplitEvenAfterTheTableChanged() {
    SparkSession spark = SharedSpark.session();
    assertThat(weights1.version()).isGreaterThan(weights0.version());
    JobConfig config = JobConfig.parse(JOB, "job.yaml").withWarehouse(warehouse.root());
    assertThat(ClassWeightsPin.wanted(config)).isTrue();
    TableVersion pinned = ClassWeightsPin.find(spark, warehouse, config, train, val);
    assertThat(pinned.version()).isEqualTo(weights0.version());
    PinnedData data = PinnedData.resolve(spark, warehouse, train, val, Optional.empty(), Optional.of(pinned));
    assertThat(data.classWeights()).isEqualTo(WRITTEN);

    // the whole sweep: its one trial trains with table weights and records version 0, not the latest
    SweepSummary summary = new SweepDriver(spark, warehouse).run(config);
    assertThat(summary.complete()).isEqualTo(1);
    Row trial = spark.read().format("delta").load(warehouse.path("trials"))
        .select("state", "class_weights", "class_weights_version").collectAsList().get(0);
    assertThat(trial.getString(0)).isEqualTo("COMPLETE");
    assertThat(trial.getString(1)).isEqualTo("table");
    assertThat(trial.getLong(2)).isEqualTo(weights0.version());
    Row sweep = spark.read().format("delta").load(warehouse.path("sweeps")).collectAsList().get(0);
    assertThat(sweep.getJavaMap(sweep.fieldIndex("data_versions"))).containsEntry("class_weights", weights0.version());
  }

  @Test
  void noPrepRunWithClassWeightsForThePinnedSplitIsAConfigError() {
    SparkSession spark = SharedSpark.session();
    // a val version no recorded prep run wrote
    TableVersion otherVal = new TableVersion("val", val.path(), val.version() + 7);
    JobConfig config = JobConfig.parse(JOB, "job.yaml").withWarehouse(warehouse.root());
    assertThatThrownBy(() -> ClassWeightsPin.find(spark, warehouse, config, train, otherVal))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("job.yaml:2:24: key 'train.class_weights' = table")
        .hasMessageContaining("no prep run in " + warehouse.path("prep_runs") + " wrote 'class_weights' together with"
            + " train version " + train.version() + " and val version " + otherVal.version());
    // balanced and none need no table
    assertThat(ClassWeightsPin.wanted(JobConfig.parse(JOB.replace("class_weights: table", "class_weights: balanced"),
        "job.yaml"))).isFalse();
  }

  @Test
  void weightsThatDoNotMatchTheLabelsAreRejected() {
    SparkSession spark = SharedSpark.session();
    // version 1 has no weight for spam
    assertThatThrownBy(() -> PinnedData.resolve(spark, warehouse, train, val, Optional.empty(), Optional.of(weights1)))
        .isInstanceOf(dev.prepsweep.tables.PinnedDataException.class)
        .hasMessageContaining("version " + weights1.version() + " does not give the sweep's class weights: no weight for"
            + " [spam]");
  }

  /** Rows of a two-class split whose classes use different words (learnable in one epoch). */
  private static List<Row> split(int n, int firstId) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int y = i % 3 == 0 ? 1 : 0;
      rows.add(RowFactory.create("m" + (firstId + i), LABELS.get(y), y, y == 1 ? "win money now " + i : "meeting notes " + i));
    }
    return rows;
  }

  private static List<Row> weights(List<Double> w) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < w.size(); i++) {
      rows.add(RowFactory.create(LABELS.get(i), i, 10L, w.get(i)));
    }
    return rows;
  }

  private static TableVersion write(SparkSession spark, Warehouse warehouse, String table, List<Row> rows) {
    StructType schema = table.equals("class_weights") ? WEIGHTS : SPLIT;
    spark.createDataFrame(rows, schema).coalesce(1).write().format("delta").mode(SaveMode.Overwrite)
        .save(warehouse.path(table));
    return warehouse.latest(table);
  }

  private static void prepRun(SparkSession spark, Warehouse warehouse, String runId, Map<String, Long> outputs) {
    spark.createDataFrame(List.of(RowFactory.create(runId, new Timestamp(System.currentTimeMillis()),
        CollectionConverters.asScala(outputs))), PREP_RUNS).write().format("delta").mode(SaveMode.Append)
        .save(warehouse.path("prep_runs"));
  }
}
