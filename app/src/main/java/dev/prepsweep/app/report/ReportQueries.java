package dev.prepsweep.app.report;

import static org.apache.spark.sql.functions.col;

import dev.prepsweep.app.report.SweepData.Epoch;
import dev.prepsweep.app.report.SweepData.Objective;
import dev.prepsweep.app.report.SweepData.Sweep;
import dev.prepsweep.app.report.SweepData.Trial;
import dev.prepsweep.app.results.ResultTables;
import dev.prepsweep.app.warehouse.Warehouse;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what a report shows from the warehouse tables with Spark SQL. Only small results reach the
 * driver: one sweep's trials and epochs (a few hundred rows), one {@code prep_runs} row, and class
 * counts aggregated in SQL.
 */
public final class ReportQueries {
  private static final Logger LOG = LoggerFactory.getLogger(ReportQueries.class);

  /** The etl module's stage names in the order a run goes through them. */
  static final List<String> STAGE_ORDER = List.of("read", "clean", "dedupe", "quarantine", "clean_table", "split",
      "augment", "balance", "augment_balance");

  static final List<String> METRIC_COLUMNS = List.of("val_accuracy", "val_loss", "val_macro_f1", "train_loss", "val_rmse",
      "val_mae", "val_r2");

  private final SparkSession spark;
  private final Warehouse warehouse;

  public ReportQueries(SparkSession spark, Warehouse warehouse) {
    this.spark = spark;
    this.warehouse = warehouse;
  }

  private Dataset<Row> table(String name) {
    return spark.read().format("delta").load(warehouse.path(name));
  }

