package dev.prepsweep.app.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a sweep report shows, as plain values read from the {@code sweeps}, {@code trials} and
 * {@code trial_metrics} tables. Built by {@link ReportQueries} from Spark, or by hand in tests and
 * notebooks; everything derived from it (best so far, importance, Pareto front) is computed by
 * {@link SweepAnalysis} without Spark.
 *
 * @param sweep one row of {@code sweeps}
 * @param paramNames the fields of {@code trials.params}, in schema order
 * @param trials every attempt of every trial, ordered by trial id then attempt
 * @param epochs the rows of {@code trial_metrics}, ordered by trial, attempt, epoch: each epoch once, in the attempt
 *     that first recorded it
 */
public record SweepData(Sweep sweep, List<String> paramNames, List<Trial> trials, List<Epoch> epochs) {

  public SweepData {
    Objects.requireNonNull(sweep, "sweep");
    paramNames = List.copyOf(paramNames);
    trials = List.copyOf(trials);
    epochs = List.copyOf(epochs);
  }

  /** An objective of the sweep: a metric column of {@code trials} and its direction. */
  public record Objective(String name, boolean maximize) {
    public Objective {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * One row of {@code sweeps}.
   *
   * @param objectives the sweep's metrics in order; more than one makes it multi-objective
   */
  public record Sweep(
      String sweepId,
      String status,
      String method,
      List<Objective> objectives,
      Long seed,
      Integer budgetTrials,
      Integer parallelism,
      String master,
      Map<String, Long> dataVersions,
      Map<String, String> dataPaths,
      String codeVersion,
      String startedAt,
      String endedAt,
      int trialsComplete,
      int trialsFailed,
      int trialsPruned,
      Integer bestTrialId,
      Double bestValue,
      String message) {

    public Sweep {
      Objects.requireNonNull(sweepId, "sweepId");
      objectives = List.copyOf(objectives);
      if (objectives.isEmpty()) {
        throw new IllegalArgumentException("sweep " + sweepId + " has no objective; a report needs at least one metric");
      }
      dataVersions = dataVersions == null ? Map.of() : Map.copyOf(dataVersions);
      dataPaths = dataPaths == null ? Map.of() : Map.copyOf(dataPaths);
    }

    public Objective primary() {
      return objectives.get(0);
    }
  }

  /**
   * One attempt of one trial.
   *
   * @param value the objective value (first metric), null unless COMPLETE
   * @param params parameter name to value (Double, Long, Boolean or String); missing or null when unset
   * @param metrics metric columns of the best epoch (val_accuracy, val_loss, val_macro_f1, train_loss)
   */
  public record Trial(int trialId, int attempt, String state, Double value, Map<String, Object> params,
      Map<String, Double> metrics, Double durationS, String executorId, String error) {

    public Trial {
      Objects.requireNonNull(state, "state");
      params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
      metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }

    public boolean complete() {
      return "COMPLETE".equals(state);
    }

    public boolean pruned() {
      return "PRUNED".equals(state);
    }
  }

  /**
   * One row of {@code trial_metrics}. Metrics are null where the epoch did not record them (a classifier's
   * regression metrics, a regression trial's classification ones).
   */
  public record Epoch(int trialId, int attempt, int epoch, Double trainLoss, Double valLoss, Double valAccuracy,
      Double valMacroF1, Double valRmse, Double valMae, Double valR2) {

    /** A classifier's epoch: no regression metrics. */
    public Epoch(int trialId, int attempt, int epoch, Double trainLoss, Double valLoss, Double valAccuracy,
        Double valMacroF1) {
      this(trialId, attempt, epoch, trainLoss, valLoss, valAccuracy, valMacroF1, null, null, null);
    }

    /** The metric by its column name, or null when it is not an epoch metric. */
    public Double metric(String name) {
      return switch (name) {
        case "train_loss" -> trainLoss;
        case "val_loss" -> valLoss;
        case "val_accuracy" -> valAccuracy;
        case "val_macro_f1" -> valMacroF1;
        case "val_rmse" -> valRmse;
        case "val_mae" -> valMae;
        case "val_r2" -> valR2;
        default -> null;
      };
    }
  }

  /**
   * The trial's epochs as attempt {@code attempt} left them, in epoch order: each epoch's row from the latest attempt
   * up to this one. An epoch's row is written once, by the attempt that first recorded it, so a rerun's curve starts
   * with the epochs before its checkpoint that a lost attempt recorded (tables of earlier versions, where each attempt
   * wrote the whole history again, read the same).
   */
  public List<Epoch> epochsOf(int trialId, int attempt) {
    java.util.TreeMap<Integer, Epoch> byEpoch = new java.util.TreeMap<>();
    for (Epoch e : epochs) {
      if (e.trialId() == trialId && e.attempt() <= attempt) {
        byEpoch.merge(e.epoch(), e, (kept, other) -> other.attempt() > kept.attempt() ? other : kept);
      }
    }
    return new ArrayList<>(byEpoch.values());
  }
}
