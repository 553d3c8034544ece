package dev.prepsweep.app.driver;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prepsweep.app.results.ResultTables;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.sweep.space.CategoricalDistribution;
import dev.prepsweep.sweep.space.Distribution;
import dev.prepsweep.sweep.space.FloatDistribution;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import dev.prepsweep.training.EpochMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads a sweep back from the {@code sweeps} and {@code trials} tables (resume, status). */
final class SweepHistory {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SweepHistory() {}

  /** The sweep's row, if it exists. */
  static Optional<Row> sweepRow(SparkSession spark, Warehouse warehouse, String sweepId) {
    if (!warehouse.exists(ResultTables.SWEEPS)) {
      return Optional.empty();
    }
    List<Row> rows = spark.read().format("delta").load(warehouse.path(ResultTables.SWEEPS))
        .filter(org.apache.spark.sql.functions.col("sweep_id").equalTo(sweepId)).collectAsList();
    return rows.stream().findFirst();
  }

  /**
   * The latest attempt of every trial of the sweep as optimizer trials (with their typed
   * parameters), plus each trial's last attempt number.
   */
  static List<StoredTrial> trials(SparkSession spark, Warehouse warehouse, String sweepId, SearchSpace space) {
    if (!warehouse.exists(ResultTables.TRIALS)) {
      return List.of();
    }
    List<Row> rows = spark.read().format("delta").load(warehouse.path(ResultTables.TRIALS))
        .filter(org.apache.spark.sql.functions.col("sweep_id").equalTo(sweepId))
        .select("trial_id", "attempt", "state", "objective_values", "params_json")
        .orderBy("trial_id", "attempt").collectAsList();
    Map<Integer, StoredTrial> latest = new LinkedHashMap<>();
    for (Row r : rows) {
      int number = r.getInt(0);
      int attempt = r.getInt(1);
      List<Double> values = r.isNullAt(3) ? List.of() : r.getList(3);
      Map<String, Object> params = typed(r.getString(4), space);
      // an attempt that ended LOST, TIMED_OUT or CANCELLED is a failed trial to the study
      TrialState trialState = TrialState.valueOf(r.getString(2)).forStudy();
      Trial trial = new Trial(number, params, trialState, trialState == TrialState.COMPLETE ? values : List.of(), null);
      // A later FAILED attempt row is superseded by its retry; keep the highest attempt per trial.
      latest.put(number, new StoredTrial(trial, attempt));
    }
    return new ArrayList<>(latest.values());
  }

  /**
   * The sweep's COMPLETE attempts as their rows hold them (objective values, constraint violation, every metric
   * column), for the Pareto ranks and the selection rule of a resumed sweep. Metric columns a table written by an
   * earlier version lacks read as NaN.
   */
  static List<ObjectiveBook.Earlier> completed(SparkSession spark, Warehouse warehouse, String sweepId) {
    if (!warehouse.exists(ResultTables.TRIALS)) {
      return List.of();
    }
    Dataset<Row> table = spark.read().format("delta").load(warehouse.path(ResultTables.TRIALS));
    List<String> columns = java.util.Arrays.asList(table.columns());
    List<String> metrics = TrialMetrics.NAMES.stream().filter(columns::contains).toList();
    List<String> select = new ArrayList<>(List.of("trial_id", "attempt", "objective_values",
        columns.contains("constraint_violation") ? "CAST(constraint_violation AS DOUBLE)" : "CAST(NULL AS DOUBLE)"));
    metrics.forEach(m -> select.add("CAST(" + m + " AS DOUBLE)"));
    List<Row> rows = table.filter(org.apache.spark.sql.functions.col("sweep_id").equalTo(sweepId)
            .and(org.apache.spark.sql.functions.col("state").equalTo("COMPLETE")))
        .selectExpr(select.toArray(String[]::new)).orderBy("trial_id", "attempt").collectAsList();
    Map<Integer, ObjectiveBook.Earlier> out = new LinkedHashMap<>();
    for (Row r : rows) {
      Map<String, Double> values = new LinkedHashMap<>();
      TrialMetrics.NAMES.forEach(m -> values.put(m, Double.NaN));
      for (int i = 0; i < metrics.size(); i++) {
        values.put(metrics.get(i), r.isNullAt(4 + i) ? Double.NaN : r.getDouble(4 + i));
      }
      List<Double> objectives = r.isNullAt(2) ? List.of() : r.getList(2);
      out.put(r.getInt(0), new ObjectiveBook.Earlier(r.getInt(0), r.getInt(1), objectives,
          r.isNullAt(3) ? null : r.getDouble(3), values));
    }
    return new ArrayList<>(out.values());
  }

  /** Parameter values as the space types them (JSON gives Integer for small longs, etc.). */
  static Map<String, Object> typed(String json, SearchSpace space) {
    Map<String, Object> raw;
    try {
      raw = JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored parameters are not valid JSON: " + json, e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (var p : space.allParameters()) {
      if (!raw.containsKey(p.name())) {
        continue;
      }
      out.put(p.name(), convert(raw.get(p.name()), p.distribution()));
    }
    return out;
  }

  private static Object convert(Object value, Distribution d) {
    if (d instanceof FloatDistribution) {
      return ((Number) value).doubleValue();
    }
    if (d instanceof CategoricalDistribution c) {
      int i = c.indexOf(value);
      return i >= 0 ? c.choices().get(i) : value;
    }
    return ((Number) value).longValue();
  }

