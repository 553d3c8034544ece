package dev.prepsweep.app.driver;

import dev.prepsweep.training.EpochMetrics;
import dev.prepsweep.training.ServingCost;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every metric a finished trial reports, by its {@code trials} column name: those of its best epoch
 * ({@link EpochMetrics#METRICS}) and its measured serving cost ({@link ServingCost#METRICS}). Objectives,
 * constraints and the selection rule all read trials through this one map.
 */
public final class TrialMetrics {

  /** Every legal metric name, epoch metrics first. */
  public static final List<String> NAMES;

  static {
    List<String> names = new ArrayList<>(EpochMetrics.METRICS);
    names.addAll(ServingCost.METRICS);
    NAMES = List.copyOf(names);
  }

  private TrialMetrics() {}

  /** The metrics of a trial whose best epoch is {@code best} and whose model costs {@code serving} (null: NaN). */
  public static Map<String, Double> of(EpochMetrics best, ServingCost serving) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String name : EpochMetrics.METRICS) {
      out.put(name, best == null ? Double.NaN : best.metric(name));
    }
    for (String name : ServingCost.METRICS) {
      out.put(name, serving == null ? Double.NaN : serving.metric(name));
    }
    return out;
  }

  /** The values of {@code names}, in order. */
  static List<Double> values(Map<String, Double> metrics, List<String> names) {
    return names.stream().map(metrics::get).toList();
  }
}
