package dev.prepsweep.app.results;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.training.EpochMetrics;
import java.util.List;
import java.util.Map;

/**
 * One attempt of one trial as the driver records it (a row of {@code trials}, its epochs rows of
 * {@code trial_metrics}).
 *
 * @param state RUNNING, COMPLETE, PRUNED or FAILED
 * @param values the objective values, one per sweep metric; empty unless COMPLETE
 * @param best the metrics of the best epoch, or null
 * @param epochs the trial's epochs so far, whichever attempt trained them (its {@code epochs} count and best epoch)
 * @param modelUri where the trial's best model is kept, or null
 * @param resumedFromEpoch the checkpointed epoch the last task continued from (0 = from scratch)
 * @param serving the model's measured serving cost, or null
 * @param violation how far the trial misses the sweep's constraints (0 feasible), or null without constraints
 *     or values
 * @param paretoRank the trial's non-dominated rank among the sweep's feasible COMPLETE trials (0 = on the
 *     front), set when the sweep ends; null before, for single-objective sweeps and for infeasible trials
 * @param classWeights the trial's loss weighting: {@code none}, {@code balanced} (recomputed from train) or
 *     {@code table} (the prep job's {@code class_weights})
 * @param classWeightsVersion the pinned {@code class_weights} version used with {@code table}, else null
 * @param cvFolds the number of cross-validation folds, or null without cross-validation; then {@code values} and
 *     {@code epochs} are fold averages
 * @param foldValues each fold's objective at the best (fold-averaged) epoch, in fold order; empty without
 * @param valueStd the population standard deviation of {@code foldValues}, or null
 * @param foldEpochs each fold's epochs that this attempt recorded first, in fold order (its rows of
 *     {@code trial_metrics} with their {@code fold}); empty without
 * @param epochRows the epochs of {@code epochs} that this attempt recorded first: its rows of {@code trial_metrics}
 *     (an earlier attempt or driver wrote the others, so each (trial, epoch) is one row)
 */
public record TrialRecord(
    String sweepId,
    int trialId,
    int attempt,
    String state,
    List<Double> values,
    Map<String, Object> params,
    long seed,
    EpochMetrics best,
    List<EpochMetrics> epochs,
    String executorId,
    String host,
    String gpu,
    String device,
    long startedAtMillis,
    Long endedAtMillis,
    String error,
    TableVersion train,
    TableVersion val,
    String modelUri,
    int resumedFromEpoch,
    dev.prepsweep.training.ServingCost serving,
    Double violation,
    Integer paretoRank,
    String classWeights,
    Long classWeightsVersion,
    Integer cvFolds,
    List<Double> foldValues,
    Double valueStd,
    List<List<EpochMetrics>> foldEpochs,
    List<EpochMetrics> epochRows) {

  /** A record of a trial's only attempt (it writes every epoch's row), without serving cost, constraints, Pareto rank, class-weight choice or folds. */
  public TrialRecord(String sweepId, int trialId, int attempt, String state, List<Double> values,
      Map<String, Object> params, long seed, EpochMetrics best, List<EpochMetrics> epochs, String executorId,
      String host, String gpu, String device, long startedAtMillis, Long endedAtMillis, String error, TableVersion train,
      TableVersion val, String modelUri, int resumedFromEpoch) {
    this(sweepId, trialId, attempt, state, values, params, seed, best, epochs, executorId, host, gpu, device,
        startedAtMillis, endedAtMillis, error, train, val, modelUri, resumedFromEpoch, null, null, null, null, null, null,
        List.of(), null, List.of(), epochs);
  }

  /** This record with its Pareto rank. */
  public TrialRecord withParetoRank(Integer rank) {
    return new TrialRecord(sweepId, trialId, attempt, state, values, params, seed, best, epochs, executorId, host, gpu,
        device, startedAtMillis, endedAtMillis, error, train, val, modelUri, resumedFromEpoch, serving, violation, rank,
        classWeights, classWeightsVersion, cvFolds, foldValues, valueStd, foldEpochs, epochRows);
  }

  public TrialRecord {
    params = Map.copyOf(params);
    values = values == null ? List.of() : List.copyOf(values);
    epochs = epochs == null ? List.of() : List.copyOf(epochs);
    foldValues = foldValues == null ? List.of() : List.copyOf(foldValues);
    foldEpochs = foldEpochs == null ? List.of() : foldEpochs.stream().map(List::copyOf).toList();
    epochRows = epochRows == null ? List.of() : List.copyOf(epochRows);
  }

  /** The first objective's value, or null. */
  public Double value() {
    return values.isEmpty() ? null : values.get(0);
  }
}
