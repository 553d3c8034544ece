package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.testkit.SharedSpark;
import dev.prepsweep.training.score.ModelScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trials inside real Spark tasks on Delta split tables made from the bundled SpamAssassin sample:
 * executor-side reads of pinned snapshots, checkpoints and resumption, failures as outcomes, and the
 * best model scoring the test split into Delta.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrialTaskSparkTest {

  static final StructType SPLIT = new StructType().add("id", DataTypes.StringType).add("label", DataTypes.StringType)
      .add("label_index", DataTypes.IntegerType).add("text", DataTypes.StringType).add("split", DataTypes.StringType);
  static final List<String> LABELS = List.of("ham", "spam");

  @TempDir
  static Path dir;
  SparkSession spark;
  TableVersion train;
  TableVersion val;
  String testPath;

  @BeforeAll
  void tables() {
    spark = SharedSpark.session();
    SplitRows trainRows = TestData.spamAssassin(4, 0, false);
    SplitRows heldOut = TestData.spamAssassin(4, 0, true);
    // the sample is ordered by group (easy ham, hard ham, spam): val and test take alternate held-out rows
    train = write("train", trainRows, 0, 1);
    val = write("val", heldOut, 0, 2);
    testPath = write("test", heldOut, 1, 2).path();
  }

  @AfterAll
  void clear() {
    ModelScorer.clearCache();
  }

  private TableVersion write(String name, SplitRows rows, int from, int step) {
    List<Row> out = new ArrayList<>();
    for (int i = from; i < rows.size(); i += step) {
      out.add(RowFactory.create(name + "-" + i, LABELS.get(rows.labels()[i]), rows.labels()[i], rows.texts()[i], name));
    }
    String path = dir.resolve(name).toString();
    spark.createDataFrame(out, SPLIT).repartition(2).write().format("delta").save(path);
    return new TableVersion(name, path, 0);
  }

  private TrialSpec spec(int trial, Map<String, Object> params) {
    return new TrialSpec("sw-test", trial, 1, params, 42, "val_accuracy", true, train, val, LABELS, false);
  }

  private TrialOutcome runInTask(TrialSpec spec) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return jsc.parallelize(List.of(spec), 1).map(TrialTask::run).collect().get(0);
  }

  @Test
  void aTrialTrainsInATaskCheckpointsResumesAndItsBestModelScoresTheTestSplit() throws Exception {
    String artifacts = dir.resolve("artifacts").toUri().toString();
    Map<String, Object> params = new HashMap<>(Map.of("model", "mlp_text", "lr", 1e-2, "hidden", 32L, "epochs", 2L,
        "batch_size", 32L, "hash_dim", 1024L, "lr_schedule", "cosine"));
    TrialOutcome first = runInTask(spec(1, params).withArtifacts(artifacts));
    assertThat(first.error()).isNull();
    assertThat(first.complete()).isTrue();
    assertThat(first.epochs()).hasSize(2);
    assertThat(first.best().valAccuracy()).isGreaterThan(0.9);
    assertThat(first.best().valRocAuc()).isGreaterThan(0.9);
    assertThat(first.modelUri()).endsWith("/sw-test/trial-1/best");
    assertThat(first.resumedFromEpoch()).isZero();

    // promotion (successive halving) or retry: the same trial with a larger budget continues from epoch 2
    params.put("epochs", 3L);
    TrialOutcome promoted = runInTask(spec(1, params).withArtifacts(artifacts));
    assertThat(promoted.error()).isNull();
    assertThat(promoted.resumedFromEpoch()).isEqualTo(2);
    assertThat(promoted.epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
    assertThat(promoted.epochs().subList(0, 2)).isEqualTo(first.epochs());

    // a different architecture under the same trial's checkpoint is refused, as a FAILED outcome
    params.put("hidden", 16L);
    TrialOutcome mismatch = runInTask(spec(1, params).withArtifacts(artifacts));
    assertThat(mismatch.complete()).isFalse();
    assertThat(mismatch.error()).contains("was written for").contains("hidden=32");

    Dataset<Row> test = spark.read().format("delta").load(testPath);
    String predictions = dir.resolve("predictions").toString();
    ModelScorer.TestMetrics metrics = ModelScorer.scoreToDelta(test, promoted.modelUri(), predictions, "test");
    assertThat(metrics.rows()).isEqualTo(test.count());
    assertThat(metrics.accuracy()).isGreaterThan(0.9);
    assertThat(metrics.rocAuc()).isGreaterThan(0.9);
    assertThat(metrics.trialId()).isEqualTo(1);
    Dataset<Row> scored = spark.read().format("delta").load(predictions);
    assertThat(scored.schema().fieldNames()).containsExactly(ModelScorer.PREDICTIONS.fieldNames());
    Row one = scored.where("id is not null").first();
    assertThat(one.getString(one.fieldIndex("predicted_label"))).isIn(LABELS);
    // the distributed metrics agree with ClassificationMetrics over the same predictions
    List<Row> rows = scored.select("label_index", "probabilities").collectAsList();
    float[] p = new float[rows.size() * 2];
    int[] y = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      y[i] = rows.get(i).getInt(0);
      List<Double> probs = rows.get(i).getList(1);
      p[2 * i] = probs.get(0).floatValue();
      p[2 * i + 1] = probs.get(1).floatValue();
    }
    ClassificationMetrics local = ClassificationMetrics.of(p, y, 2);
    assertThat(metrics.accuracy()).isCloseTo(local.accuracy(), org.assertj.core.api.Assertions.within(1e-12));
    assertThat(metrics.macroF1()).isCloseTo(local.macroF1(), org.assertj.core.api.Assertions.within(1e-12));
    assertThat(metrics.rocAuc()).isCloseTo(local.rocAuc(), org.assertj.core.api.Assertions.within(1e-9));
    assertThat(metrics.logLoss()).isCloseTo(local.logLoss(), org.assertj.core.api.Assertions.within(1e-5));

    // the same model as a stage of a Spark ML pipeline
    org.apache.spark.ml.PipelineModel pipeline = new org.apache.spark.ml.Pipeline()
        .setStages(new org.apache.spark.ml.PipelineStage[] {
            new dev.prepsweep.training.score.DjlModelTransformer(promoted.modelUri())})
        .fit(test);
    Dataset<Row> viaPipeline = pipeline.transform(test);
    assertThat(viaPipeline.schema().fieldNames()).containsExactly(ModelScorer.PREDICTIONS.fieldNames());
    assertThat(viaPipeline.count()).isEqualTo(test.count());

    String metricsTable = dir.resolve("test_metrics").toString();
    ModelScorer.appendMetrics(spark, metrics, metricsTable);
    Row saved = spark.read().format("delta").load(metricsTable).first();
    assertThat(saved.getString(saved.fieldIndex("split"))).isEqualTo("test");
    assertThat(saved.getDouble(saved.fieldIndex("accuracy"))).isEqualTo(metrics.accuracy());
  }

  /** Runs {@code spec} in a Spark task; returns its outcome and how many epochs the task trained (not restored). */
  private Map.Entry<TrialOutcome, Long> runCountingEpochs(TrialSpec spec) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    org.apache.spark.util.LongAccumulator trained = jsc.sc().longAccumulator("epochs trained");
    TrialOutcome o = jsc.parallelize(List.of(spec), 1).map(s -> TrialTask.run(s, m -> trained.add(1))).collect().get(0);
    return Map.entry(o, trained.value());
  }

  @Test
  void aFoldTaskContinuesFromItsOwnCheckpointAndAFinishedFoldTrainsNothing() {
    // train with the prep job's fold column (3 folds, dealt round-robin so each holds every class)
    SplitRows rows = TestData.spamAssassin(4, 0, false);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      out.add(RowFactory.create("f-" + i, LABELS.get(rows.labels()[i]), rows.labels()[i], rows.texts()[i], "train", i % 3));
    }
    String path = dir.resolve("train_folds").toString();
    spark.createDataFrame(out, SPLIT.add("fold", DataTypes.IntegerType)).repartition(1).write().format("delta").save(path);
    TableVersion folded = new TableVersion("train", path, 0);
    String artifacts = dir.resolve("cv-artifacts").toUri().toString();
    Map<String, Object> params = new HashMap<>(Map.of("model", "mlp_text", "lr", 1e-2, "hidden", 16L, "epochs", 1L,
        "batch_size", 32L, "hash_dim", 512L));
    java.util.function.Function<Integer, TrialSpec> fold = f -> new TrialSpec("sw-cv", 1, 1, params, 42, "val_accuracy",
        true, folded, val, LABELS, false).withArtifacts(artifacts).forFold(f, 3);

    // attempt 1 was lost after fold 1 trained one epoch
    Map.Entry<TrialOutcome, Long> first = runCountingEpochs(fold.apply(1));
    assertThat(first.getKey().error()).isNull();
    assertThat(first.getValue()).isEqualTo(1);

    // the rerun's fold 1 continues from its epoch-1 checkpoint: it trains epoch 2 only
    params.put("epochs", 2L);
    Map.Entry<TrialOutcome, Long> rerun = runCountingEpochs(fold.apply(1));
    assertThat(rerun.getKey().complete()).isTrue();
    assertThat(rerun.getKey().resumedFromEpoch()).isEqualTo(1);
    assertThat(rerun.getValue()).as("epochs trained by the rerun").isEqualTo(1);
    assertThat(rerun.getKey().epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2);
    assertThat(rerun.getKey().epochs().get(0)).isEqualTo(first.getKey().epochs().get(0));
    assertThat(rerun.getKey().modelUri()).endsWith("/sw-cv/trial-1/fold-1/best");

    // fold 0 keeps its own checkpoint: fold 1's does not make it skip its epochs
    Map.Entry<TrialOutcome, Long> fold0 = runCountingEpochs(fold.apply(0));
    assertThat(fold0.getKey().resumedFromEpoch()).isZero();
    assertThat(fold0.getValue()).isEqualTo(2);

    // a fold that finished and is launched again (a driver that never heard of it) trains nothing and returns its
    // recorded epochs
    Map.Entry<TrialOutcome, Long> again = runCountingEpochs(fold.apply(1));
    assertThat(again.getKey().complete()).isTrue();
    assertThat(again.getValue()).isZero();
    assertThat(again.getKey().epochs()).isEqualTo(rerun.getKey().epochs());
  }

  @Test
  void mlpAndCnnReadFeatureArraysAndImageBytesFromDelta() {
    StructType schema = SPLIT.add("features", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("image", DataTypes.BinaryType);
    SplitRows blobs = TestData.blobs(600, 51);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < blobs.size(); i++) {
      Double[] f = Arrays.stream(blobs.features()[i]).boxed().toArray(Double[]::new);
      if (i == 3) {
        f[1] = null; // a missing value reads as NaN and is imputed with the train mean
      }
      int y = blobs.labels()[i];
      byte[] image = new byte[8 * 8]; // the class drawn as a bright row of an 8x8 image
      java.util.Arrays.fill(image, y * 16, y * 16 + 8, (byte) 200);
      rows.add(RowFactory.create("b-" + i, "c" + y, y, "", i < 450 ? "train" : "val",
          scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(f)).toSeq(), image));
    }
    Dataset<Row> all = spark.createDataFrame(rows, schema);
    String trainPath = dir.resolve("blobs_train").toString();
    String valPath = dir.resolve("blobs_val").toString();
    all.where("split = 'train'").write().format("delta").save(trainPath);
    all.where("split = 'val'").write().format("delta").save(valPath);
    TableVersion t = new TableVersion("train", trainPath, 0);
    TableVersion v = new TableVersion("val", valPath, 0);
    for (Map<String, Object> params : List.<Map<String, Object>>of(
        Map.of("model", "mlp", "lr", 0.01, "epochs", 4L, "hidden", 32L),
        Map.of("model", "cnn", "lr", 0.01, "epochs", 3L, "image_size", 8L, "conv_channels", 4L, "conv_blocks", 1L,
            "hidden", 16L))) {
      TrialSpec spec = new TrialSpec("sw-test", 7, 1, params, 3, "val_accuracy", true, t, v, List.of("c0", "c1", "c2"), false);
      TrialOutcome o = runInTask(spec);
      assertThat(o.error()).as("%s", params).isNull();
      // blobs: a Bayes classifier gets ~0.9; images: the class is drawn, so it is learnt exactly
      assertThat(o.best().valAccuracy()).as("%s", params).isGreaterThan(0.8);
    }
  }

  @Test
  void textCnnLearnsTheSpamAssassinSample() {
    TrialOutcome o = runInTask(spec(2, Map.of("model", "text_cnn", "lr", 3e-3, "epochs", 2L, "batch_size", 32L,
        "vocab_size", 8192L, "embed_dim", 32L, "conv_filters", 32L, "max_tokens", 128L, "hidden", 32L)));
    assertThat(o.error()).isNull();
    assertThat(o.best().valAccuracy()).isGreaterThan(0.9);
    assertThat(o.modelUri()).isNull(); // no artifact location: nothing kept
  }

  @Test
  void trialFailuresAreOutcomesNotTaskFailures() {
    TrialOutcome diverged = runInTask(spec(3, Map.of("lr", 9.0, "optimizer", "sgd", "momentum", 0.99, "epochs", 3L,
        "hash_dim", 64L, "batch_size", 8L)));
    TrialOutcome badParam = runInTask(spec(4, Map.of("model", "mlp_txt")));
    TrialOutcome noFeatures = runInTask(spec(5, Map.of("model", "mlp")));
    TrialSpec gpu = new TrialSpec("sw-test", 6, 1, Map.of(), 1, "val_accuracy", true, train, val, LABELS, true);
    TrialOutcome noGpu = runInTask(gpu);
    // about 1,350 rows x hash_dim 2^20 x 4 B: over 5 GiB, far beyond the test JVM's heap
    TrialOutcome tooLarge = runInTask(spec(7, Map.of("hash_dim", 1048576L, "epochs", 1L)));
    assertThat(badParam.complete()).isFalse();
    assertThat(badParam.error()).contains("training parameter 'model' = mlp_txt must be one of");
    assertThat(noFeatures.error()).contains("model 'mlp' trains on the numeric 'features' column");
    assertThat(noGpu.error()).contains("the sweep requires a GPU but Spark assigned none to this task");
    assertThat(tooLarge.complete()).isFalse();
    assertThat(tooLarge.error()).contains("TrainerMemoryException: the trial needs about")
        .contains("x hash_dim 1048576 x 4 B").contains("raise spark.executor.memory");
    // a huge SGD step on unnormalised data may or may not overflow; if it does, the reason is given
    if (!diverged.complete()) {
      assertThat(diverged.error()).contains("training loss became");
    }
  }
}
