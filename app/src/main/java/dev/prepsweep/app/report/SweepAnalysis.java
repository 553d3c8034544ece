package dev.prepsweep.app.report;

import dev.prepsweep.app.report.SweepData.Objective;
import dev.prepsweep.app.report.SweepData.Trial;
import dev.prepsweep.sweep.sampler.moo.ParetoFront;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the report derives from a sweep's rows: the optimisation history with the best value so far,
 * parameter importance and the Pareto front. Pure functions of {@link SweepData}.
 *
 * <p>Parameter importance is the share of the objective's variance explained by each parameter on
 * its own (a first-order, fANOVA-style main effect), estimated as epsilon-squared over groups of
 * trials: categorical parameters group by value, numeric ones by quantile bins. Epsilon-squared is
 * eta-squared corrected for the variance any grouping explains by chance, which matters with the
 * 8-50 trials of a typical sweep (eta-squared of a pure-noise parameter with k groups is about
 * (k-1)/(n-1)). We prefer it to random-forest importances here because it is deterministic, needs
 * no Spark job, and its meaning ("this parameter alone explains 40% of the spread") is readable;
 * its limit is that interactions between parameters are not attributed.
 */
public final class SweepAnalysis {

  /** Fewer completed trials than this and importance is not estimated. */
  public static final int MIN_TRIALS_FOR_IMPORTANCE = 4;

  private SweepAnalysis() {}

  /** One completed trial in the history: its value and the best value of trials up to it. */
  public record HistoryPoint(int trialId, double value, double bestSoFar, boolean isBest) {}

  /** How much of the objective's variance one parameter explains on its own (0..1), and its share of the total. */
  public record Importance(String param, double score, double share, int groups) {}

  /** Completed trials in trial order with the running best, for the objective's direction. */
  public static List<HistoryPoint> history(SweepData data) {
    boolean max = data.sweep().primary().maximize();
    List<Trial> done = completed(data);
    done.sort(Comparator.comparingInt(Trial::trialId).thenComparingInt(Trial::attempt));
    List<HistoryPoint> out = new ArrayList<>();
    Double best = null;
    for (Trial t : done) {
      double v = t.value();
      boolean improved = best == null || (max ? v > best : v < best);
      if (improved) {
        best = v;
      }
      out.add(new HistoryPoint(t.trialId(), v, best, improved));
    }
    return out;
  }

