package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.testkit.SharedSpark;
import dev.prepsweep.trainer.Trainer;
import dev.prepsweep.trainer.TrainerContext;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plug-in trainer run by {@link TrialTask} in a real Spark task on Delta split tables: its rows and
 * parameters, epochs recorded as metrics, checkpoints that a later rung resumes from, and a broken
 * trainer's failure as a FAILED outcome. (The class comes from the test class path here; the example
 * module's TrainerPluginIT loads one from a separately built jar on a local-cluster.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginTrialTest {

  /**
   * "Trains" by counting: val_accuracy after epoch e is (the share of val rows with label 1) * e / epochs,
   * so the expected metrics follow from the data; its state is the epoch count, to check resumption.
   */
  public static final class CountingTrainer implements Trainer {
    @Override
    public List<String> columns() {
      return List.of("label_index", "text");
    }

    @Override
    public Set<String> parameters() {
      return Set.of("scale", "bad_metric");
    }

    @Override
    public void train(TrainerContext ctx) {
      int epoch = ctx.checkpoints().latest().map(c -> ByteBuffer.wrap(c.state()).getInt()).orElse(0);
      int ones = 0;
      for (int y : ctx.val().labels()) {
        ones += y;
      }
      double share = (double) ones / ctx.val().size();
      double scale = ((Number) ctx.params().getOrDefault("scale", 1.0)).doubleValue();
      String metric = ctx.params().containsKey("bad_metric") ? "val_precision" : "val_accuracy";
      while (!ctx.shouldStop()) {
        epoch++;
        ctx.metrics().report(epoch, Map.of(metric, scale * share * epoch / 10, "train_loss",
            (double) ctx.train().texts().length));
        ctx.checkpoints().save(epoch, ByteBuffer.allocate(4).putInt(epoch).array());
      }
    }
  }

  /**
   * Predicts the mean of the train targets: its val_rmse follows from the data. Asked for a classifier's metric
   * ({@code bad_metric}), it reports val_accuracy, which a regression trial rejects.
   */
  public static final class MeanTrainer implements Trainer {
    @Override
    public List<String> columns() {
      return List.of("label_index");
    }

    @Override
    public Set<String> parameters() {
      return Set.of("bad_metric");
    }

    @Override
    public void train(TrainerContext ctx) {
      if (ctx.task() != TrainerContext.Task.REGRESSION || ctx.classes() != 0) {
        throw new IllegalStateException("expected task REGRESSION with 0 classes, got " + ctx.task() + ", "
            + ctx.classes());
      }
      double mean = java.util.Arrays.stream(ctx.train().targets()).average().orElseThrow();
      double sse = 0;
      for (double y : ctx.val().targets()) {
        sse += (y - mean) * (y - mean);
      }
      String metric = ctx.params().containsKey("bad_metric") ? "val_accuracy" : "val_rmse";
      ctx.metrics().report(1, Map.of(metric, Math.sqrt(sse / ctx.val().size()), "train_loss", mean));
    }
  }

  /** Records what a classification trial's context says about its task, classes and targets. */
  public static final class TaskProbe implements Trainer {
    @Override
    public List<String> columns() {
      return List.of("label_index");
    }

    @Override
    public void train(TrainerContext ctx) {
      String targets;
      try {
        targets = "targets " + ctx.train().targets().length;
      } catch (IllegalStateException e) {
        targets = e.getMessage();
      }
      throw new IllegalStateException("task " + ctx.task() + ", classes " + ctx.classes() + ", " + targets);
    }
  }

  @TempDir
  static Path dir;
  SparkSession spark;
  TableVersion train;
  TableVersion val;
  SplitRows valRows;
  TableVersion regressionTrain;
  TableVersion regressionVal;

  @BeforeAll
  void tables() {
    spark = SharedSpark.session();
    train = write("train", TestData.synthetic(60, 1));
    valRows = TestData.synthetic(20, 2);
    val = write("val", valRows);
    regressionTrain = writeTargets("reg-train", new double[] {1, 2, 3, 6});
    regressionVal = writeTargets("reg-val", new double[] {0, 4, 5});
  }

  /** A regression split: label_index names the target's quantile bin, target is the number. */
  private TableVersion writeTargets(String name, double[] targets) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < targets.length; i++) {
      int bin = targets[i] < 3 ? 0 : 1;
      out.add(RowFactory.create(name + "-" + i, TrialTaskSparkTest.LABELS.get(bin), bin, "", name, targets[i]));
    }
    String path = dir.resolve(name).toString();
    spark.createDataFrame(out, TrialTaskSparkTest.SPLIT.add("target", org.apache.spark.sql.types.DataTypes.DoubleType))
        .write().format("delta").save(path);
    return new TableVersion(name, path, 0);
  }

  private TableVersion write(String name, SplitRows rows) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      out.add(RowFactory.create(name + "-" + i, TrialTaskSparkTest.LABELS.get(rows.labels()[i]), rows.labels()[i],
          rows.texts()[i], name));
    }
    String path = dir.resolve(name).toString();
    spark.createDataFrame(out, TrialTaskSparkTest.SPLIT).write().format("delta").save(path);
    return new TableVersion(name, path, 0);
  }

  private TrialSpec spec(int trial, int epochs, Map<String, Object> extra) {
    Map<String, Object> params = new HashMap<>(extra);
    params.put(TrainerPlugins.CLASS_PARAM, CountingTrainer.class.getName());
    params.put("epochs", (long) epochs);
    return new TrialSpec("sw-plugin", trial, 1, params, 42, "val_accuracy", true, train, val, TrialTaskSparkTest.LABELS,
        false).withArtifacts(dir.resolve("artifacts").toString());
  }

  private TrialSpec regressionSpec(int trial, Map<String, Object> extra) {
    Map<String, Object> params = new HashMap<>(extra);
    params.put(TrainerPlugins.CLASS_PARAM, MeanTrainer.class.getName());
    params.put("epochs", 1L);
    params.put("task", "regression");
    return new TrialSpec("sw-plugin-reg", trial, 1, params, 42, "val_rmse", false, regressionTrain, regressionVal,
        TrialTaskSparkTest.LABELS, false);
  }

  private TrialOutcome runInTask(TrialSpec spec) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return jsc.parallelize(List.of(spec), 1).map(TrialTask::run).collect().get(0);
  }

  @Test
  void everyReportedEpochBecomesMetricsAndTheBestIsChosenByTheObjective() {
    TrialOutcome o = runInTask(spec(1, 3, Map.of("scale", 2.0)));
    assertThat(o.complete()).as(o.error()).isTrue();
    assertThat(o.device()).isEqualTo("cpu");
    double share = java.util.Arrays.stream(valRows.labels()).sum() / 20.0;
    assertThat(o.epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
    assertThat(o.epochs()).extracting(EpochMetrics::valAccuracy)
        .containsExactly(2 * share / 10, 2 * share * 2 / 10, 2 * share * 3 / 10);
    assertThat(o.epochs()).allSatisfy(m -> {
      assertThat(m.trainLoss()).as("the trainer saw the 60 train rows").isEqualTo(60);
      assertThat(m.valRmse()).as("not reported").isNaN();
    });
    assertThat(o.best().epoch()).isEqualTo(3);
  }

  @Test
  void aPromotedTrialContinuesFromTheCheckpointOfItsRung() {
    TrialOutcome rung = runInTask(spec(2, 1, Map.of()));
    assertThat(rung.complete()).as(rung.error()).isTrue();
    assertThat(rung.epochs()).extracting(EpochMetrics::epoch).containsExactly(1);
    TrialOutcome promoted = runInTask(spec(2, 3, Map.of()));
    assertThat(promoted.complete()).as(promoted.error()).isTrue();
    assertThat(promoted.resumedFromEpoch()).isEqualTo(1);
    assertThat(promoted.epochs()).extracting(EpochMetrics::epoch).as("the restored epoch, then 2 and 3")
        .containsExactly(1, 2, 3);
    assertThat(promoted.epochs().get(0)).isEqualTo(rung.epochs().get(0));
  }

  @Test
  void aTrainerBreakingTheContractFailsItsTrialWithTheReason() {
    TrialOutcome o = runInTask(spec(3, 2, Map.of("bad_metric", true)));
    assertThat(o.complete()).isFalse();
    assertThat(o.error()).contains("metric 'val_precision' is not one prepsweep records");
    TrialOutcome unknownParam = runInTask(spec(4, 2, Map.of("momentum", 0.9)));
    assertThat(unknownParam.complete()).isFalse();
    assertThat(unknownParam.error()).contains("parameter 'momentum' is not read by trainer class");
  }

  @Test
  void aRegressionTrialToldItsTaskReadsTargetsAndReportsRegressionMetrics() {
    TrialOutcome o = runInTask(regressionSpec(5, Map.of()));
    assertThat(o.complete()).as(o.error()).isTrue();
    // mean of 1, 2, 3, 6 is 3; val 0, 4, 5 are off by 3, 1, 2
    assertThat(o.best().valRmse()).isCloseTo(Math.sqrt(14 / 3.0), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(o.best().trainLoss()).isEqualTo(3.0);
    assertThat(o.best().valAccuracy()).isNaN();

    TrialOutcome wrong = runInTask(regressionSpec(6, Map.of("bad_metric", true)));
    assertThat(wrong.complete()).isFalse();
    assertThat(wrong.error()).contains("metric 'val_accuracy' is not one of task: regression", "val_rmse");
  }

  @Test
  void underCrossValidationTheTrainerTrainsOnTheOtherFoldsAndValidatesOnItsOwn() {
    SplitRows rows = TestData.synthetic(30, 3);
    List<Row> out = new ArrayList<>();
    int ones = 0;
    for (int i = 0; i < rows.size(); i++) {
      out.add(RowFactory.create("cv-" + i, TrialTaskSparkTest.LABELS.get(rows.labels()[i]), rows.labels()[i],
          rows.texts()[i], "train", i % 3));
      ones += i % 3 == 1 ? rows.labels()[i] : 0;
    }
    String path = dir.resolve("cv-train").toString();
    spark.createDataFrame(out, TrialTaskSparkTest.SPLIT.add("fold", org.apache.spark.sql.types.DataTypes.IntegerType))
        .write().format("delta").save(path);
    TableVersion folds = new TableVersion("train", path, 0);
    Map<String, Object> params = new HashMap<>();
    params.put(TrainerPlugins.CLASS_PARAM, CountingTrainer.class.getName());
    params.put("epochs", 1L);
    TrialOutcome o = runInTask(new TrialSpec("sw-plugin-cv", 8, 1, params, 42, "val_accuracy", true, folds, val,
        TrialTaskSparkTest.LABELS, false).forFold(1, 3));
    assertThat(o.complete()).as(o.error()).isTrue();
    assertThat(o.best().trainLoss()).as("the 20 rows of folds 0 and 2 trained").isEqualTo(20);
    assertThat(o.best().valAccuracy()).as("fold 1's 10 rows validated").isEqualTo(ones / 10.0 / 10);
  }

  @Test
  void aClassificationTrialIsToldItsClassesAndHasNoTargets() {
    Map<String, Object> params = new HashMap<>();
    params.put(TrainerPlugins.CLASS_PARAM, TaskProbe.class.getName());
    params.put("epochs", 1L);
    TrialOutcome o = runInTask(new TrialSpec("sw-plugin-probe", 7, 1, params, 42, "val_accuracy", true, train, val,
        TrialTaskSparkTest.LABELS, false));
    assertThat(o.error()).contains("task CLASSIFICATION, classes 2, these rows have no numeric targets");
  }
}
