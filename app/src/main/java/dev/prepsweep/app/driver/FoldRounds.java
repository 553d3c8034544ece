package dev.prepsweep.app.driver;

import dev.prepsweep.training.EpochMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
  private final List<Map<Integer, EpochMetrics>> epochs = new ArrayList<>();
  private final boolean[] stopped;

  FoldRounds(int folds) {
    if (folds < 2) {
      throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + folds);
    }
    this.folds = folds;
    this.stopped = new boolean[folds];
    for (int f = 0; f < folds; f++) {
      epochs.add(new TreeMap<>());
    }
  }

  int folds() {
    return folds;
  }

  /** The last epoch fold {@code fold} has trained (0 before any). */
  int reached(int fold) {
    Map<Integer, EpochMetrics> e = epochs.get(fold);
    return e.isEmpty() ? 0 : ((TreeMap<Integer, EpochMetrics>) e).lastKey();
  }

  /** The folds whose task the round up to epoch {@code target} still needs: not there yet and not stopped early. */
  List<Integer> toLaunch(int target) {
    List<Integer> launch = new ArrayList<>();
    for (int f = 0; f < folds; f++) {
      if (!stopped[f] && reached(f) < target) {
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
    trained.forEach(m -> epochs.get(fold).put(m.epoch(), m));
    if (complete && reached(fold) < target) {
      stopped[fold] = true;
    }
  }

  /** Whether every fold reached {@code target} or stopped early. */
  boolean complete(int target) {
    return toLaunch(target).isEmpty();
  }

  /** Each fold's epochs in epoch order. */
  List<List<EpochMetrics>> byFold() {
    return epochs.stream().map(e -> List.copyOf(e.values())).toList();
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
    for (Map<Integer, EpochMetrics> e : epochs) {
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
