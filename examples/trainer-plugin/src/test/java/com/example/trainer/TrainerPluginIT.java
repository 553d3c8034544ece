package com.example.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.app.cli.Main;
import dev.prepsweep.app.spark.SparkSessions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A user's trainer end to end: this module's jar, built by Maven's package phase and NOT on this
 * test's class path, is shipped with {@code --jars}; prepsweep preps a sample of the SpamAssassin
 * data and sweeps the trainer's parameters on the embedded local-cluster (two executor JVMs that
 * load the class from the shipped jar), recording every trial like a built-in model's.
 */
class TrainerPluginIT {

  private static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
  private static final Path WORK = Path.of("target/it-plugin").toAbsolutePath();
  private static final Path JAR = Path.of("target/trainer-plugin.jar").toAbsolutePath();
  private static final String CLASS = "com.example.trainer.HashedLogisticTrainer";

  @Test
  void aSweepOfTheUsersTrainerFromItsOwnJarRecordsEveryTrial() throws IOException {
    assertThat(JAR).as("the example's jar (mvn package)").isRegularFile();
    assertThatThrownBy(() -> Class.forName(CLASS)).as("the trainer reaches prepsweep only through --jars")
        .isInstanceOf(ClassNotFoundException.class);
    Path warehouse = WORK.resolve("warehouse-" + System.nanoTime());
    Path config = config(WORK, """
        train:
          model: {class: %s}
          epochs: 3
          buckets: 512
        sweep:
          method: random
          metric: {name: val_accuracy, goal: maximize}
          parameters:
            lr: {distribution: log_uniform, min: 1.0e-2, max: 3.0e-1}
            l2: {values: [0.0, 1.0e-4]}
          budget: {trials: 4}
          parallelism: 2
        """.formatted(CLASS));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // prep in one local JVM (cheaper than starting executors for it), then the sweep on the cluster
    int code = Main.run(new String[] {"prep", "--config", config.toString(), "--warehouse", warehouse.toString(),
        "--master", "local[2]"}, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
    code = Main.run(new String[] {"sweep", "--config", config.toString(), "--warehouse", warehouse.toString(),
        "--master", "local-cluster[2,1,1024]", "--jars", JAR.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();

    SparkSession spark = SparkSessions.create("local[2]", "TrainerPluginIT checks");
    try {
      Dataset<Row> trials = spark.read().format("delta").load(warehouse + "/trials");
      assertThat(trials.count()).isEqualTo(4);
      assertThat(trials.filter("state = 'COMPLETE'").count()).as("every trial of the plug-in completed").isEqualTo(4);
      assertThat(trials.filter("epochs = 3 AND params_json LIKE '%" + CLASS + "%'").count()).isEqualTo(4);
      assertThat(trials.filter("executor_id = 'driver'").count()).as("trials ran on executors").isZero();
      // hashed logistic regression separates ham from spam far better than the 69% majority class
      assertThat(trials.agg(org.apache.spark.sql.functions.max("val_accuracy")).head().getDouble(0))
          .isGreaterThan(0.85);
      Dataset<Row> metrics = spark.read().format("delta").load(warehouse + "/trial_metrics");
      assertThat(metrics.count()).as("3 epochs of 4 trials").isEqualTo(12);
      assertThat(metrics.filter("val_loss IS NULL OR train_loss IS NULL OR isnan(val_loss)").count()).isZero();
      assertThat(metrics.filter("val_rmse IS NOT NULL AND NOT isnan(val_rmse)").count())
          .as("metrics the trainer did not report stay missing").isZero();
    } finally {
      spark.stop();
    }
  }

  /**
   * The same jar under {@code task: regression}: the trainer is told the task and fits least squares on the
   * diabetes data Debian's python3-sklearn ships (442 patients, 10 features, a progression score), reporting
   * val_rmse, val_mae and val_r2, which the sweep optimises; the report charts them per epoch.
   */
  @Test
  void aRegressionSweepOfTheUsersTrainerReportsRegressionMetrics() throws IOException {
    Path dir = WORK.resolve("regression-" + System.nanoTime());
    Path warehouse = dir.resolve("warehouse");
    Path config = dir.resolve("job.yaml");
    Files.createDirectories(dir);
    Files.writeString(config, """
        seed: 7
        task: regression
        prep:
          input: {format: csv, path: %s}
          columns: {id: id, label: progression, features: [age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]}
          split: {train: 0.6, val: 0.2, test: 0.2, stratify: true, bins: 5}
        train:
          model: {class: %s}
          epochs: 4
        sweep:
          method: grid
          metric: {name: val_r2, goal: maximize}
          parameters:
            lr: {values: [3.0e-3, 1.0e-2]}
          budget: {trials: 2}
          parallelism: 2
        """.formatted(diabetesCsv(dir), CLASS));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"prep", "--config", config.toString(), "--warehouse", warehouse.toString(),
        "--master", "local[2]"}, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
    out.reset();
    code = Main.run(new String[] {"sweep", "--config", config.toString(), "--warehouse", warehouse.toString(),
        "--master", "local-cluster[2,1,1024]", "--jars", JAR.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();

    SparkSession spark = SparkSessions.create("local[2]", "TrainerPluginIT regression checks");
    try {
      Dataset<Row> trials = spark.read().format("delta").load(warehouse + "/trials");
      assertThat(trials.filter("state = 'COMPLETE' AND executor_id <> 'driver'").count()).isEqualTo(2);
      // a linear model explains about half of the progression's variance (scikit-learn's LinearRegression: ~0.5);
      // predicting the mean scores 0
      assertThat(trials.agg(org.apache.spark.sql.functions.max("val_r2")).head().getDouble(0)).isGreaterThan(0.3);
      Dataset<Row> metrics = spark.read().format("delta").load(warehouse + "/trial_metrics");
      assertThat(metrics.count()).as("4 epochs of 2 trials").isEqualTo(8);
      assertThat(metrics.filter("isnan(val_rmse) OR isnan(val_mae) OR isnan(val_r2) OR val_rmse IS NULL").count())
          .isZero();
      assertThat(metrics.filter("val_accuracy IS NOT NULL AND NOT isnan(val_accuracy)").count())
          .as("a regression trainer reports no classification metric").isZero();
    } finally {
      spark.stop();
    }
    // the report the sweep wrote charts the regression metrics per epoch
    String report = printed.lines().filter(l -> l.startsWith("report: ")).reduce((a, b) -> b).orElseThrow();
    String html = Files.readString(Path.of(java.net.URI.create(report.substring("report: ".length()).trim())));
    assertThat(html).contains("Learning curves: val_r2 per epoch", "data-chart=\"curves-val_rmse\"",
        "data-chart=\"curves-val_mae\"", "data-chart=\"curves-train_loss\"").doesNotContain("val_accuracy");
  }

  @Test
  void aClassTheJarDoesNotHoldFailsBeforeSparkWithExitCode2() throws IOException {
    Path config = config(WORK.resolve("missing"), """
        train: {model: {class: com.example.trainer.NoSuchTrainer}}
        sweep:
          method: random
          metric: {name: val_accuracy, goal: maximize}
          parameters: {lr: {values: [0.1]}}
          budget: {trials: 1}
        """);
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = Main.run(new String[] {"sweep", "--config", config.toString(), "--warehouse",
          WORK.resolve("no-warehouse").toString(), "--jars", JAR.toString()}, new PrintStream(new ByteArrayOutputStream()));
    } finally {
      System.setErr(err);
    }
    String message = captured.toString(StandardCharsets.UTF_8);
    assertThat(code).as(message).isEqualTo(2);
    assertThat(message).contains("train.model.class", "com.example.trainer.NoSuchTrainer", "was not found",
        JAR.toString());
    assertThat(WORK.resolve("no-warehouse")).as("nothing ran").doesNotExist();
  }

  /** The diabetes data of Debian's python3-sklearn (a test package CI installs) as a CSV with a header. */
  private static Path diabetesCsv(Path dir) throws IOException {
    Path data = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data");
    List<String> x = gunzipLines(data.resolve("diabetes_data_raw.csv.gz"));
    List<String> y = gunzipLines(data.resolve("diabetes_target.csv.gz"));
    List<String> out = new ArrayList<>(List.of("id,progression,age,sex,bmi,bp,s1,s2,s3,s4,s5,s6"));
    for (int i = 0; i < x.size(); i++) {
      out.add("p" + i + "," + Double.parseDouble(y.get(i)) + "," + String.join(",", x.get(i).split("\\s+")));
    }
    Path csv = dir.resolve("diabetes.csv");
    Files.write(csv, out);
    return csv;
  }

  private static List<String> gunzipLines(Path gz) throws IOException {
    assertThat(gz).as("python3-sklearn's data (bin/install-deps.sh test)").isReadable();
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(l -> !l.isEmpty()).toList();
    }
  }

  private static Path config(Path dir, String body) throws IOException {
    Files.createDirectories(dir);
    List<String> lines = Files.readAllLines(REPO.resolve("data/spamassassin/messages.jsonl"));
    List<String> sample = new ArrayList<>();
    for (int i = 0; i < lines.size(); i += 10) {
      sample.add(lines.get(i));
    }
    Path input = dir.resolve("messages.jsonl");
    Files.write(input, sample);
    Path file = dir.resolve("job.yaml");
    Files.writeString(file, """
        seed: 7
        prep:
          input: {format: json, path: %s}
          columns: {id: id, label: label, text: [subject, body]}
          clean: {strip_html: true, lowercase: true, min_text_chars: 1}
          labels: {allowed: [ham, spam]}
          split: {train: 0.8, val: 0.1, test: 0.1, stratify: true}
        """.formatted(input) + body);
    return file;
  }
}