  /** Completed attempts with a value. */
  public static List<Trial> completed(SweepData data) {
    List<Trial> out = new ArrayList<>();
    for (Trial t : data.trials()) {
      if (t.complete() && t.value() != null && Double.isFinite(t.value())) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * Importance of every parameter that varies, highest first; empty with fewer than
   * {@link #MIN_TRIALS_FOR_IMPORTANCE} completed trials.
   */
  public static List<Importance> importance(SweepData data) {
    List<Trial> done = completed(data);
    if (done.size() < MIN_TRIALS_FOR_IMPORTANCE) {
      return List.of();
    }
    double[] y = done.stream().mapToDouble(Trial::value).toArray();
    List<Importance> raw = new ArrayList<>();
    for (String p : data.paramNames()) {
      int[] groups = groups(done, p);
      if (groups == null) {
        continue;
      }
      int k = 0;
      for (int g : groups) {
        k = Math.max(k, g + 1);
      }
      raw.add(new Importance(p, epsilonSquared(y, groups, k), 0, k));
    }
    double total = raw.stream().mapToDouble(Importance::score).sum();
    List<Importance> out = new ArrayList<>();
    for (Importance i : raw) {
      out.add(new Importance(i.param(), i.score(), total > 0 ? i.score() / total : 0, i.groups()));
    }
    out.sort(Comparator.comparingDouble(Importance::score).reversed().thenComparing(Importance::param));
    return out;
  }

  /**
   * Epsilon-squared: (SS_between - (k-1) MS_within) / SS_total, floored at 0. 0 when the objective
   * does not vary.
   */
  static double epsilonSquared(double[] y, int[] group, int k) {
    int n = y.length;
    double mean = 0;
    for (double v : y) {
      mean += v;
    }
    mean /= n;
    double[] sum = new double[k];
    int[] count = new int[k];
    for (int i = 0; i < n; i++) {
      sum[group[i]] += y[i];
      count[group[i]]++;
    }
    double ssTotal = 0;
    for (double v : y) {
      ssTotal += (v - mean) * (v - mean);
    }
    double ssBetween = 0;
    for (int g = 0; g < k; g++) {
      if (count[g] > 0) {
        double m = sum[g] / count[g];
        ssBetween += count[g] * (m - mean) * (m - mean);
      }
    }
    if (ssTotal <= 0 || n <= k) {
      return 0;
    }
    double msWithin = (ssTotal - ssBetween) / (n - k);
    return Math.max(0, (ssBetween - (k - 1) * msWithin) / ssTotal);
  }

  /**
   * Group index of every trial for one parameter, or null when the parameter takes fewer than two
   * values. Numbers with more than four distinct values fall into quantile bins (about three trials
   * per bin, two to four bins); everything else groups by value.
   */
  static int[] groups(List<Trial> trials, String param) {
    List<Object> values = new ArrayList<>();
    for (Trial t : trials) {
      values.add(t.params().get(param));
    }
    Map<String, Integer> distinct = new TreeMap<>();
    boolean numeric = true;
    for (Object v : values) {
      distinct.putIfAbsent(key(v), distinct.size());
      numeric &= v instanceof Number;
    }
    if (distinct.size() < 2) {
      return null;
    }
    int[] out = new int[values.size()];
    if (numeric && distinct.size() > 4) {
      int bins = Math.max(2, Math.min(4, values.size() / 3));
      Integer[] order = new Integer[values.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, Comparator.comparingDouble(i -> ((Number) values.get(i)).doubleValue()));
      for (int rank = 0; rank < order.length; rank++) {
        out[order[rank]] = Math.min(bins - 1, rank * bins / order.length);
      }
      return out;
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      out[i] = index.computeIfAbsent(key(values.get(i)), k -> index.size());
    }
    return out;
  }

  private static String key(Object v) {
    return v == null ? "\u0000null" : v.toString();
  }

  /**
   * The completed trials no other completed trial dominates on all objectives (at least as good on
   * every one, better on one), in order of the first objective.
   */
  public static List<Trial> paretoFront(SweepData data) {
    List<Objective> objectives = data.sweep().objectives();
    List<Trial> candidates = new ArrayList<>();
    for (Trial t : data.trials()) {
      boolean feasible = !(t.metrics().getOrDefault("constraint_violation", 0.0) > 0);
      if (t.complete() && feasible && objectives.stream().allMatch(o -> finite(objective(t, o)))) {
        candidates.add(t);
      }
    }
    List<Trial> front = new ArrayList<>();
    for (Trial a : candidates) {
      boolean dominated = false;
      for (Trial b : candidates) {
        if (a != b && dominates(b, a, objectives)) {
          dominated = true;
          break;
        }
      }
      if (!dominated) {
        front.add(a);
      }
    }
    Objective first = objectives.get(0);
    front.sort(Comparator.comparingDouble(t -> objective(t, first)));
    return front;
  }

  /** Whether {@code a} dominates {@code b}: the sweep core's one Pareto test, on losses (maximised objectives negated). */
  static boolean dominates(Trial a, Trial b, List<Objective> objectives) {
    return ParetoFront.dominates(losses(a, objectives), losses(b, objectives));
  }

  private static double[] losses(Trial t, List<Objective> objectives) {
    double[] out = new double[objectives.size()];
    for (int k = 0; k < out.length; k++) {
      double v = objective(t, objectives.get(k));
      out[k] = objectives.get(k).maximize() ? -v : v;
    }
    return out;
  }

  /** A trial's value of an objective (its metric of that name), or null when not recorded. */
  public static Double objective(Trial t, Objective o) {
    return t.metrics().get(o.name());
  }

  private static boolean finite(Double d) {
    return d != null && Double.isFinite(d);
  }
}
