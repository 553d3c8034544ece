package dev.prepsweep.sweep.sampler.moo;

import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto dominance over trials of a multi-objective study: the non-dominated (best) trials,
 * non-dominated sorting and crowding distances, as NSGA-II and reports use them.
 */
public final class ParetoFront {
  private ParetoFront() {}

  /**
   * The COMPLETE trials no other COMPLETE trial dominates, in trial-number order. Trials with
   * identical values are all kept.
   *
   * @throws IllegalArgumentException when a COMPLETE trial has a different number of values than
   *     there are directions
   */
  public static List<Trial> of(List<Trial> trials, List<Direction> directions) {
    List<Trial> complete = trials.stream().filter(t -> t.state() == TrialState.COMPLETE)
        .sorted(Comparator.comparingInt(Trial::number)).toList();
    double[][] losses = losses(complete, directions);
    int[] rank = ranks(losses);
    List<Trial> front = new ArrayList<>();
    for (int i = 0; i < complete.size(); i++) {
      if (rank[i] == 0) {
        front.add(complete.get(i));
      }
    }
    return front;
  }

  /**
   * Each trial's values as losses (negated for maximised objectives).
   *
   * @throws IllegalArgumentException when a trial's value count differs from the direction count
   */
  public static double[][] losses(List<Trial> trials, List<Direction> directions) {
    double[][] out = new double[trials.size()][];
    for (int i = 0; i < trials.size(); i++) {
      Trial t = trials.get(i);
      if (t.values().size() != directions.size()) {
        throw new IllegalArgumentException("trial " + t.number() + " has " + t.values().size()
            + " objective values but the study has " + directions.size() + " directions " + directions);
      }
      double[] l = new double[directions.size()];
      for (int k = 0; k < l.length; k++) {
        l[k] = directions.get(k).toLoss(t.values().get(k));
      }
      out[i] = l;
    }
    return out;
  }

  /** Whether loss vector {@code a} Pareto-dominates {@code b}: no worse everywhere, better somewhere. */
  public static boolean dominates(double[] a, double[] b) {
    boolean better = false;
    for (int k = 0; k < a.length; k++) {
      if (a[k] > b[k]) {
        return false;
      }
      if (a[k] < b[k]) {
        better = true;
      }
    }
    return better;
  }

  /** Non-dominated sorting (Deb et al. 2002): rank 0 is the front, rank 1 the front of the rest, and so on. */
  public static int[] ranks(double[][] losses) {
    int n = losses.length;
    int[] dominatedBy = new int[n];
    List<List<Integer>> dominates = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      dominates.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (dominates(losses[i], losses[j])) {
          dominates.get(i).add(j);
          dominatedBy[j]++;
        } else if (dominates(losses[j], losses[i])) {
          dominates.get(j).add(i);
          dominatedBy[i]++;
        }
      }
    }
    int[] rank = new int[n];
    Arrays.fill(rank, -1);
    List<Integer> current = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (dominatedBy[i] == 0) {
        current.add(i);
      }
    }
    int r = 0;
    while (!current.isEmpty()) {
      List<Integer> next = new ArrayList<>();
      for (int i : current) {
        rank[i] = r;
        for (int j : dominates.get(i)) {
          if (--dominatedBy[j] == 0) {
            next.add(j);
          }
        }
      }
      current = next;
      r++;
    }
    return rank;
  }

  /**
   * Crowding distance of each member of {@code members} (indices into {@code losses}) within that
   * set: infinite at each objective's extremes, else the sum of normalised neighbour gaps.
   */
  public static double[] crowdingDistance(double[][] losses, List<Integer> members) {
    int m = members.size();
    double[] dist = new double[m];
    if (m == 0) {
      return dist;
    }
    int objectives = losses[members.get(0)].length;
    Integer[] order = new Integer[m];
    for (int k = 0; k < objectives; k++) {
      for (int i = 0; i < m; i++) {
        order[i] = i;
      }
      final int obj = k;
      Arrays.sort(order, Comparator.comparingDouble(i -> losses[members.get(i)][obj]));
      double lo = losses[members.get(order[0])][k];
      double hi = losses[members.get(order[m - 1])][k];
      dist[order[0]] = Double.POSITIVE_INFINITY;
      dist[order[m - 1]] = Double.POSITIVE_INFINITY;
      if (hi > lo) {
        for (int i = 1; i < m - 1; i++) {
          dist[order[i]] += (losses[members.get(order[i + 1])][k] - losses[members.get(order[i - 1])][k]) / (hi - lo);
        }
      }
    }
    return dist;
  }

  /**
   * The hypervolume dominated by a two-objective set of losses up to {@code reference} (both
   * losses to be minimised); points not better than the reference in both objectives add nothing.
   */
  public static double hypervolume2d(double[][] losses, double[] reference) {
    double[][] pts = Arrays.stream(losses)
        .filter(p -> p[0] < reference[0] && p[1] < reference[1])
        .sorted(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]))
        .toArray(double[][]::new);
    double hv = 0;
    double bestSecond = reference[1];
    for (double[] p : pts) {
      if (p[1] < bestSecond) {
        hv += (reference[0] - p[0]) * (bestSecond - p[1]);
        bestSecond = p[1];
      }
    }
    return hv;
  }
}
