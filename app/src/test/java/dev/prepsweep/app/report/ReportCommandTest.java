package dev.prepsweep.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.app.report.SweepData.Epoch;
import dev.prepsweep.app.report.SweepData.Trial;
import dev.prepsweep.app.results.ResultTables;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.etl.PrepRunsTable;
import dev.prepsweep.testkit.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code prepsweep report} against a real Delta warehouse written here with the production schemas
 * (rows are filled by column name, so columns added later are simply null): the tables are read
 * back into the same model, the file is written, and Chromium renders it.
 */
class ReportCommandTest {

  private static SparkSession spark;
  @TempDir
  static Path dir;
  private static Warehouse warehouse;

  @BeforeAll
  static void warehouse() {
    spark = SharedSpark.session();
    warehouse = new Warehouse(spark, dir.resolve("warehouse").toString());
    SweepData one = ReportFixtures.singleObjective();
    SweepData two = ReportFixtures.twoObjectives();
    StructType paramsType = new StructType().add("lr", DataTypes.DoubleType).add("hidden", DataTypes.LongType)
        .add("optimizer", DataTypes.StringType).add("dropout", DataTypes.DoubleType);
    StructType trialsSchema = ResultTables.trialsSchema(paramsType);
    List<Row> sweeps = new ArrayList<>();
    List<Row> trials = new ArrayList<>();
    List<Row> metrics = new ArrayList<>();
    long started = 1_700_000_000_000L;
    for (SweepData d : List.of(one, two)) {
      String metric = String.join(",", d.sweep().objectives().stream().map(SweepData.Objective::name).toList());
      String goal = String.join(",", d.sweep().objectives().stream().map(o -> o.maximize() ? "maximize" : "minimize").toList());
      Map<String, Object> s = new HashMap<>();
      s.put("sweep_id", d.sweep().sweepId());
      s.put("status", "COMPLETE");
      s.put("method", "random");
      s.put("metric", metric);
      s.put("goal", goal);
      s.put("data_versions", CollectionConverters.asScala(Map.of("train", 0L, "val", 0L)));
      s.put("data_paths", CollectionConverters.asScala(Map.of("train", "/wh/train", "val", "/wh/val")));
      s.put("started_at", new Timestamp(started += 60_000));
      s.put("trials_complete", 7);
      s.put("trials_failed", 1);
      s.put("trials_pruned", 2);
      s.put("best_trial_id", d.sweep().bestTrialId());
      s.put("best_value", d.sweep().bestValue());
      sweeps.add(row(ResultTables.SWEEPS_SCHEMA, s));
      for (Trial t : d.trials()) {
        Map<String, Object> r = new HashMap<>(t.metrics());
        r.put("sweep_id", d.sweep().sweepId());
        r.put("trial_id", t.trialId());
        r.put("attempt", t.attempt());
        r.put("state", t.state());
        r.put("value", t.value());
        if (t.complete()) {
          List<Double> values = d.sweep().objectives().stream().map(o -> t.metrics().get(o.name())).toList();
          r.put("objective_values", CollectionConverters.asScala(values).toSeq());
        }
        r.put("params", row(paramsType, t.params()));
        r.put("duration_s", t.durationS());
        r.put("executor_id", t.executorId());
        r.put("error", t.error());
        trials.add(row(trialsSchema, r));
      }
      for (Epoch e : d.epochs()) {
        metrics.add(row(ResultTables.METRICS_SCHEMA, Map.of("sweep_id", d.sweep().sweepId(), "trial_id", e.trialId(),
            "attempt", e.attempt(), "epoch", e.epoch(), "train_loss", e.trainLoss(), "val_loss", e.valLoss(),
            "val_accuracy", e.valAccuracy(), "val_macro_f1", e.valMacroF1())));
      }
    }
    write("sweeps", sweeps, ResultTables.SWEEPS_SCHEMA);
    write("trials", trials, trialsSchema);
    write("trial_metrics", metrics, ResultTables.METRICS_SCHEMA);
    write("clean", List.of(RowFactory.create("a", "ham"), RowFactory.create("b", "ham"), RowFactory.create("c", "spam")),
        new StructType().add("id", DataTypes.StringType).add("label", DataTypes.StringType));
    PrepData p = ReportFixtures.prep();
    Map<String, Object> run = new HashMap<>();
    run.put("run_id", p.runId());
    run.put("started_at", new Timestamp(started - 3_600_000));
    run.put("input_location", p.inputLocation());
    run.put("input_format", p.inputFormat());
    run.put("rows_in", scala(Map.of("clean", 1000L, "dedupe", 980L, "split", 950L)));
    run.put("rows_out", scala(Map.of("clean", 980L, "dedupe", 950L, "split", 950L)));
    run.put("class_counts", CollectionConverters.asScala(Map.of("train", scala(Map.of("ham", 2L, "spam", 1L)),
        "val", scala(Map.of("ham", 1L)), "train_balanced", scala(Map.of("ham", 2L, "spam", 2L)))));
    run.put("output_versions", scala(Map.of("clean", 0L, "train", 0L, "val", 0L)));
    write(PrepRunsTable.NAME, List.of(row(PrepRunsTable.SCHEMA, run)), PrepRunsTable.SCHEMA);
  }

