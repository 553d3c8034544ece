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
 * Asynchronous successive halving on a local-cluster: trials train in rung tasks, poor ones pause
 * at a rung, promoted ones continue from their checkpoint in a new task instead of starting over.
 */
class AshaIT {

  private static final Path WORK = Path.of("target/it-asha").toAbsolutePath();

  @Test
  void ashaPausesTrialsAtRungsAndPromotedTrialsContinueFromCheckpoints() {
    Path warehouse = PreparedSplits.warehouse(WORK.resolve("warehouse"));
    Path config = PreparedSplits.config(WORK, """
        train: {hash_dim: 512, hidden: 32}
        sweep:
          method: random
          metric: {name: val_accuracy, goal: maximize}
          parameters:
            lr: {distribution: log_uniform, min: 1.0e-4, max: 3.0e-2}
          early_terminate: {type: asha, min_resource: 1, max_resource: 9, eta: 3}
          budget: {trials: 9}
          parallelism: 2
        """);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"sweep", "--config", config.toString(), "--warehouse", warehouse.toString(),
        "--master", "local-cluster[2,2,1536]"}, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();

    SparkSession spark = SparkSessions.create("local[2]", "AshaIT checks");
    try {
      Dataset<Row> trials = spark.read().format("delta").load(warehouse + "/trials");
      assertThat(trials.count()).as("one row per trial attempt").isEqualTo(9);
      assertThat(trials.filter("state = 'PRUNED'").count()).as("some trials paused at a rung").isPositive();
      Dataset<Row> complete = trials.filter("state = 'COMPLETE'");
      assertThat(complete.count()).as("some trial reached max_resource").isPositive();
      assertThat(complete.filter("epochs = 9").count()).isEqualTo(complete.count());
      assertThat(complete.filter("resumed_from_epoch > 0").count())
          .as("promoted trials continued from a checkpoint").isEqualTo(complete.count());
      Dataset<Row> metrics = spark.read().format("delta").load(warehouse + "/trial_metrics");
      long epochsTrained = metrics.count();
      assertThat(epochsTrained).as("fewer epochs than 9 trials x 9 epochs").isLessThan(9 * 9);
      assertThat(metrics.groupBy("trial_id", "epoch").count().filter("count > 1").count())
          .as("no epoch trained or recorded twice").isZero();
      List<Row> paused = trials.filter("state = 'PRUNED'").select("epochs").distinct().collectAsList();
      assertThat(paused).allSatisfy(r -> assertThat(r.getInt(0)).as("paused at a rung").isIn(1, 3));
      Row sweep = spark.read().format("delta").load(warehouse + "/sweeps").head();
      assertThat(sweep.<Integer>getAs("trials_pruned")).as("the sweep row counts its pruned trials")
          .isEqualTo((int) trials.filter("state = 'PRUNED'").count());
      assertThat(sweep.<Integer>getAs("trials_complete")).isEqualTo((int) complete.count());
    } finally {
      spark.stop();
    }
  }

  /**
   * A 3-fold cross-validated sweep under ASHA: each trial trains one model per fold of the prep job's
   * fold column, rung by rung; trial_metrics holds every fold's epochs once (a promoted trial's folds
   * continue from their own checkpoints) and the trial's (the fold averages, on which ASHA decides), and
   * each trial's value is the mean of its folds' values with their standard deviation beside it.
   */
  @Test
  void crossValidatedTrialsUnderAshaRecordEveryFoldOnceAndTheirMean() {
    Path warehouse = PreparedSplits.warehouse(WORK.resolve("warehouse-cv"));
    Path config = PreparedSplits.config(WORK.resolve("cv"), """
        train: {hash_dim: 256, hidden: 16}
        cv: {folds: 3}
        sweep:
          method: random
          metric: {name: val_accuracy, goal: maximize}
          parameters:
            lr: {distribution: log_uniform, min: 1.0e-3, max: 3.0e-2}
          early_terminate: {type: asha, min_resource: 1, max_resource: 3, eta: 3}
          budget: {trials: 3}
          parallelism: 1
        """);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"sweep", "--config", config.toString(), "--warehouse", warehouse.toString(),
        "--master", "local-cluster[2,1,1536]"}, new PrintStream(out, true, StandardCharsets.UTF_8));
    String log = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(log).isZero();

    SparkSession spark = SparkSessions.create("local[2]", "AshaIT cv checks");
    try {
      Dataset<Row> all = spark.read().format("delta").load(warehouse + "/trials");
      assertThat(all.count()).as("one row per trial attempt").isEqualTo(3);
      assertThat(all.filter("state NOT IN ('COMPLETE', 'PRUNED')").count()).as(log).isZero();
      List<Row> trials = all.select("trial_id", "attempt", "value", "value_std", "fold_values", "cv_folds",
          "best_epoch", "state", "epochs", "resumed_from_epoch").collectAsList();
      assertThat(trials).as("a trial was promoted to the last rung and completed")
          .anySatisfy(t -> assertThat(t.getString(7)).isEqualTo("COMPLETE"));
      assertThat(trials).as("a trial was paused at the first rung")
          .anySatisfy(t -> assertThat(t.getString(7)).isEqualTo("PRUNED"));
      Dataset<Row> metrics = spark.read().format("delta").load(warehouse + "/trial_metrics");
      assertThat(metrics.groupBy("trial_id", "attempt", "fold", "epoch").count().filter("count > 1").count())
          .as("no fold's epoch trained or recorded twice").isZero();
      for (Row t : trials) {
        int trial = t.getInt(0);
        int epochs = t.getInt(8);
        assertThat(t.getInt(5)).isEqualTo(3);
        Dataset<Row> rows = metrics.filter("trial_id = " + trial + " AND attempt = " + t.getInt(1));
        // every fold's epochs up to where the trial stopped (1 when paused, 3 when complete), and the trial's own
        assertThat(epochs).as("trial %d stopped at a rung", trial).isIn(1, 3);
        assertThat(rows.filter("fold IS NOT NULL").select("fold").distinct().count()).isEqualTo(3);
        assertThat(rows.filter("fold IS NOT NULL").count()).as("trial %d's fold epochs", trial).isEqualTo(3L * epochs);
        assertThat(rows.filter("fold IS NULL").count()).isEqualTo(epochs);
        if (t.getString(7).equals("COMPLETE")) {
          assertThat(t.getInt(9)).as("promoted trial %d continued from its rung's checkpoints", trial).isEqualTo(1);
          int best = t.getInt(6);
          // each fold's value at the best epoch, from its own rows
          List<Double> foldValues = rows.filter("fold IS NOT NULL AND epoch = " + best).orderBy("fold")
              .select("val_accuracy").collectAsList().stream().map(r -> r.getDouble(0)).toList();
          assertThat(t.<Double>getList(4)).containsExactlyElementsOf(foldValues);
          double mean = foldValues.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
          double std = Math.sqrt(foldValues.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / foldValues.size());
          assertThat(t.getDouble(2)).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-12));
          assertThat(t.getDouble(3)).isCloseTo(std, org.assertj.core.data.Offset.offset(1e-12));
        }
        // the trial's epoch rows are the fold averages: what ASHA ranked at the rung
        for (Row avg : rows.filter("fold IS NULL").collectAsList()) {
          int epoch = avg.<Integer>getAs("epoch");
          double foldMean = rows.filter("fold IS NOT NULL AND epoch = " + epoch).agg(
              org.apache.spark.sql.functions.avg("val_accuracy")).head().getDouble(0);
          assertThat(avg.<Double>getAs("val_accuracy")).isCloseTo(foldMean, org.assertj.core.data.Offset.offset(1e-12));
        }
      }
    } finally {
      spark.stop();
    }
  }
}
