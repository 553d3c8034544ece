package dev.prepsweep.etl.plan;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Rounds a class-by-split table of quotas {@code rows[c] * ratios[s]} to whole rows, jointly: every
 * class keeps its row count, every cell is its quota rounded down or up (never further than one row
 * from it), and every split's total is its overall quota {@code N * ratios[s]} rounded by the largest
 * remainder (within one row of it). Rounding each class on its own, with ties to the first split,
 * would hand every tied leftover row to the same split and drift that split's total by up to one row
 * per class; here the leftovers are spread so the totals land on their targets.
 *
 * <p>The leftover rows are a bipartite b-matching: class c has {@code rows[c] - sum floor(q)} units,
 * each may go to a split whose quota has a fractional part, and split s takes {@code T[s] - sum floor}
 * units. It is solved with augmenting paths (a class may move an earlier unit to another split to
 * free room), preferring splits with larger fractional parts. Such a table always has a solution
 * (zero-restricted controlled rounding of a two-way table, Cox 1987); a failure is a bug and throws.
 *
 * <p>Pure and deterministic: the same counts and ratios give the same table.
 */
public final class ControlledRounding {
  private static final double EPS = 1e-9;

  private ControlledRounding() {}

  /**
   * @param rows rows per class (>= 0)
   * @param ratios per split, adding up to 1
   * @return {@code [class][split]} rows
   */
  public static long[][] round(long[] rows, double[] ratios) {
    int classes = rows.length;
    int splits = ratios.length;
    long[][] out = new long[classes][splits];
    double[][] frac = new double[classes][splits];
    int[] units = new int[classes];
    long total = 0;
    long[] floors = new long[splits];
    for (int c = 0; c < classes; c++) {
      if (rows[c] < 0) {
        throw new IllegalArgumentException("class " + c + " has " + rows[c] + " rows");
      }
      total += rows[c];
      long used = 0;
      for (int s = 0; s < splits; s++) {
        double q = rows[c] * ratios[s];
        out[c][s] = (long) Math.floor(q + EPS);
        frac[c][s] = Math.max(0, q - out[c][s]);
        if (frac[c][s] < EPS || ratios[s] <= 0) {
          frac[c][s] = 0;
        }
        used += out[c][s];
      }
      while (used > rows[c]) { // floating point noise only: take back from the largest cell
        int big = 0;
        for (int s = 1; s < splits; s++) {
          big = out[c][s] > out[c][big] ? s : big;
        }
        out[c][big]--;
        used--;
      }
      units[c] = (int) (rows[c] - used);
      for (int s = 0; s < splits; s++) {
        floors[s] += out[c][s];
      }
    }
    long[] targets = SplitPlanner.apportion(total, ratios);
    long[] room = new long[splits];
    for (int s = 0; s < splits; s++) {
      room[s] = targets[s] - floors[s];
    }
    boolean[][] up = new boolean[classes][splits];
    for (int c = 0; c < classes; c++) {
      Integer[] order = byFraction(frac[c]);
      for (int u = 0; u < units[c]; u++) {
        if (!augment(c, order, frac, up, room)) {
          // no split can take it within one row of its quota with the totals on target: not possible
          // for ratios adding up to 1 (see the class comment), so a bug
          throw new IllegalStateException("controlled rounding found no room for a row of class " + c
              + " (rows " + Arrays.toString(rows) + ", ratios " + Arrays.toString(ratios) + ")");
        }
      }
    }
    for (int c = 0; c < classes; c++) {
      for (int s = 0; s < splits; s++) {
        out[c][s] += up[c][s] ? 1 : 0;
      }
    }
    return out;
  }

  private static Integer[] byFraction(double[] f) {
    Integer[] order = new Integer[f.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -f[i]).thenComparingInt(i -> i));
    return order;
  }

  /**
   * Places one unit of class {@code start}: a breadth-first search over "class c takes split s"
   * (allowed when c's quota in s has a fraction and c has not taken s yet) and "a class holding s
   * moves to another split", ending at a split with room.
   */
  private static boolean augment(int start, Integer[] startOrder, double[][] frac, boolean[][] up, long[] room) {
    int classes = frac.length;
    int splits = room.length;
    int[] splitFrom = new int[splits]; // the class that reached split s
    Arrays.fill(splitFrom, -1);
    int[] classFrom = new int[classes]; // the split through which a class was reached
    Arrays.fill(classFrom, -2);
    classFrom[start] = -1;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(start);
    while (!queue.isEmpty()) {
      int c = queue.poll();
      Integer[] order = c == start ? startOrder : byFraction(frac[c]);
      for (int s : order) {
        if (frac[c][s] <= 0 || up[c][s] || splitFrom[s] >= 0) {
          continue;
        }
        splitFrom[s] = c;
        if (room[s] > 0) {
          // flip the path: c takes s, the class that reached c through split p leaves p for c's place...
          room[s]--;
          int split = s;
          int cls = c;
          while (true) {
            up[cls][split] = true;
            int via = classFrom[cls];
            if (via < 0) {
              return true;
            }
            up[cls][via] = false; // cls leaves 'via' to the class that wanted it
            split = via;
            cls = splitFrom[via];
          }
        }
        for (int other = 0; other < classes; other++) {
          if (up[other][s] && classFrom[other] == -2) {
            classFrom[other] = s;
            queue.add(other);
          }
        }
      }
    }
    return false;
  }
}