  /**
   * Each trial's epochs, whichever attempt wrote them: an epoch's row is written once, by the attempt that first
   * recorded it, so a trial's history can span attempts (epochs before a lost attempt's last checkpoint are its
   * rows, the rerun's are the rest). Tables of earlier versions, whose attempts each wrote the whole history
   * again: the latest attempt's row of an epoch wins.
   */
  static Map<Integer, List<EpochMetrics>> epochs(SparkSession spark, Warehouse warehouse, String sweepId) {
    Map<Integer, List<EpochMetrics>> out = new LinkedHashMap<>();
    if (!warehouse.exists(ResultTables.TRIAL_METRICS)) {
      return out;
    }
    Dataset<Row> table = spark.read().format("delta").load(warehouse.path(ResultTables.TRIAL_METRICS));
    // tables written before regression metrics existed lack their columns
    String regression = java.util.Arrays.asList(table.columns()).contains("val_r2") ? "val_rmse, val_mae, val_r2"
        : "CAST(NULL AS DOUBLE) AS val_rmse, CAST(NULL AS DOUBLE) AS val_mae, CAST(NULL AS DOUBLE) AS val_r2";
    List<Row> rows = ResultTables.trialEpochs(table)
        .filter(org.apache.spark.sql.functions.col("sweep_id").equalTo(sweepId))
        .selectExpr("trial_id", "attempt", "epoch", "train_loss", "val_loss", "val_accuracy", "val_macro_f1", "seconds",
            "samples", "val_roc_auc", "lr", "attempt",
            regression.split(", ")[0], regression.split(", ")[1], regression.split(", ")[2])
        .orderBy("trial_id", "epoch", "attempt").collectAsList();
    Map<Integer, Map<Integer, EpochMetrics>> byEpoch = new LinkedHashMap<>();
    for (Row r : rows) {
      byEpoch.computeIfAbsent(r.getInt(0), k -> new java.util.TreeMap<>()).put(r.getInt(2), new EpochMetrics(
          r.getInt(2), nan(r, 3), nan(r, 4), nan(r, 5), nan(r, 6), r.getDouble(7), r.getLong(8), nan(r, 9), nan(r, 10),
          nan(r, 12), nan(r, 13), nan(r, 14)));
    }
    byEpoch.forEach((trial, epochs) -> out.put(trial, new ArrayList<>(epochs.values())));
    return out;
  }

  /**
   * Each cross-validated trial's epochs per fold (rows with a {@code fold}), whichever attempt wrote them: a fold's
   * epochs are written once, by the attempt that first returned them. Empty for sweeps without cross-validation
   * and for tables written before folds existed.
   */
  static Map<Integer, List<List<EpochMetrics>>> foldEpochs(SparkSession spark, Warehouse warehouse, String sweepId,
      int folds) {
    Map<Integer, List<List<EpochMetrics>>> out = new LinkedHashMap<>();
    if (folds <= 0 || !warehouse.exists(ResultTables.TRIAL_METRICS)) {
      return out;
    }
    Dataset<Row> table = spark.read().format("delta").load(warehouse.path(ResultTables.TRIAL_METRICS));
    if (!java.util.Arrays.asList(table.columns()).contains("fold")) {
      return out;
    }
    List<Row> rows = table.filter(org.apache.spark.sql.functions.col("sweep_id").equalTo(sweepId)
            .and(org.apache.spark.sql.functions.col("fold").isNotNull()))
        .selectExpr("trial_id", "fold", "epoch", "train_loss", "val_loss", "val_accuracy", "val_macro_f1", "seconds",
            "samples", "val_roc_auc", "lr", "val_rmse", "val_mae", "val_r2", "attempt")
        .orderBy("trial_id", "fold", "epoch", "attempt").collectAsList();
    for (Row r : rows) {
      int fold = r.getInt(1);
      if (fold < 0 || fold >= folds) {
        continue;
      }
      List<List<EpochMetrics>> byFold = out.computeIfAbsent(r.getInt(0), k -> {
        List<List<EpochMetrics>> empty = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
          empty.add(new ArrayList<>());
        }
        return empty;
      });
      List<EpochMetrics> epochs = byFold.get(fold);
      EpochMetrics m = new EpochMetrics(r.getInt(2), nan(r, 3), nan(r, 4), nan(r, 5), nan(r, 6), r.getDouble(7),
          r.getLong(8), nan(r, 9), nan(r, 10), nan(r, 11), nan(r, 12), nan(r, 13));
      // an epoch written by two attempts (tables of earlier versions): the later attempt's, ordered last, wins
      if (!epochs.isEmpty() && epochs.get(epochs.size() - 1).epoch() == m.epoch()) {
        epochs.set(epochs.size() - 1, m);
      } else {
        epochs.add(m);
      }
    }
    return out;
  }

  private static double nan(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
  }

  /** A trial with the intermediate values of its recorded epochs (what pruners rank on). */
  static Trial withIntermediates(Trial trial, List<EpochMetrics> epochs, String metric) {
    Trial t = trial;
    for (EpochMetrics m : epochs) {
      t = t.withIntermediate(m.epoch(), m.metric(metric));
    }
    return t;
  }

  record StoredTrial(Trial trial, int lastAttempt) {}
}