  /** The most recently started sweep, if any sweep was recorded. */
  public Optional<String> latestSweepId() {
    if (!warehouse.exists("sweeps")) {
      return Optional.empty();
    }
    List<Row> rows = table("sweeps").orderBy(col("started_at").desc_nulls_last())
        .select("sweep_id").limit(1).collectAsList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).getString(0));
  }

  /** The most recently started prep run, if any. */
  public Optional<String> latestPrepRunId() {
    if (!warehouse.exists("prep_runs")) {
      return Optional.empty();
    }
    List<Row> rows = table("prep_runs").orderBy(col("started_at").desc_nulls_last())
        .select("run_id").limit(1).collectAsList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).getString(0));
  }

  /**
   * One sweep with its trials and epochs.
   *
   * @throws ReportException when the sweep tables are missing or the sweep id is unknown
   */
  public SweepData sweep(String sweepId) {
    for (String t : List.of("sweeps", "trials")) {
      if (!warehouse.exists(t)) {
        throw ReportException.missingTable(t, warehouse.path(t));
      }
    }
    List<Row> sweeps = table("sweeps").where(col("sweep_id").equalTo(sweepId))
        .orderBy(col("started_at").desc_nulls_last()).limit(1).collectAsList();
    if (sweeps.isEmpty()) {
      throw ReportException.unknownSweep(sweepId, knownSweeps());
    }
    Sweep sweep = sweepOf(sweeps.get(0));
    Dataset<Row> trialsDf = table("trials").where(col("sweep_id").equalTo(sweepId))
        .orderBy("trial_id", "attempt");
    List<String> paramNames = new ArrayList<>();
    StructType paramsType = (StructType) trialsDf.schema().apply("params").dataType();
    for (StructField f : paramsType.fields()) {
      paramNames.add(f.name());
    }
    List<Trial> trials = new ArrayList<>();
    for (Row r : trialsDf.collectAsList()) {
      trials.add(trialOf(r, paramNames, sweep.objectives()));
    }
    List<Epoch> epochs = new ArrayList<>();
    if (warehouse.exists("trial_metrics")) {
      Dataset<Row> table = table("trial_metrics");
      // tables written before regression existed lack its columns; a metric the task does not report is NaN
      boolean regressionColumns = Arrays.asList(table.columns()).contains("val_r2");
      Dataset<Row> m = ResultTables.trialEpochs(table).where(col("sweep_id").equalTo(sweepId))
          .orderBy("trial_id", "attempt", "epoch")
          .selectExpr((regressionColumns ? EPOCH_COLUMNS : EPOCH_COLUMNS.subList(0, EPOCH_COLUMNS.size() - 3))
              .toArray(String[]::new));
      for (Row r : m.collectAsList()) {
        epochs.add(new Epoch(r.getInt(0), r.getInt(1), r.getInt(2), metric(r, 3), metric(r, 4), metric(r, 5),
            metric(r, 6), regressionColumns ? metric(r, 7) : null, regressionColumns ? metric(r, 8) : null,
            regressionColumns ? metric(r, 9) : null));
      }
    }
    return new SweepData(sweep, paramNames, trials, epochs);
  }

  private List<String> knownSweeps() {
    return table("sweeps").select("sweep_id").orderBy("sweep_id").limit(20).collectAsList().stream()
        .map(r -> r.getString(0)).toList();
  }

  /** Objectives from {@code sweeps.metric} and {@code goal}: one each, or comma-separated lists of equal length. */
  static List<Objective> objectives(String metric, String goal, String sweepId) {
    if (metric == null || metric.isBlank()) {
      throw ReportException.noMetric(sweepId);
    }
    List<String> names = Arrays.stream(metric.split(",")).map(String::trim).toList();
    List<String> goals = goal == null ? List.of() : Arrays.stream(goal.split(",")).map(String::trim).toList();
    List<Objective> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String g = i < goals.size() ? goals.get(i) : goals.isEmpty() ? "maximize" : goals.get(goals.size() - 1);
      out.add(new Objective(names.get(i), !g.toLowerCase(Locale.ROOT).startsWith("min")));
    }
    return out;
  }

  private static Sweep sweepOf(Row r) {
    String id = r.getAs("sweep_id");
    List<String> fields = Arrays.asList(r.schema().fieldNames());
    String metric = r.getAs("metric");
    String goal = r.getAs("goal");
    // A multi-objective sweep may list its metrics in array columns; otherwise metric/goal are comma lists.
    if (fields.contains("metrics") && !r.isNullAt(r.fieldIndex("metrics"))) {
      metric = String.join(",", r.<String>getList(r.fieldIndex("metrics")));
      if (fields.contains("goals") && !r.isNullAt(r.fieldIndex("goals"))) {
        goal = String.join(",", r.<String>getList(r.fieldIndex("goals")));
      }
    }
    // sweeps since objectives were recorded: one 'name:goal' entry per metric, in order
    if (fields.contains("objectives") && !r.isNullAt(r.fieldIndex("objectives"))
        && !r.<String>getList(r.fieldIndex("objectives")).isEmpty()) {
      List<String> entries = r.getList(r.fieldIndex("objectives"));
      metric = String.join(",", entries.stream().map(e -> e.substring(0, e.lastIndexOf(':'))).toList());
      goal = String.join(",", entries.stream().map(e -> e.substring(e.lastIndexOf(':') + 1)).toList());
    }
    return new Sweep(id, r.getAs("status"), r.getAs("method"),
        objectives(metric, goal, id), r.getAs("seed"), r.getAs("budget_trials"),
        r.getAs("parallelism"), r.getAs("master"), javaMap(r.getAs("data_versions")), javaMap(r.getAs("data_paths")),
        r.getAs("code_version"), time(r.getAs("started_at")), time(r.getAs("ended_at")),
        intOr0(r.getAs("trials_complete")), intOr0(r.getAs("trials_failed")), intOr0(r.getAs("trials_pruned")),
        r.getAs("best_trial_id"), r.getAs("best_value"), r.getAs("message"));
  }

  private static Trial trialOf(Row r, List<String> paramNames, List<Objective> objectives) {
    Row params = r.getAs("params");
    Map<String, Object> p = new LinkedHashMap<>();
    for (int i = 0; i < paramNames.size(); i++) {
      if (params != null && !params.isNullAt(i)) {
        Object v = params.get(i);
        p.put(paramNames.get(i), v instanceof Integer n ? Long.valueOf(n) : v instanceof Float x ? Double.valueOf(x) : v);
      }
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    List<String> columns = java.util.Arrays.asList(r.schema().fieldNames());
    for (String m : METRIC_COLUMNS) {
      // tables written before regression existed lack its columns; a metric the task does not report is NaN
      Double v = columns.contains(m) ? r.getAs(m) : null;
      if (v != null && !v.isNaN()) {
        metrics.put(m, v);
      }
    }
    // Multi-objective sweeps record one value per objective, in the sweep's metric order.
    if (Arrays.asList(r.schema().fieldNames()).contains("objective_values") && !r.isNullAt(r.fieldIndex("objective_values"))) {
      List<Double> values = r.getList(r.fieldIndex("objective_values"));
      for (int i = 0; i < Math.min(values.size(), objectives.size()); i++) {
        if (values.get(i) != null) {
          metrics.put(objectives.get(i).name(), values.get(i));
        }
      }
    }
    // a trial that misses the sweep's constraints is kept off the Pareto front (SweepAnalysis.paretoFront)
    if (Arrays.asList(r.schema().fieldNames()).contains("constraint_violation")
        && !r.isNullAt(r.fieldIndex("constraint_violation"))) {
      metrics.put("constraint_violation", r.<Double>getAs("constraint_violation"));
    }
    return new Trial(r.getAs("trial_id"), r.getAs("attempt"), r.getAs("state"), r.getAs("value"), p, metrics,
        r.getAs("duration_s"), r.getAs("executor_id"), r.getAs("error"));
  }

  /** The prep run that wrote the table versions a sweep pinned (train or its resampled table, val, test), if recorded. */
  public Optional<PrepData> prepForSweep(Sweep sweep) {
    if (!warehouse.exists("prep_runs") || sweep.dataVersions().isEmpty()) {
      return Optional.empty();
    }
    StringBuilder where = new StringBuilder("true");
    for (Map.Entry<String, Long> e : sweep.dataVersions().entrySet()) {
      if (e.getKey().matches("[A-Za-z0-9_]+")) {
        where.append(" AND output_versions['").append(e.getKey()).append("'] = ").append(e.getValue());
      }
    }
    List<Row> rows = table("prep_runs").where(where.toString())
        .orderBy(col("started_at").desc_nulls_last()).limit(1).collectAsList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(prepOf(rows.get(0)));
  }

  /**
   * One prep run.
   *
   * @throws ReportException when {@code prep_runs} is missing or has no such run
   */
  public PrepData prep(String runId) {
    if (!warehouse.exists("prep_runs")) {
      throw ReportException.missingTable("prep_runs", warehouse.path("prep_runs"));
    }
    List<Row> rows = table("prep_runs").where(col("run_id").equalTo(runId))
        .limit(1).collectAsList();
    if (rows.isEmpty()) {
      throw ReportException.unknownPrepRun(runId);
    }
    return prepOf(rows.get(0));
  }

  private PrepData prepOf(Row r) {
    Map<String, Long> in = javaMap(r.getAs("rows_in"));
    Map<String, Long> out = javaMap(r.getAs("rows_out"));
    Map<String, Long> ms = javaMap(r.getAs("duration_ms"));
    Map<String, PrepData.StageRows> stages = new LinkedHashMap<>();
    // Spark maps do not keep insertion order: known stages in run order, any others after them by name.
    List<String> stageOrder = new ArrayList<>(in.keySet());
    stageOrder.sort(java.util.Comparator.comparingInt((String k) -> STAGE_ORDER.indexOf(k) < 0 ? 99 : STAGE_ORDER.indexOf(k))
        .thenComparing(k -> k));
    for (String k : stageOrder) {
      Map.Entry<String, Long> e = Map.entry(k, in.get(k));
      Long o = out.get(e.getKey());
      stages.put(e.getKey(), new PrepData.StageRows(e.getValue(), o == null ? e.getValue() : o, ms.get(e.getKey())));
    }
    Map<String, Long> versions = new java.util.TreeMap<>(javaMap(r.getAs("output_versions")));
    Map<String, Map<String, Long>> classes = new LinkedHashMap<>();
    // Before the split: the clean and quarantined rows of this run, counted in SQL at the versions it wrote.
    classCountsAt("clean", versions.get("clean")).ifPresent(c -> classes.put("clean", c));
    classCountsAt("quarantine", versions.get("quarantine")).ifPresent(c -> classes.put("quarantined", c));
    Map<String, scala.collection.Map<String, Long>> raw = javaMap(r.getAs("class_counts"));
    List<String> keys = new ArrayList<>(raw.keySet());
    keys.sort(null);
    // Splits first (train before balancing, then after), then anything else the etl module records.
    List<String> display = new ArrayList<>();
    for (String k : List.of("train", "balance_in", "train_balanced", "val", "test")) {
      if (raw.containsKey(k)) {
        display.add(k);
      }
    }
    keys.stream().filter(k -> !display.contains(k)).forEach(display::add);
    for (String k : display) {
      String name = switch (k) {
        case "balance_in" -> "train (before balancing)";
        case "train_balanced" -> "train (balanced)";
        default -> k;
      };
      classes.put(name, javaMap(raw.get(k)));
    }
    return new PrepData(r.getAs("run_id"), time(r.getAs("started_at")), time(r.getAs("ended_at")),
        r.getAs("input_location"), r.getAs("input_format"), r.getAs("seed"), r.getAs("config_hash"), stages, classes,
        javaMap(r.getAs("rejects_by_rule")), versions);
  }

  /** Rows per label of a table at a version (Delta time travel); empty when the table, version or label column is gone. */
  private Optional<Map<String, Long>> classCountsAt(String table, Long version) {
    if (version == null || !warehouse.exists(table)) {
      return Optional.empty();
    }
    try {
      Dataset<Row> df = spark.read().format("delta").option("versionAsOf", version).load(warehouse.path(table));
      if (!Arrays.asList(df.columns()).contains("label")) {
        return Optional.empty();
      }
      Map<String, Long> counts = new java.util.TreeMap<>();
      for (Row c : df.groupBy("label").count().collectAsList()) {
        counts.put(c.isNullAt(0) ? "(no label)" : c.get(0).toString(), c.getLong(1));
      }
      return Optional.of(counts);
    } catch (RuntimeException e) {
      // A vacuumed or rewritten history: the report still has the counts etl recorded, and says why
      // these are missing in the log instead of hiding it.
      LOG.warn("the report shows no class counts of {} at version {}: Delta cannot read that version ({})", table,
          version, e.getMessage());
      return Optional.empty();
    }
  }

  /** The columns of an {@link Epoch}, in its order; the regression metrics last. */
  private static final List<String> EPOCH_COLUMNS = List.of("trial_id", "attempt", "epoch", "train_loss", "val_loss",
      "val_accuracy", "val_macro_f1", "val_rmse", "val_mae", "val_r2");

  /** An epoch metric, null when not recorded: trials write NaN for the metrics their task does not report. */
  private static Double metric(Row r, int i) {
    return r.isNullAt(i) || Double.isNaN(r.getDouble(i)) ? null : r.getDouble(i);
  }

  private static Double dbl(Row r, int i) {
    return r.isNullAt(i) ? null : r.getDouble(i);
  }

  private static int intOr0(Integer v) {
    return v == null ? 0 : v;
  }

  private static String time(Timestamp t) {
    return t == null ? null : t.toInstant().toString();
  }

  private static <K, V> Map<K, V> javaMap(scala.collection.Map<K, V> m) {
    return m == null ? new LinkedHashMap<>() : new LinkedHashMap<>(CollectionConverters.asJava(m));
  }
}
