package dev.prepsweep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.cli.Main;
import dev.prepsweep.app.spark.SparkSessions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Warm start through the command line: a grid sweep that warm-starts from an earlier sweep on the
 * same grid learns its finished trials, so it runs only the points the earlier one did not (without
 * the warm start, the same spec and seed would propose exactly the earlier points again).
 */
class WarmStartIT {

  private static final Path WORK = Path.of("target/it-warm-start").toAbsolutePath();
  private static final String GRID = """
      train: {epochs: 2, hash_dim: 256, hidden: 8}
      sweep:
        method: grid
        metric: {name: val_accuracy, goal: maximize}
        parameters:
          lr: {values: [0.001, 0.003, 0.01, 0.03]}
        budget: {trials: 2}
        parallelism: 1
      """;

  @Test
  void aWarmStartedGridSkipsThePointsTheEarlierSweepRan() throws Exception {
    Path warehouse = PreparedSplits.warehouse(WORK.resolve("warehouse"));
    Path first = PreparedSplits.config(WORK.resolve("first"), GRID);
    assertThat(sweep(first, warehouse)).isZero();
    String firstId = sweepIds(warehouse).get(0);

    Path second = PreparedSplits.config(WORK.resolve("second"), GRID + "  warm_start: [" + firstId + "]\n");
    assertThat(sweep(second, warehouse)).isZero();

    SparkSession spark = SparkSessions.create("local[2]", "WarmStartIT checks");
    try {
      List<String> ids = sweepIds(spark, warehouse);
      assertThat(ids).hasSize(2);
      Set<Double> a = learningRates(spark, warehouse, ids.get(0));
      Set<Double> b = learningRates(spark, warehouse, ids.get(1));
      assertThat(a).hasSize(2);
      assertThat(b).as("the warm-started sweep ran new grid points only").hasSize(2).doesNotContainAnyElementsOf(a);
      Set<Double> all = new HashSet<>(a);
      all.addAll(b);
      assertThat(all).containsExactlyInAnyOrder(0.001, 0.003, 0.01, 0.03);
    } finally {
      spark.stop();
    }
  }

  /** One sweep in this JVM on local[2] (one trial at a time): grid points, not parallelism, are under test. */
  private static int sweep(Path config, Path warehouse) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    return Main.run(new String[] {"sweep", "--config", config.toString(), "--warehouse", warehouse.toString(),
        "--master", "local[2]"}, new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  private static List<String> sweepIds(Path warehouse) {
    SparkSession spark = SparkSessions.create("local[2]", "WarmStartIT ids");
    try {
      return sweepIds(spark, warehouse);
    } finally {
      spark.stop();
    }
  }

  private static List<String> sweepIds(SparkSession spark, Path warehouse) {
    return spark.read().format("delta").load(warehouse + "/sweeps").orderBy("started_at").select("sweep_id")
        .collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  private static Set<Double> learningRates(SparkSession spark, Path warehouse, String sweepId) {
    Set<Double> rates = new HashSet<>();
    for (Row r : spark.read().format("delta").load(warehouse + "/trials")
        .where("sweep_id = '" + sweepId + "' AND state = 'COMPLETE'").select("params.lr").collectAsList()) {
      rates.add(r.getDouble(0));
    }
    return rates;
  }
}
