package dev.prepsweep.app.driver;

import dev.prepsweep.training.EpochMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * The folds of one cross-validated trial, driver-side and pure: which fold tasks the next attempt
 * launches, each fold's epochs so far, the fold-averaged epochs the sampler and pruners see, and when
 * a round (a rung's target epoch, or the whole budget) is complete. A fold that ends before the target
 * with a complete outcome stopped early (patience) and is done; a failed fold is launched again.
 *
 * <p>The trial's history is the mean over folds per epoch, over the epochs every fold has: one epoch
 * count is chosen for all folds (the best averaged epoch), as a cross-validated estimate must not pick
 * each fold's best epoch on that fold's own validation rows.
 */
final class FoldRounds {

  private final int folds;
  /** Per fold, its epochs and the attempt that recorded each first (whose row writes the epoch's row). */
  private final List<RecordedEpochs> epochs = new ArrayList<>();
  private final boolean[] stopped;

  FoldRounds(int folds) {
    if (folds < 2) {
      throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + folds);
    }
    this.folds = folds;
    this.stopped = new boolean[folds];
    for (int f = 0; f < folds; f++) {
      epochs.add(new RecordedEpochs());
    }
  }

  int folds() {
    return folds;
  }

  /** The last epoch fold {@code fold} has trained (0 before any). */
  int reached(int fold) {
    return epochs.get(fold).last();
  }

  /** The folds whose task the round up to epoch {@code target} still needs: not there yet and not stopped early. */
  List<Integer> toLaunch(int target) {
    List<Integer> launch = new ArrayList<>();
    for (int f = 0; f < folds; f++) {
      if (!done(f, target)) {
        launch.add(f);
      }
    }
    return launch;
  }

  /**
   * Records what one fold task trained in a round up to {@code target}: its epochs replace earlier ones of
   * the same number (a retried epoch); a complete task that ended before the target stopped early.
   */
  void record(int fold, List<EpochMetrics> trained, boolean complete, int target) {
    record(fold, trained, complete, target, 0);
  }

  /** As {@link #record(int, List, boolean, int)}, by attempt {@code attempt} (the one whose row writes new epochs). */
  void record(int fold, List<EpochMetrics> trained, boolean complete, int target, int attempt) {
    epochs.get(fold).record(trained, attempt);
    if (complete && reached(fold) < target) {
      stopped[fold] = true;
    }
  }

  /**
   * Takes over the epochs an earlier driver recorded for each fold (rows of {@code trial_metrics}): they are not
   * written again, and a fold that reached an attempt's target is not launched again. Whether a fold stopped
   * early is not in its rows: such a fold is launched again and returns at once from its checkpoint.
   */
  void restore(List<List<EpochMetrics>> byFold) {
    for (int f = 0; f < Math.min(folds, byFold.size()); f++) {
      epochs.get(f).restore(byFold.get(f));
    }
  }

  /** Whether fold {@code fold} has every epoch up to {@code target} or stopped early. */
  boolean done(int fold, int target) {
    return stopped[fold] || reached(fold) >= target;
  }

  /** Each fold's epochs that attempt {@code attempt} recorded first (what its row writes), in fold and epoch order. */
  List<List<EpochMetrics>> recordedBy(int attempt) {
    return epochs.stream().map(e -> e.recordedBy(attempt)).toList();
  }

  /** Whether every fold reached {@code target} or stopped early. */
  boolean complete(int target) {
    return toLaunch(target).isEmpty();
  }

  /** Each fold's epochs in epoch order. */
  List<List<EpochMetrics>> byFold() {
    return epochs.stream().map(RecordedEpochs::all).toList();
  }

  /**
   * The mean over folds of every metric, per epoch that all folds have (seconds and samples summed: the
   * trial's cost); empty until every fold has an epoch.
   */
  List<EpochMetrics> averaged() {
    int common = Integer.MAX_VALUE;
    for (int f = 0; f < folds; f++) {
      common = Math.min(common, reached(f));
    }
    List<EpochMetrics> mean = new ArrayList<>();
    for (int e = 1; e <= common; e++) {
      List<EpochMetrics> at = atEpoch(e);
      if (at.size() < folds) {
        continue;
      }
      mean.add(new EpochMetrics(e, avg(at, EpochMetrics::trainLoss), avg(at, EpochMetrics::valLoss),
          avg(at, EpochMetrics::valAccuracy), avg(at, EpochMetrics::valMacroF1),
          at.stream().mapToDouble(EpochMetrics::seconds).sum(), at.stream().mapToLong(EpochMetrics::samples).sum(),
          avg(at, EpochMetrics::valRocAuc), avg(at, EpochMetrics::lr), avg(at, EpochMetrics::valRmse),
          avg(at, EpochMetrics::valMae), avg(at, EpochMetrics::valR2)));
    }
    return mean;
  }

  /** The folds' epochs numbered {@code epoch} (those that have it), in fold order. */
  private List<EpochMetrics> atEpoch(int epoch) {
    List<EpochMetrics> at = new ArrayList<>();
    for (RecordedEpochs e : epochs) {
      EpochMetrics m = e.get(epoch);
      if (m != null) {
        at.add(m);
      }
    }
    return at;
  }

  private static double avg(List<EpochMetrics> at, java.util.function.ToDoubleFunction<EpochMetrics> metric) {
    return at.stream().mapToDouble(metric).average().orElse(Double.NaN);
  }

  /** Each fold's {@code metric} at {@code epoch}, in fold order (the folds that have it). */
  static List<Double> foldValues(List<List<EpochMetrics>> byFold, int epoch, String metric) {
    List<Double> values = new ArrayList<>();
    for (List<EpochMetrics> fold : byFold) {
      fold.stream().filter(m -> m.epoch() == epoch).findFirst().ifPresent(m -> values.add(m.metric(metric)));
    }
    return values;
  }

  /**
   * The population standard deviation (numpy's and scikit-learn's {@code cross_val_score(...).std()}
   * convention) of {@code values}; NaN when empty.
   */
  static double std(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    return Math.sqrt(squares / values.size());
  }
}
