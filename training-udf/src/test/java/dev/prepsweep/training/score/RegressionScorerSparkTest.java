package dev.prepsweep.training.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.testkit.SharedSpark;
import dev.prepsweep.training.TrialOutcome;
import dev.prepsweep.training.TrialSpec;
import dev.prepsweep.training.TrialTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A regression model scores a test split of more rows than one chunk in one partition: the partition streams
 * (one chunk of rows taken at a time) and the distributed RMSE, MAE and R2 equal a plain computation over the
 * written predictions.
 */
class RegressionScorerSparkTest {

  static final StructType SPLIT = new StructType().add("id", DataTypes.StringType).add("label", DataTypes.StringType)
      .add("label_index", DataTypes.IntegerType).add("text", DataTypes.StringType)
      .add("features", DataTypes.createArrayType(DataTypes.DoubleType, false)).add("target", DataTypes.DoubleType);

  @TempDir
  static Path dir;

  @AfterAll
  static void clear() {
    ModelScorer.clearCache();
  }

  /** {@code target = 3 x1 - 2 x2 + noise} over three standard normal features; label_index: the target's sign bin. */
  private static String write(SparkSession spark, String name, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = {gaussian(rng), gaussian(rng), gaussian(rng)};
      double y = 3 * x[0] - 2 * x[1] + 0.5 * gaussian(rng);
      rows.add(RowFactory.create(name + "-" + i, String.valueOf(y), y < 0 ? 0 : 1, "",
          List.of(x[0], x[1], x[2]), y));
    }
    String path = dir.resolve(name).toString();
    spark.createDataFrame(rows, SPLIT).coalesce(1).write().format("delta").save(path);
    return path;
  }

  private static double gaussian(SplittableRandom rng) {
    return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  @Test
  void aTestSplitLargerThanAChunkStreamsAndItsMetricsEqualAPlainComputation() throws Exception {
    SparkSession spark = SharedSpark.session();
    TableVersion train = new TableVersion("train", write(spark, "train", 300, 1), 0);
    TableVersion val = new TableVersion("val", write(spark, "val", 100, 2), 0);
    int testRows = 2 * ModelScorer.CHUNK + 88;
    String testPath = write(spark, "test", testRows, 3);
    Map<String, Object> params = Map.of("task", "regression", "model", "mlp", "layers", 0L, "lr", 0.05,
        "epochs", 2L, "batch_size", 32L);
    TrialOutcome trial = TrialTask.run(new TrialSpec("sw-reg", 1, 1, params, 42, "val_rmse", false, train, val,
        List.of("negative", "positive"), false).withArtifacts(dir.resolve("artifacts").toUri().toString()));
    assertThat(trial.error()).isNull();
    String model = trial.modelUri();

    // one partition of 600 rows: the scorer takes one chunk, scores it, and hands its rows out before the next
    Dataset<Row> test = spark.read().format("delta").load(testPath);
    Iterator<Row> source = test.select("id", "target", "text", "features").withColumn("image",
        org.apache.spark.sql.functions.lit(null).cast("binary")).collectAsList().iterator();
    int[] taken = {0};
    Iterator<Row> counted = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return source.hasNext();
      }

      @Override
      public Row next() {
        taken[0]++;
        return source.next();
      }
    };
    Iterator<Row> scored = new RegressionScorer.Partition(model).call(counted);
    assertThat(scored.next().getString(0)).isEqualTo("test-0");
    assertThat(taken[0]).as("rows taken for the first prediction: one chunk, not the partition")
        .isEqualTo(ModelScorer.CHUNK);

    String predictions = dir.resolve("predictions").toString();
    ModelScorer.TestMetrics metrics = ModelScorer.scoreToDelta(test, model, predictions, "test");
    assertThat(test.rdd().getNumPartitions()).as("the test split is one partition").isEqualTo(1);
    List<Row> written = spark.read().format("delta").load(predictions).select("target", "prediction")
        .collectAsList();
    assertThat(written).hasSize(testRows);
    assertThat(metrics.rows()).isEqualTo(testRows);
    double sse = 0;
    double sae = 0;
    double mean = written.stream().mapToDouble(r -> r.getDouble(0)).average().orElseThrow();
    double sst = 0;
    for (Row r : written) {
      double e = r.getDouble(1) - r.getDouble(0);
      sse += e * e;
      sae += Math.abs(e);
      sst += (r.getDouble(0) - mean) * (r.getDouble(0) - mean);
    }
    // the same sums in another order: equal to rounding of doubles
    assertThat(metrics.rmse()).isCloseTo(Math.sqrt(sse / testRows), within(1e-9));
    assertThat(metrics.mae()).isCloseTo(sae / testRows, within(1e-9));
    assertThat(metrics.r2()).isCloseTo(1 - sse / sst, within(1e-9));
    // the target's variance is 13.25; a linear model after two epochs explains most of it
    assertThat(metrics.r2()).isGreaterThan(0.8);
  }
}
