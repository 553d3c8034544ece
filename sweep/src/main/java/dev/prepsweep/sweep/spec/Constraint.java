package dev.prepsweep.sweep.spec;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One bound on a trial metric, written {@code "latency_p50_ms <= 5"} or {@code "val_macro_f1 >= 0.8"}
 * (a metric name, {@code <=} or {@code >=}, a number such as {@code 2e6}). Pure: the sweep core parses
 * and evaluates it; which metric names exist is the caller's to check.
 *
 * @param metric the metric's name (a {@code trials} column)
 * @param atMost true for {@code <=}, false for {@code >=}
 * @param bound the number
 */
public record Constraint(String metric, boolean atMost, double bound) implements Serializable {

  private static final Pattern FORM = Pattern.compile(
      "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(<=|>=|<|>|==|=|!=)\\s*([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*");

  public Constraint {
    Objects.requireNonNull(metric, "metric");
    if (!Double.isFinite(bound)) {
      throw new IllegalArgumentException("constraint bound must be finite, got " + bound);
    }
  }

  /**
   * Parses {@code "<metric> <= <number>"} or {@code "<metric> >= <number>"}.
   *
   * @throws IllegalArgumentException naming the text and the rule when it has another form
   */
  public static Constraint parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a constraint; write '<metric> <= <number>' or"
          + " '<metric> >= <number>', e.g. 'latency_p50_ms <= 5'");
    }
    String op = m.group(2);
    if (!op.equals("<=") && !op.equals(">=")) {
      throw new IllegalArgumentException("'" + text + "' uses '" + op + "'; a constraint bounds a metric with '<=' or"
          + " '>=' (strict bounds and equality make no difference to measured values)");
    }
    return new Constraint(m.group(1), op.equals("<="), Double.parseDouble(m.group(3)));
  }

  /**
   * How far {@code value} is outside the bound: 0 when it is met, else the distance to the bound.
   * A NaN value (the metric was not measured) misses the bound by +infinity.
   */
  public double violation(double value) {
    if (Double.isNaN(value)) {
      return Double.POSITIVE_INFINITY;
    }
    return Math.max(0, atMost ? value - bound : bound - value);
  }

  /** Whether {@code value} meets the bound. */
  public boolean test(double value) {
    return violation(value) == 0;
  }

  /**
   * The summed violation of {@code constraints} over a trial's metrics (0 = feasible).
   *
   * @throws IllegalArgumentException when a constraint's metric is missing from {@code metrics}
   */
  public static double violation(java.util.List<Constraint> constraints, Map<String, Double> metrics) {
    double sum = 0;
    for (Constraint c : constraints) {
      Double v = metrics.get(c.metric());
      if (v == null && !metrics.containsKey(c.metric())) {
        throw new IllegalArgumentException("constraint '" + c + "' names metric '" + c.metric()
            + "', which the trial does not report; reported: " + new java.util.TreeSet<>(metrics.keySet()));
      }
      sum += c.violation(v == null ? Double.NaN : v);
    }
    return sum;
  }

  @Override
  public String toString() {
    return metric + (atMost ? " <= " : " >= ") + format(bound);
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v).toLowerCase(Locale.ROOT);
  }
}
