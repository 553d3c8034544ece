package dev.prepsweep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.cli.Main;
import dev.prepsweep.app.spark.SparkSessions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The main job end to end through the real command line: prep into Delta, a sweep whose trials
 * train with DJL in two executor JVMs of a local-cluster, the trials tables, the leaderboard. The
 * prep over-samples the train split and the sweep trains on that table ({@code data.train}).
 */
class MainJobIT {

  private static final Path WORK = Path.of("target/it-main-job").toAbsolutePath();

  @Test
  void runPrepsAndSweepsIntoQueryableTables() throws Exception {
    Path input = TestData.sample(WORK, 6);
    Path config = TestData.config(WORK, input, 4, 2);
    java.nio.file.Files.writeString(config, java.nio.file.Files.readString(config)
        .replace("  split: {train: 0.8, val: 0.1, test: 0.1, stratify: true}\n",
            "  split: {train: 0.8, val: 0.1, test: 0.1, stratify: true}\n  balance: {method: random, target: max}\n")
        + "data: {train: train_balanced}\n");
    String warehouse = WORK.resolve("warehouse-" + System.nanoTime()).toString();

    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"run", "--config", config.toString(), "--warehouse", warehouse,
        "--master", "local-cluster[2,2,1536]"}, new PrintStream(captured, true, StandardCharsets.UTF_8));
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isZero();
    assertThat(out).contains("best val_accuracy = ").contains("reproduce: bin/prepsweep query \"SELECT trial_id")
        .contains("test split (").contains("report: file:");
    java.nio.file.Path report = java.nio.file.Path.of(java.net.URI.create(
        out.lines().filter(l -> l.startsWith("report: ")).findFirst().orElseThrow().substring("report: ".length())));
    assertThat(java.nio.file.Files.readString(report)).contains("<svg");

    // A rerun of prep with the same seed into another warehouse gives identical splits.
    String warehouse2 = WORK.resolve("warehouse2-" + System.nanoTime()).toString();
    assertThat(Main.run(new String[] {"prep", "--config", config.toString(), "--warehouse", warehouse2,
        "--master", "local[2]"}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))).isZero();

    SparkSession spark = SparkSessions.create("local[2]", "MainJobIT checks");
    try {
      Dataset<Row> trials = spark.read().format("delta").load(warehouse + "/trials");
      List<Row> complete = trials.filter("state = 'COMPLETE'").collectAsList();
      assertThat(complete).hasSize(4);
      assertThat(trials.filter("state = 'COMPLETE'").select("executor_id").distinct().count())
          .as("trials ran in both executor JVMs").isEqualTo(2);
      for (Row r : complete) {
        assertThat(r.<Double>getAs("val_accuracy")).isBetween(0.0, 1.0);
        assertThat(r.<Long>getAs("train_version")).isNotNull();
        assertThat(r.<Row>getAs("params").<Double>getAs("lr")).isBetween(3.0e-4, 3.0e-2);
      }
      // every trial trained on the over-sampled table at the version the sweep pinned
      long trainVersion = latestVersion(spark, warehouse + "/train_balanced");
      assertThat(trials.select("train_version").distinct().collectAsList()).hasSize(1);
      assertThat(trials.select("train_version").head().getLong(0)).isEqualTo(trainVersion);
      assertThat(trials.select("train_table").distinct().head().getString(0)).endsWith("/train_balanced");
      assertThat(spark.read().format("delta").load(warehouse + "/trial_metrics").count()).isEqualTo(4 * 2);
      Row sweep = spark.read().format("delta").load(warehouse + "/sweeps").head();
      assertThat(sweep.<String>getAs("status")).isEqualTo("COMPLETE");
      assertThat(sweep.<Integer>getAs("trials_complete")).isEqualTo(4);
      assertThat(sweep.<String, Long>getJavaMap(sweep.fieldIndex("data_versions")))
          .containsOnlyKeys("train_balanced", "val", "test")
          .containsEntry("train_balanced", trainVersion)
          .containsEntry("test", latestVersion(spark, warehouse + "/test"));
      assertThat(sweep.<String, String>getJavaMap(sweep.fieldIndex("data_paths")).get("train_balanced")).endsWith("/train_balanced");

      // The best trial is at least as good as a majority-class guess on val.
      double bestAccuracy = trials.selectExpr("max(val_accuracy)").head().getDouble(0);
      Dataset<Row> val = spark.read().format("delta").load(warehouse + "/val");
      double majority = (double) val.groupBy("label").count().selectExpr("max(count)").head().getLong(0) / val.count();
      assertThat(bestAccuracy).isGreaterThan(majority);

      // The best trial's kept model scored the test split; its metrics are a row of test_metrics.
      Row testMetrics = spark.read().format("delta").load(warehouse + "/test_metrics").head();
      Dataset<Row> test = spark.read().format("delta").load(warehouse + "/test");
      assertThat(testMetrics.<Long>getAs("rows")).isEqualTo(test.count());
      double testMajority = (double) test.groupBy("label").count().selectExpr("max(count)").head().getLong(0) / test.count();
      assertThat(testMetrics.<Double>getAs("accuracy")).isGreaterThan(testMajority);
      assertThat(spark.read().format("delta").load(warehouse + "/predictions").count()).isEqualTo(test.count());

      for (String split : List.of("train", "val", "test")) {
        Dataset<Row> a = spark.read().format("delta").load(warehouse + "/" + split).select("id", "label", "text");
        Dataset<Row> b = spark.read().format("delta").load(warehouse2 + "/" + split).select("id", "label", "text");
        assertThat(a.count()).isPositive();
        assertThat(a.except(b).count() + b.except(a).count()).as("split %s identical across runs", split).isZero();
      }
    } finally {
      spark.stop();
    }
  }

  private static long latestVersion(SparkSession spark, String table) {
    return spark.sql("DESCRIBE HISTORY delta.`" + table + "`").selectExpr("max(version)").head().getLong(0);
  }
}
