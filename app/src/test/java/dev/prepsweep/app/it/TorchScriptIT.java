package dev.prepsweep.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.app.cli.Main;
import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.app.driver.BestTrialScorer;
import dev.prepsweep.app.driver.SweepDriver;
import dev.prepsweep.app.driver.SweepSummary;
import dev.prepsweep.app.spark.SparkSessions;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.training.score.ModelScorer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code model: torchscript} end to end on one shared {@code local-cluster}: sweeps of 4 trials fine-tune the
 * committed TorchScript fixtures (training-udf/src/test/python/make_torchscript.py) on executors, a text
 * classifier over token ids of the SpamAssassin sample and an MLP with BatchNorm over numeric features, the
 * best trial's module is kept as {@code model.pt} and scores the test split; a module with the wrong output
 * shape fails before any trial.
 */
class TorchScriptIT {

  private static final Path WORK = Path.of("target/it-torchscript").toAbsolutePath();
  private static final Path FIXTURES = TestData.REPO.resolve("training-udf/src/test/resources/torchscript");
  private static SparkSession spark;
  private static Path textWarehouse;
  private static Path featuresWarehouse;
  private static Path badWarehouse;

  @BeforeAll
  static void cluster() {
    // warehouses first: preparing them runs (and stops) a session of its own
    textWarehouse = PreparedSplits.warehouse(WORK.resolve("text"));
    badWarehouse = PreparedSplits.warehouse(WORK.resolve("bad"));
    featuresWarehouse = featuresPrep(WORK.resolve("features"));
    spark = SparkSessions.create("local-cluster[2,2,1536]", "TorchScriptIT");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static SweepSummary sweep(Path warehouse, String name, String yaml) {
    Path config = PreparedSplits.config(WORK.resolve(name), yaml);
    JobConfig job = JobConfig.load(config).withWarehouse(warehouse.toString());
    return new SweepDriver(spark, new Warehouse(spark, warehouse.toString())).run(job);
  }

  /**
   * The best trial's kept model scores the test split (as the command line does after a sweep); its accuracy. The
   * row of {@code test_metrics} names the best trial: on this cluster only executors load the model, so the driver
   * must take the ids from the saved {@code model.json}.
   */
  private static double testAccuracy(Path warehouse, SweepSummary s) {
    ModelScorer.TestMetrics m = BestTrialScorer.score(spark, new Warehouse(spark, warehouse.toString()), s)
        .orElseThrow();
    Row saved = spark.read().format("delta").load(warehouse + "/test_metrics")
        .filter(org.apache.spark.sql.functions.col("model_uri").equalTo(m.modelUri())).head();
    assertThat(saved.<String>getAs("sweep_id")).as("test_metrics.sweep_id").isNotNull().isEqualTo(s.sweepId());
    assertThat(saved.<Integer>getAs("trial_id")).as("test_metrics.trial_id").isNotNull().isEqualTo(s.bestTrialId());
    return saved.<Double>getAs("accuracy");
  }

  @Test
  void aSweepFineTunesATorchScriptTextClassifierAndKeepsTheBestModuleAsPt() {
    SweepSummary s = sweep(textWarehouse, "text", """
        train: {model: torchscript, path: %s, inputs: tokens, vocab_size: 1024, max_length: 64, epochs: 2,
                batch_size: 32, freeze: [embedding.weight], head: ["head.*"]}
        sweep:
          method: random
          metric: {name: val_accuracy, goal: maximize}
          parameters:
            lr: {distribution: log_uniform, min: 3.0e-3, max: 3.0e-2}
            head_lr_mult: {values: [1.0, 3.0]}
          budget: {trials: 4}
          parallelism: 2
        """.formatted(FIXTURES.resolve("text_classifier.pt")));
    assertThat(s.status()).isEqualTo("COMPLETE");
    assertThat(s.complete()).isEqualTo(4);
    List<Row> trials = spark.read().format("delta").load(textWarehouse + "/trials")
        .filter("state = 'COMPLETE'").select("model_uri").collectAsList();
    assertThat(trials).hasSize(4);
    for (Row t : trials) {
      // model_uri is a Hadoop path or URI (file: here)
      assertThat(Path.of(new org.apache.hadoop.fs.Path(t.getString(0)).toUri().getPath()).resolve("model.pt"))
          .as("the kept module").exists();
    }
    org.apache.spark.sql.Dataset<Row> test = spark.read().format("delta").load(textWarehouse + "/test");
    double majority = (double) test.groupBy("label").count().selectExpr("max(count)").head().getLong(0) / test.count();
    // the embedding stays frozen (random, as exported): the trained layers over its pooled vectors still
    // beat always answering the majority class
    assertThat(testAccuracy(textWarehouse, s)).as("the best module scored the test split").isGreaterThan(majority);
  }

  @Test
  void aSweepFineTunesATorchScriptMlpWithBatchNormOverNumericFeatures() {
    SweepSummary s = sweep(featuresWarehouse, "mlp", """
        train: {model: torchscript, path: %s, inputs: features, epochs: 3, batch_size: 32}
        sweep:
          method: random
          metric: {name: val_accuracy, goal: maximize}
          parameters:
            lr: {distribution: log_uniform, min: 3.0e-3, max: 3.0e-2}
          budget: {trials: 4}
          parallelism: 2
        """.formatted(FIXTURES.resolve("mlp_bn.pt")));
    assertThat(s.status()).isEqualTo("COMPLETE");
    assertThat(s.complete()).isEqualTo(4);
    // three Gaussian blobs, centres 2 sd apart per informative feature: a Bayes classifier gets ~0.9, chance 1/3
    assertThat(testAccuracy(featuresWarehouse, s)).isGreaterThan(0.7);
  }

  @Test
  void aModuleWithTheWrongOutputShapeFailsBeforeAnyTrial() {
    Path module = FIXTURES.resolve("mlp_wrong_out.pt");
    assertThatThrownBy(() -> sweep(badWarehouse, "bad", """
        train: {model: torchscript, path: %s, inputs: tokens, vocab_size: 1024, max_length: 16}
        sweep:
          method: random
          metric: {name: val_accuracy, goal: maximize}
          parameters:
            lr: {values: [0.01]}
          budget: {trials: 1}
        """.formatted(module)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("train.path: the TorchScript module " + module + " rejects a batch of the train data:"
            + " input int64 (64, 16), expected output (64, 2)");
    assertThat(badWarehouse.resolve("trials")).as("no trial ran").doesNotExist();
  }

  /**
   * {@code task: regression} end to end on the diabetes data scikit-learn ships (442 patients, 10 features, a
   * disease progression score 25..346): prep parses the label as a number and quarantines the two rows added here
   * whose label is not one, splits on quantile bins of the label, and a sweep of 4 MLPs (linear and one hidden
   * layer, MSE and Huber) reports val R2 per epoch; the best model scores the test split.
   */
  @Test
  void aRegressionSweepOnTheDiabetesDataReachesTheR2OfALinearModel() {
    Path warehouse = diabetes();
    Path config = PreparedSplits.config(DIABETES.resolve("mlp"), DIABETES_PREP + """
        train: {model: mlp, epochs: 40, batch_size: 32, hidden: 16, standardize: true}
        sweep:
          method: grid
          metric: {name: val_r2, goal: maximize}
          parameters:
            layers: {values: [0, 1]}
            loss: {values: [mse, huber]}
            lr: {values: [0.01]}
          budget: {trials: 4}
          parallelism: 2
        """);
    JobConfig job = JobConfig.load(config).withWarehouse(warehouse.toString());
    assertThat(diabetesPrep.rowsRead()).isEqualTo(444);
    List<Row> quarantined = spark.read().format("delta").load(warehouse + "/quarantine")
        .select("id", "rule").orderBy("id").collectAsList();
    assertThat(quarantined).extracting(r -> r.getString(0) + ":" + r.getString(1))
        .containsExactly("bad1:label.not_numeric", "bad2:label.not_numeric");
    // 5 bins of the label, each split holding them in the split's ratio (one row either way per bin)
    Row bins = spark.read().format("delta").load(warehouse + "/test").agg(
        org.apache.spark.sql.functions.countDistinct("label_index"), org.apache.spark.sql.functions.min("target"),
        org.apache.spark.sql.functions.max("target")).head();
    assertThat(bins.getLong(0)).isEqualTo(5);
    assertThat(diabetesPrep.splitClassCounts().get("test").values()).allSatisfy(n -> assertThat(n).isBetween(17L, 18L));

    SweepSummary s = new SweepDriver(spark, new Warehouse(spark, warehouse.toString())).run(job);
    assertThat(s.status()).isEqualTo("COMPLETE");
    assertThat(s.complete()).isEqualTo(4);
    Row best = spark.read().format("delta").load(warehouse + "/trials")
        .filter("state = 'COMPLETE' AND sweep_id = '" + s.sweepId() + "'").orderBy(org.apache.spark.sql.functions.col("val_r2").desc()).select("val_r2", "val_rmse", "val_mae").head();
    // ordinary least squares fitted on 265 diabetes rows scores R2 0.49 on 88 held-out rows (median over 500 random
    // splits; 5th percentile 0.35, 95th 0.58: 88 rows make R2 noisy). Bars a person would accept: 0.4 for the best of
    // four on val (this seed reaches 0.54), 0.3 on test (reached 0.37; the 5th percentile of OLS is 0.35)
    assertThat(best.getDouble(0)).as("best val R2").isGreaterThan(0.4);
    assertThat(best.getDouble(1)).as("val RMSE, the label's sd is ~77").isBetween(40.0, 65.0);
    double testR2 = BestTrialScorer.score(spark, new Warehouse(spark, warehouse.toString()), s).orElseThrow().r2();
    assertThat(testR2).as("test R2 of the best model").isGreaterThan(0.3);
    assertThat(spark.read().format("delta").load(warehouse + "/predictions").count()).as("one prediction per test row")
        .isEqualTo(spark.read().format("delta").load(warehouse + "/test").count());
  }

  /**
   * {@code task: regression} with {@code model: torchscript} on the same prepped diabetes data: the committed
   * {@code regressor.pt} (10 raw features in, one value out in the label's units, its own input scaling) is
   * fine-tuned by 4 trials reporting val RMSE and R2; the best trial keeps its module as {@code model.pt} beside
   * DJL's parameters and scores the test split into {@code test_metrics}' RMSE, MAE and R2.
   */
  @Test
  void aRegressionSweepFineTunesATorchScriptModuleThatReturnsOneValuePerRow() {
    Path warehouse = diabetes();
    Path config = PreparedSplits.config(DIABETES.resolve("torchscript"), DIABETES_PREP + """
        train: {model: torchscript, path: %s, inputs: features, epochs: 10, batch_size: 32}
        sweep:
          method: grid
          metric: {name: val_r2, goal: maximize}
          parameters:
            loss: {values: [mse, mae]}
            lr: {values: [0.01, 0.03]}
          budget: {trials: 4}
          parallelism: 2
        """.formatted(FIXTURES.resolve("regressor.pt")));
    SweepSummary s = new SweepDriver(spark, new Warehouse(spark, warehouse.toString()))
        .run(JobConfig.load(config).withWarehouse(warehouse.toString()));
    assertThat(s.status()).isEqualTo("COMPLETE");
    assertThat(s.complete()).isEqualTo(4);
    List<Row> trials = spark.read().format("delta").load(warehouse + "/trials")
        .filter("state = 'COMPLETE' AND sweep_id = '" + s.sweepId() + "'")
        .orderBy(org.apache.spark.sql.functions.col("val_r2").desc()).select("val_r2", "val_rmse", "model_uri")
        .collectAsList();
    assertThat(trials).hasSize(4);
    // the module starts untrained (R2 near or below 0); OLS reaches 0.49 on 88 held-out rows (5th percentile of
    // random splits 0.35, see the mlp sweep above); trained in Python on three splits the module reaches 0.45-0.56
    assertThat(trials.get(0).getDouble(0)).as("best val R2").isGreaterThan(0.35);
    assertThat(trials.get(0).getDouble(1)).as("val RMSE, the label's sd is ~77").isBetween(40.0, 65.0);
    Path best = Path.of(new org.apache.hadoop.fs.Path(trials.get(0).getString(2)).toUri().getPath());
    assertThat(best.resolve("model.pt")).as("the kept TorchScript module").exists();
    assertThat(best.resolve("model.params")).as("its DJL form beside it").exists();

    ModelScorer.TestMetrics test = BestTrialScorer.score(spark, new Warehouse(spark, warehouse.toString()), s)
        .orElseThrow();
    // on this cluster only executors load the model: the driver names the trial from the saved model.json
    Row saved = spark.read().format("delta").load(warehouse + "/test_metrics")
        .filter(org.apache.spark.sql.functions.col("model_uri").equalTo(test.modelUri()))
        .select("rmse", "mae", "r2", "accuracy", "sweep_id", "trial_id").head();
    assertThat(saved.getString(4)).as("test_metrics.sweep_id").isNotNull().isEqualTo(s.sweepId());
    assertThat(saved.isNullAt(5)).as("test_metrics.trial_id is null").isFalse();
    assertThat(saved.getInt(5)).as("test_metrics.trial_id").isEqualTo(s.bestTrialId());
    assertThat(saved.getDouble(0)).isEqualTo(test.rmse()).isBetween(40.0, 70.0);
    assertThat(saved.getDouble(1)).isEqualTo(test.mae()).isLessThan(saved.getDouble(0));
    assertThat(saved.getDouble(2)).as("test R2 (the mlp sweep's bar)").isEqualTo(test.r2()).isGreaterThan(0.3);
    assertThat(saved.isNullAt(3)).as("no classifier metric").isTrue();
  }

  private static final Path DIABETES = WORK.resolve("diabetes");
  private static Path diabetesWarehouse;
  private static dev.prepsweep.etl.PrepResult diabetesPrep;

  /** The prep section of the diabetes sweeps; the CSV gains two rows whose label is not a number. */
  private static final String DIABETES_PREP = """
      task: regression
      prep:
        input: {format: csv, path: %s}
        columns: {id: id, label: progression, features: [age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]}
        split: {train: 0.6, val: 0.2, test: 0.2, stratify: true, bins: 5}
      """.formatted(DIABETES.resolve("diabetes.csv"));

  /** The diabetes data prepped once for the regression sweeps (on the shared cluster). */
  private static synchronized Path diabetes() {
    if (diabetesWarehouse == null) {
      Diabetes.csv(DIABETES, List.of("bad1,n/a", "bad2,NaN"));
      Path warehouse = DIABETES.resolve("warehouse");
      JobConfig job = JobConfig.load(PreparedSplits.config(DIABETES.resolve("prep"), DIABETES_PREP))
          .withWarehouse(warehouse.toString());
      diabetesPrep = dev.prepsweep.etl.PrepJob.run(spark, job.requirePrep(), warehouse.toString(), job.seed());
      diabetesWarehouse = warehouse;
    }
    return diabetesWarehouse;
  }

  /** 300 rows of three Gaussian blobs in 5 features prepped into train/val/test (numeric features column). */
  private static Path featuresPrep(Path dir) {
    try {
      Files.createDirectories(dir);
      SplittableRandom rng = new SplittableRandom(5);
      List<String> lines = new ArrayList<>(List.of("id,label,note,f1,f2,f3,f4,f5"));
      for (int i = 0; i < 300; i++) {
        int y = rng.nextInt(3);
        StringBuilder line = new StringBuilder("r" + i + ",c" + y + ",row " + i);
        for (int j = 0; j < 5; j++) {
          double g = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
          line.append(',').append((j % 3 == y ? 2.0 : 0.0) + g);
        }
        lines.add(line.toString());
      }
      Path csv = dir.resolve("blobs.csv");
      Files.write(csv, lines);
      Path config = dir.resolve("prep.yaml");
      Files.writeString(config, """
          seed: 7
          prep:
            input: {format: csv, path: %s}
            columns: {id: id, label: label, text: note, features: [f1, f2, f3, f4, f5]}
            labels: {allowed: [c0, c1, c2]}
            split: {train: 0.6, val: 0.2, test: 0.2, stratify: true}
          """.formatted(csv));
      Path warehouse = dir.resolve("warehouse");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = Main.run(new String[] {"prep", "--config", config.toString(), "--warehouse", warehouse.toString(),
          "--master", "local[2]"}, new PrintStream(out, true, StandardCharsets.UTF_8));
      if (code != 0) {
        throw new IllegalStateException("prep of the blobs failed (" + code + "): " + out);
      }
      return warehouse;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
