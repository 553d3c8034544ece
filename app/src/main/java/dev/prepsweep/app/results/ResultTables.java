package dev.prepsweep.app.results;

import dev.prepsweep.sweep.space.CategoricalDistribution;
import dev.prepsweep.sweep.space.Distribution;
import dev.prepsweep.sweep.space.FloatDistribution;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.training.EpochMetrics;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Schemas of the result tables and the conversion of records into rows. Parameters become a
 * {@code params} struct with one typed field per parameter of the space (so SQL reads
 * {@code params.lr}), plus {@code params_json} for tools that want one string.
 */
public final class ResultTables {

  public static final String SWEEPS = "sweeps";
  public static final String TRIALS = "trials";
  public static final String TRIAL_METRICS = "trial_metrics";

  static final String TRIAL_KEY = "t.sweep_id = s.sweep_id AND t.trial_id = s.trial_id AND t.attempt = s.attempt";
  static final String METRIC_KEY = TRIAL_KEY + " AND t.epoch = s.epoch";
  static final String SWEEP_KEY = "t.sweep_id = s.sweep_id";

  /**
   * The MERGE condition's part that names the sweep as a literal: on tables partitioned by
   * {@code sweep_id} it limits what the MERGE reads, and so what Delta checks for conflicts, to that
   * sweep's partition.
   */
  static String inSweep(String sweepId) {
    if (!sweepId.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("'" + sweepId + "' is not a sweep id (letters, digits, '.', '_', '-')");
    }
    return "t.sweep_id = '" + sweepId + "'";
  }

  private ResultTables() {}

  /** The {@code params} struct type of a space: floats double, ints bigint, categoricals by their choices' type. */
  public static StructType paramsType(SearchSpace space) {
    List<StructField> fields = new ArrayList<>();
    for (Parameter p : space.allParameters()) {
      fields.add(DataTypes.createStructField(p.name(), typeOf(p.distribution()), true));
    }
    return DataTypes.createStructType(fields);
  }

  private static DataType typeOf(Distribution d) {
    if (d instanceof FloatDistribution) {
      return DataTypes.DoubleType;
    }
    if (d instanceof CategoricalDistribution c) {
      if (c.choices().stream().allMatch(v -> v instanceof Long || v instanceof Integer)) {
        return DataTypes.LongType;
      }
      if (c.choices().stream().allMatch(v -> v instanceof Number)) {
        return DataTypes.DoubleType;
      }
      if (c.choices().stream().allMatch(v -> v instanceof Boolean)) {
        return DataTypes.BooleanType;
      }
      return DataTypes.StringType;
    }
    return DataTypes.LongType;
  }

