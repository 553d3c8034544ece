package dev.prepsweep.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.common.config.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JobConfigTest {

  private static final String SWEEP = TestJobs.MINIMAL_SWEEP;

  @Test
  void theShippedConfigParses() {
    JobConfig config = JobConfig.load(Path.of("../conf/prepsweep.yaml"));
    assertThat(config.seed()).isEqualTo(42);
    assertThat(config.warehouse()).isEqualTo("warehouse");
    assertThat(config.requireSweep().budget().trials()).isGreaterThanOrEqualTo(8);
    assertThat(config.requireSweep().parallelism()).isEqualTo(2);
    assertThat(config.prep()).isPresent();
    assertThat(config.train()).containsEntry("epochs", 4L);
  }

  @Test
  void taskRegressionReachesPrepAndTrialsAndIsCheckedBeforeSpark() {
    String regression = """
        task: regression
        train: {model: mlp, loss: huber, huber_delta: 0.5}
        sweep:
          method: random
          metric: {name: val_rmse, goal: minimize}
          parameters:
            loss: {values: [mse, mae]}
          budget: {trials: 2}
        """;
    JobConfig c = JobConfig.parse(regression, "job.yaml");
    assertThat(c.train()).containsEntry("task", "regression").containsEntry("loss", "huber");
    assertThat(JobConfig.parse(SWEEP, "job.yaml").train()).doesNotContainKey("task");
    assertThatThrownBy(() -> JobConfig.parse("task: ranking\n" + SWEEP, "job.yaml"))
        .isInstanceOf(ConfigException.class).hasMessage("job.yaml:1:7: key 'task' = 'ranking' must be one of [classification, regression]")
        .hasMessageContaining("classification").hasMessageContaining("regression");
    assertThatThrownBy(() -> JobConfig.parse(regression.replace("val_rmse, goal: minimize", "val_accuracy, goal: maximize"),
        "job.yaml")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 'sweep.metric'").hasMessageContaining("metric 'val_accuracy' is not reported for task:"
            + " regression; a regression sweep reports [val_rmse, val_mae, val_r2]");
    assertThatThrownBy(() -> JobConfig.parse(regression.replace("task: regression\n", ""), "job.yaml"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'loss' = huber applies to task: regression");
    assertThatThrownBy(() -> JobConfig.parse(regression.replace("loss: huber,", "loss: huber, class_weights: balanced,"),
        "job.yaml")).isInstanceOf(ConfigException.class).hasMessageContaining("task: regression has none");
    assertThatThrownBy(() -> JobConfig.parse(regression.replace("model: mlp,", "model: mlp, task: regression,"),
        "job.yaml")).isInstanceOf(ConfigException.class).hasMessageContaining("task is set at the top level");
  }

  @Test
  void defaultsApplyWhenKeysAreAbsent() {
    JobConfig config = JobConfig.parse(SWEEP, "job.yaml");
    assertThat(config.seed()).isEqualTo(JobDefaults.SEED);
    assertThat(config.warehouse()).isEqualTo(JobDefaults.WAREHOUSE);
    assertThat(config.resources()).isEqualTo(JobDefaults.RESOURCES);
    assertThat(config.prep()).isEmpty();
    assertThat(config.data().train()).isEqualTo("train");
  }

  @Test
  void dataTrainChoosesAPrepTrainingTable() {
    assertThat(JobConfig.parse("data: {train: train_balanced}\n" + SWEEP, "job.yaml").data().train())
        .isEqualTo("train_balanced");
    assertThatThrownBy(() -> JobConfig.parse("data: {train: val}\n" + SWEEP, "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("job.yaml:1:15: key 'data.train' = 'val' must be one of [train, train_augmented, train_balanced]");
    assertThatThrownBy(() -> JobConfig.parse("data: {test: x}\n", "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'data.test'");
  }

  @Test
  void dataTrainMustBeATableTheJobsOwnPrepWrites() {
    String prep = """
        prep:
          input: {format: csv, path: x.csv}
          columns: {id: id, label: label, text: text}
        """;
    assertThatThrownBy(() -> JobConfig.parse(prep + "data: {train: train_balanced}\n" + SWEEP, "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("job.yaml:4:15: key 'data.train' = train_balanced: prep writes train_balanced only when"
            + " prep.balance sets a method");
    assertThatThrownBy(() -> JobConfig.parse(prep + "data: {train: train_augmented}\n" + SWEEP, "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("prep writes train_augmented only when prep.augment");
    JobConfig balanced = JobConfig.parse(prep + "  balance: {method: random, target: max}\ndata: {train: train_balanced}\n"
        + SWEEP, "job.yaml");
    assertThat(balanced.data().train()).isEqualTo("train_balanced");
  }

  @Test
  void torchscriptSettingsParseWithGlobListsAndAMissingPathNamesTheRule() {
    JobConfig config = JobConfig.parse("train: {model: torchscript, path: /m/net.pt, freeze: [embedding.*, 'encoder.?.weight'],"
        + " head: [head.*]}\n" + SWEEP, "job.yaml");
    assertThat(config.train()).containsEntry("freeze", "embedding.*,encoder.?.weight").containsEntry("head", "head.*")
        .containsEntry("path", "/m/net.pt");
    assertThatThrownBy(() -> JobConfig.parse("train: {model: torchscript}\n" + SWEEP, "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("job.yaml:1:")
        .hasMessageContaining("training parameter 'path' = null is required for model torchscript");
  }

  @Test
  void aRelativeModuleOrTokenizerPathIsTakenFromTheWorkingDirectoryAndAUriStaysAsItIs() {
    // executors run in Spark's work folder: a relative path must reach them resolved on the driver
    Path cwd = Path.of("").toAbsolutePath();
    JobConfig relative = JobConfig.parse("train: {model: torchscript, path: models/../models/net.pt, inputs: tokens,"
        + " tokenizer: tok/tokenizer.json}\n" + SWEEP, "job.yaml");
    assertThat(relative.train()).containsEntry("path", cwd.resolve("models/net.pt").toString())
        .containsEntry("tokenizer", cwd.resolve("tok/tokenizer.json").toString());
    JobConfig uri = JobConfig.parse("train: {model: torchscript, path: 'hdfs://nn:8020/m/net.pt', inputs: tokens,"
        + " tokenizer: 'file:/t/tokenizer.json'}\n" + SWEEP, "job.yaml");
    assertThat(uri.train()).containsEntry("path", "hdfs://nn:8020/m/net.pt")
        .containsEntry("tokenizer", "file:/t/tokenizer.json");
  }

  @Test
  void unknownTopLevelKeyNamesKeyAndPosition() {
    assertThatThrownBy(() -> JobConfig.parse("seed: 1\nwarehous: x\n", "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("job.yaml:2:1: unknown key 'warehous'");
  }

  @Test
  void unknownTrainingSettingIsRejected() {
    assertThatThrownBy(() -> JobConfig.parse("train:\n  epoch: 3\n", "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("job.yaml:2:10: unknown key 'train.epoch'");
  }

  @Test
  void badTrainingValueNamesTheRule() {
    assertThatThrownBy(() -> JobConfig.parse("train:\n  dropout: 1.5\n", "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("training parameter 'dropout' = 1.5 must be in [0, 1)");
  }

  @Test
  void sweepParameterTheTrainerDoesNotKnowFailsBeforeAnyWork() {
    String yaml = SWEEP.replace("lr:", "learning_rate:");
    assertThatThrownBy(() -> JobConfig.parse(yaml, "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("parameter 'learning_rate' is not a training parameter");
  }

  @Test
  void metricTheTrainerDoesNotReportIsRejected() {
    String yaml = SWEEP.replace("val_accuracy", "val_auc");
    assertThatThrownBy(() -> JobConfig.parse(yaml, "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metric 'val_auc' is not reported by the trainer");
  }

  @Test
  void requireGpuNeedsGpus() {
    assertThatThrownBy(() -> JobConfig.parse("resources: {require_gpu: true}\n", "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 'resources.require_gpu' = true: needs resources.gpus > 0");
  }

  @Test
  void aMissingPrepInputFailsBeforeSparkWithThePathKeysPosition(@org.junit.jupiter.api.io.TempDir Path dir)
      throws java.io.IOException {
    java.nio.file.Files.writeString(dir.resolve("a.csv"), "id,text,label\n1,x,y\n");
    java.nio.file.Files.createDirectories(dir.resolve("empty"));
    String prep = """
        prep:
          input: {format: csv, path: '%s'}
          columns: {id: id, label: label, text: text}
        """;
    JobConfig.parse(prep.formatted(dir.resolve("a.csv")), "job.yaml").checkPrepInput();
    JobConfig.parse(prep.formatted(dir.resolve("*.csv")), "job.yaml").checkPrepInput();
    JobConfig.parse(prep.formatted(dir), "job.yaml").checkPrepInput();
    assertThatThrownBy(() -> JobConfig.parse(prep.formatted(dir.resolve("b.csv")), "job.yaml").checkPrepInput())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("job.yaml:2:30: key 'prep.input.path' = " + dir.resolve("b.csv")
            + ": no file or folder with data files at file://" + dir.resolve("b.csv"));
    assertThatThrownBy(() -> JobConfig.parse(prep.formatted(dir.resolve("*.tsv")), "job.yaml").checkPrepInput())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 'prep.input.path' = " + dir.resolve("*.tsv") + ": the pattern matches no file");
    assertThatThrownBy(() -> JobConfig.parse(prep.formatted(dir.resolve("empty")), "job.yaml").checkPrepInput())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no file or folder with data files at");
    assertThatThrownBy(() -> JobConfig.parse(prep.formatted("nosuchfs://host/data.csv"), "job.yaml").checkPrepInput())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 'prep.input.path' = nosuchfs://host/data.csv: cannot list nosuchfs://host/data.csv");
  }

  @Test
  void theCommandLineExitsWith2OnAMissingInputWithoutStartingSpark(@org.junit.jupiter.api.io.TempDir Path dir)
      throws java.io.IOException {
    Path job = dir.resolve("job.yaml");
    java.nio.file.Files.writeString(job, """
        prep:
          input: {format: csv, path: '%s'}
          columns: {id: id, label: label, text: text}
        """.formatted(dir.resolve("missing.csv")));
    // Other tests of this JVM may have a session: set it aside, so a session Main would create shows
    var active = org.apache.spark.sql.SparkSession.getActiveSession();
    var defaultSession = org.apache.spark.sql.SparkSession.getDefaultSession();
    org.apache.spark.sql.SparkSession.clearActiveSession();
    org.apache.spark.sql.SparkSession.clearDefaultSession();
    int code;
    boolean sparkStarted;
    try {
      code = dev.prepsweep.app.cli.Main.run(new String[] {"prep", "--config", job.toString(),
          "--warehouse", dir.resolve("wh").toString()}, System.out);
      sparkStarted = org.apache.spark.sql.SparkSession.getActiveSession().isDefined()
          || org.apache.spark.sql.SparkSession.getDefaultSession().isDefined();
    } finally {
      if (active.isDefined()) {
        org.apache.spark.sql.SparkSession.setActiveSession(active.get());
      }
      if (defaultSession.isDefined()) {
        org.apache.spark.sql.SparkSession.setDefaultSession(defaultSession.get());
      }
    }
    assertThat(code).isEqualTo(2);
    assertThat(sparkStarted).as("no Spark session was created").isFalse();
    assertThat(java.nio.file.Files.exists(dir.resolve("wh"))).isFalse();
  }

  @Test
  void cvNeedsThePrepSectionsFolds() {
    String prep = """
        prep:
          input: {format: csv, path: x.csv}
          columns: {id: id, label: label, text: text}
          split: {train: 0.8, val: 0.1, test: 0.1, folds: 3}
        """;
    assertThat(JobConfig.parse(prep + "cv: {folds: 3}\n" + SWEEP, "job.yaml").cv()).contains(new CrossValidation(3));
    assertThat(JobConfig.parse(SWEEP, "job.yaml").cv()).isEmpty();
    assertThatThrownBy(() -> JobConfig.parse(prep + "cv: {folds: 5}\n" + SWEEP, "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("job.yaml:5:13: key 'cv.folds' = 5: needs the prep job's fold column with 5 folds, but"
            + " the prep section makes 3 (prep.split.folds: 3); set prep.split.folds: 5");
    String noFolds = prep.replace(", folds: 3", "");
    assertThatThrownBy(() -> JobConfig.parse(noFolds + "cv: {folds: 3}\n" + SWEEP, "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 'cv.folds' = 3: needs the prep job's fold column with 3 folds, but the prep section"
            + " makes none (prep.split.folds: 0)");
    assertThatThrownBy(() -> JobConfig.parse("cv: {folds: 1}\n" + SWEEP, "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("job.yaml:1:13: key 'cv.folds' = 1: must be in [2, 100]");
    assertThatThrownBy(() -> JobConfig.parse("cv: {fold: 3}\n" + SWEEP, "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'cv.fold'");
  }

  @Test
  void classWeightsTableNeedsThePrepSectionToWriteThem() {
    String prep = """
        prep:
          input: {format: csv, path: x.csv}
          columns: {id: id, label: label, text: text}
          balance: {method: random, class_weights: false}
        """;
    assertThatThrownBy(() -> JobConfig.parse(prep + "train: {class_weights: table}\n" + SWEEP, "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("job.yaml:5:24: key 'train.class_weights' = table: needs the prep job's class_weights"
            + " table, which this prep section does not write");
    assertThat(JobConfig.parse(prep.replace("false", "true") + "train: {class_weights: table}\n" + SWEEP, "job.yaml")
        .train()).containsEntry("class_weights", "table");
    assertThat(JobConfig.parse(prep + "train: {class_weights: balanced}\n" + SWEEP, "job.yaml").train())
        .containsEntry("class_weights", "balanced");
    assertThatThrownBy(() -> JobConfig.parse("train: {class_weights: prep}\n" + SWEEP, "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("training parameter 'class_weights' = prep must be one of [none, balanced, table]"
            + " (true = balanced, false = none)");
  }
}