  private static <K, V> scala.collection.Map<K, V> scala(Map<K, V> m) {
    return CollectionConverters.asScala(m);
  }

  private static Row row(StructType schema, Map<String, ?> values) {
    Object[] cells = new Object[schema.fields().length];
    for (int i = 0; i < cells.length; i++) {
      StructField f = schema.fields()[i];
      cells[i] = values.get(f.name());
    }
    return RowFactory.create(cells);
  }

  private static void write(String table, List<Row> rows, StructType schema) {
    spark.createDataFrame(rows, schema).write().format("delta").mode("overwrite").save(warehouse.path(table));
  }

  @Test
  void tablesReadBackIntoTheModelTheyWereWrittenFrom() {
    ReportQueries q = new ReportQueries(spark, warehouse);
    SweepData expected = ReportFixtures.singleObjective();
    SweepData read = q.sweep("sw-test-1");
    assertThat(read.paramNames()).containsExactlyElementsOf(expected.paramNames());
    assertThat(read.trials()).hasSameSizeAs(expected.trials());
    assertThat(read.epochs()).hasSameSizeAs(expected.epochs());
    assertThat(SweepAnalysis.history(read)).isEqualTo(SweepAnalysis.history(expected));
    assertThat(SweepAnalysis.importance(read)).isEqualTo(SweepAnalysis.importance(expected));
    assertThat(q.latestSweepId()).contains("sw-test-2");
    SweepData two = q.sweep("sw-test-2");
    assertThat(two.sweep().objectives()).containsExactlyElementsOf(ReportFixtures.twoObjectives().sweep().objectives());
    assertThat(SweepAnalysis.paretoFront(two)).extracting(Trial::trialId)
        .containsExactlyElementsOf(SweepAnalysis.paretoFront(ReportFixtures.twoObjectives()).stream().map(Trial::trialId).toList());
    PrepData prep = q.prepForSweep(read.sweep()).orElseThrow();
    assertThat(prep.runId()).isEqualTo("run-1");
    assertThat(prep.stages().keySet()).containsExactly("clean", "dedupe", "split");
    assertThat(prep.classCounts().keySet()).containsExactly("clean", "train", "train (balanced)", "val");
    assertThat(prep.classCounts().get("clean")).isEqualTo(Map.of("ham", 2L, "spam", 1L));
  }

  @Test
  void reportOfTheLatestSweepIsWrittenAndRendersInChromium() throws Exception {
    Path out = dir.resolve("reports");
    Path file = ReportCommand.run(spark, warehouse, null, out);
    assertThat(file).isEqualTo(out.resolve("sweep-sw-test-2.html").toAbsolutePath());
    String html = Files.readString(file);
    assertThat(html).contains("sw-test-2").contains("data-chart=\"pareto\"").contains("run-1");
    Path prep = ReportCommand.runPrep(spark, warehouse, null, out);
    assertThat(prep.getFileName().toString()).isEqualTo("prep-run-1.html");
    if (HeadlessChromium.available()) {
      // history, parallel, importance, curves, pareto + stages and classes of the prep run
      ReportBrowserTest.assertRendersCleanly("warehouse-sweep", html, 7);
      ReportBrowserTest.assertRendersCleanly("warehouse-prep", Files.readString(prep), 2);
    }
  }

  @Test
  void reportsOfALocalWarehouseGoNextToItsTables() {
    Path outDir = ReportCommand.defaultOutDir(warehouse);
    assertThat(outDir).isEqualTo(dir.resolve("warehouse").resolve("_reports").toAbsolutePath());
    Path file = ReportCommand.runPrep(spark, warehouse, "run-1", outDir);
    assertThat(file).hasParent(outDir).exists();
    assertThat(warehouse.tables()).contains("trials").doesNotContain("_reports");
  }

  @Test
  void unknownSweepIsReportedWithTheKnownOnes() {
    assertThatThrownBy(() -> ReportCommand.run(spark, warehouse, "nope", dir.resolve("r2")))
        .isInstanceOf(ReportException.class)
        .hasMessageContaining("no sweep 'nope'").hasMessageContaining("sw-test-1, sw-test-2");
  }

  @Test
  void emptyWarehouseSaysWhatToRun() {
    Warehouse empty = new Warehouse(spark, dir.resolve("empty").toString());
    assertThatThrownBy(() -> ReportCommand.run(spark, empty, null, dir.resolve("r3")))
        .isInstanceOf(ReportException.class).hasMessageContaining("run 'prepsweep run' first");
  }
}