  public static StructType trialsSchema(StructType paramsType) {
    return new StructType()
        .add("sweep_id", DataTypes.StringType, false)
        .add("trial_id", DataTypes.IntegerType, false)
        .add("attempt", DataTypes.IntegerType, false)
        .add("state", DataTypes.StringType, false)
        .add("value", DataTypes.DoubleType)
        .add("objective_values", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("val_accuracy", DataTypes.DoubleType)
        .add("val_loss", DataTypes.DoubleType)
        .add("val_macro_f1", DataTypes.DoubleType)
        .add("val_roc_auc", DataTypes.DoubleType)
        .add("train_loss", DataTypes.DoubleType)
        .add("best_epoch", DataTypes.IntegerType)
        .add("epochs", DataTypes.IntegerType)
        .add("params", paramsType)
        .add("params_json", DataTypes.StringType)
        .add("seed", DataTypes.LongType)
        .add("executor_id", DataTypes.StringType)
        .add("host", DataTypes.StringType)
        .add("gpu", DataTypes.StringType)
        .add("device", DataTypes.StringType)
        .add("started_at", DataTypes.TimestampType)
        .add("ended_at", DataTypes.TimestampType)
        .add("duration_s", DataTypes.DoubleType)
        .add("error", DataTypes.StringType)
        .add("train_table", DataTypes.StringType)
        .add("train_version", DataTypes.LongType)
        .add("val_table", DataTypes.StringType)
        .add("val_version", DataTypes.LongType)
        .add("model_uri", DataTypes.StringType)
        .add("resumed_from_epoch", DataTypes.IntegerType)
        .add("val_rmse", DataTypes.DoubleType)
        .add("val_mae", DataTypes.DoubleType)
        .add("val_r2", DataTypes.DoubleType)
        // serving cost and objectives (docs/training.md "Serving cost"): one block, at the end
        .add("latency_p50_ms", DataTypes.DoubleType)
        .add("latency_p95_ms", DataTypes.DoubleType)
        .add("throughput_rows_s", DataTypes.DoubleType)
        .add("throughput_batch", DataTypes.IntegerType)
        .add("param_count", DataTypes.LongType)
        .add("model_bytes", DataTypes.LongType)
        .add("train_seconds", DataTypes.DoubleType)
        .add("serving_load", DataTypes.DoubleType)
        .add("constraint_violation", DataTypes.DoubleType)
        .add("feasible", DataTypes.BooleanType)
        .add("pareto_rank", DataTypes.IntegerType)
        // the class-weight choice and cross-validation (README "Class weights and cross-validation")
        .add("class_weights", DataTypes.StringType)
        .add("class_weights_version", DataTypes.LongType)
        .add("cv_folds", DataTypes.IntegerType)
        .add("value_std", DataTypes.DoubleType)
        .add("fold_values", DataTypes.createArrayType(DataTypes.DoubleType));
  }

  public static final StructType METRICS_SCHEMA = new StructType()
      .add("sweep_id", DataTypes.StringType, false)
      .add("trial_id", DataTypes.IntegerType, false)
      .add("attempt", DataTypes.IntegerType, false)
      .add("epoch", DataTypes.IntegerType, false)
      .add("train_loss", DataTypes.DoubleType)
      .add("val_loss", DataTypes.DoubleType)
      .add("val_accuracy", DataTypes.DoubleType)
      .add("val_macro_f1", DataTypes.DoubleType)
      .add("val_roc_auc", DataTypes.DoubleType)
      .add("lr", DataTypes.DoubleType)
      .add("seconds", DataTypes.DoubleType)
      .add("samples", DataTypes.LongType)
      .add("val_rmse", DataTypes.DoubleType)
      .add("val_mae", DataTypes.DoubleType)
      .add("val_r2", DataTypes.DoubleType)
      // null: the trial's epoch (the fold average under cross-validation); 0..k-1: that fold's epoch
      .add("fold", DataTypes.IntegerType);

  /** The metric rows' key: trial, attempt, epoch and fold ({@code <=>}: null, the trial's own row, matches null). */
  static final String METRIC_FOLD_KEY = METRIC_KEY + " AND t.fold <=> s.fold";

  public static final StructType SWEEPS_SCHEMA = new StructType()
      .add("sweep_id", DataTypes.StringType, false)
      .add("status", DataTypes.StringType, false)
      .add("method", DataTypes.StringType)
      .add("metric", DataTypes.StringType)
      .add("goal", DataTypes.StringType)
      .add("seed", DataTypes.LongType)
      .add("budget_trials", DataTypes.IntegerType)
      .add("parallelism", DataTypes.IntegerType)
      .add("master", DataTypes.StringType)
      .add("data_versions", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
      .add("data_paths", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
      .add("config", DataTypes.StringType)
      .add("config_hash", DataTypes.StringType)
      .add("code_version", DataTypes.StringType)
      .add("started_at", DataTypes.TimestampType)
      .add("ended_at", DataTypes.TimestampType)
      .add("trials_complete", DataTypes.IntegerType)
      .add("trials_failed", DataTypes.IntegerType)
      .add("trials_pruned", DataTypes.IntegerType)
      .add("best_trial_id", DataTypes.IntegerType)
      .add("best_value", DataTypes.DoubleType)
      .add("message", DataTypes.StringType)
      // objectives, constraints and the model selection: one block, at the end
      .add("objectives", DataTypes.createArrayType(DataTypes.StringType))
      .add("constraints", DataTypes.createArrayType(DataTypes.StringType))
      .add("selection_rule", DataTypes.StringType)
      .add("selected_trial_id", DataTypes.IntegerType)
      .add("pareto_front", DataTypes.createArrayType(DataTypes.IntegerType));

  static Row trialRow(TrialRecord r, StructType paramsType) {
    EpochMetrics b = r.best();
    dev.prepsweep.training.ServingCost c = r.serving();
    Object[] params = new Object[paramsType.fields().length];
    for (int i = 0; i < params.length; i++) {
      StructField f = paramsType.fields()[i];
      params[i] = convert(r.params().get(f.name()), f.dataType());
    }
    Long ended = r.endedAtMillis();
    return RowFactory.create(r.sweepId(), r.trialId(), r.attempt(), r.state(), r.value(),
        r.values().isEmpty() ? null : CollectionConverters.asScala(r.values()).toSeq(),
        b == null ? null : b.valAccuracy(), b == null ? null : b.valLoss(), b == null ? null : b.valMacroF1(),
        b == null ? null : b.valRocAuc(), b == null ? null : b.trainLoss(), b == null ? null : b.epoch(), r.epochs().size(),
        RowFactory.create(params), Json.of(r.params()), r.seed(), r.executorId(), r.host(), r.gpu(), r.device(),
        new Timestamp(r.startedAtMillis()), ended == null ? null : new Timestamp(ended),
        ended == null ? null : (ended - r.startedAtMillis()) / 1000.0, r.error(),
        r.train().path(), r.train().version(), r.val().path(), r.val().version(), r.modelUri(), r.resumedFromEpoch(),
        b == null ? null : b.valRmse(), b == null ? null : b.valMae(), b == null ? null : b.valR2(),
        c == null ? null : c.latencyP50Ms(), c == null ? null : c.latencyP95Ms(), c == null ? null : c.throughputRowsS(),
        c == null ? null : c.throughputBatch(), c == null ? null : c.paramCount(), c == null ? null : c.modelBytes(),
        c == null ? null : c.trainSeconds(), c == null || Double.isNaN(c.loadPerCore()) ? null : c.loadPerCore(),
        r.violation(), r.violation() == null ? null : r.violation() == 0, r.paretoRank(),
        r.classWeights(), r.classWeightsVersion(), r.cvFolds(), r.valueStd(),
        r.foldValues().isEmpty() ? null : CollectionConverters.asScala(r.foldValues()).toSeq());
  }

  /**
   * The {@code trial_metrics} rows a record writes: the trial's epochs and each fold's that its attempt recorded
   * first ({@link TrialRecord#epochRows()}, {@link TrialRecord#foldEpochs()}), never the trial's whole history,
   * which would write an epoch again under each later attempt.
   */
  public static List<Row> metricRows(TrialRecord r) {
    List<Row> rows = new ArrayList<>();
    for (EpochMetrics m : r.epochRows()) {
      rows.add(metricRow(r, m, null));
    }
    for (int f = 0; f < r.foldEpochs().size(); f++) {
      for (EpochMetrics m : r.foldEpochs().get(f)) {
        rows.add(metricRow(r, m, f));
      }
    }
    return rows;
  }

  /**
   * The trials' own epoch rows of {@code trial_metrics} (under cross-validation the fold averages), without
   * the per-fold rows; a table written before folds existed has only those.
   */
  public static org.apache.spark.sql.Dataset<Row> trialEpochs(org.apache.spark.sql.Dataset<Row> trialMetrics) {
    return java.util.Arrays.asList(trialMetrics.columns()).contains("fold")
        ? trialMetrics.where(org.apache.spark.sql.functions.col("fold").isNull()) : trialMetrics;
  }

  private static Row metricRow(TrialRecord r, EpochMetrics m, Integer fold) {
    return RowFactory.create(r.sweepId(), r.trialId(), r.attempt(), m.epoch(), m.trainLoss(), m.valLoss(),
        m.valAccuracy(), m.valMacroF1(), m.valRocAuc(), m.lr(), m.seconds(), m.samples(), m.valRmse(), m.valMae(), m.valR2(), fold);
  }

  static Row sweepRow(SweepRecord s) {
    return RowFactory.create(s.sweepId(), s.status(), s.method(), s.metric(), s.goal(), s.seed(), s.budgetTrials(),
        s.parallelism(), s.master(), scalaMap(s.dataVersions()), scalaMap(s.dataPaths()), s.config(), s.configHash(),
        s.codeVersion(), new Timestamp(s.startedAtMillis()),
        s.endedAtMillis() == null ? null : new Timestamp(s.endedAtMillis()), s.trialsComplete(), s.trialsFailed(),
        s.trialsPruned(), s.bestTrialId(), s.bestValue(), s.message(), seq(s.objectives()), seq(s.constraints()),
        s.selectionRule(), s.selectedTrialId(), s.paretoFront() == null ? null : seq(s.paretoFront()));
  }

  private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
    return CollectionConverters.asScala(list).toSeq();
  }

  private static <K, V> scala.collection.Map<K, V> scalaMap(Map<K, V> map) {
    return CollectionConverters.asScala(map);
  }

  private static Object convert(Object value, DataType type) {
    if (value == null) {
      return null;
    }
    if (type.equals(DataTypes.DoubleType)) {
      return ((Number) value).doubleValue();
    }
    if (type.equals(DataTypes.LongType)) {
      return ((Number) value).longValue();
    }
    if (type.equals(DataTypes.BooleanType)) {
      return value;
    }
    return value.toString();
  }
}
