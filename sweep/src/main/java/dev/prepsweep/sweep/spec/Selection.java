package dev.prepsweep.sweep.spec;

import dev.prepsweep.sweep.study.Direction;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which one trial's model is scored on the test split: {@code select: {maximize: val_macro_f1,
 * where: "latency_p50_ms <= 2"}}, i.e. the best trial by {@code metric} among the feasible COMPLETE
 * trials that also meet every {@code where} bound; ties go to the lower trial number. Pure.
 *
 * @param metric the metric to optimise among the candidates
 * @param goal whether larger or smaller is better
 * @param where extra bounds the chosen trial must meet (besides the sweep's constraints)
 */
public record Selection(String metric, Direction goal, List<Constraint> where) implements Serializable {

  public Selection {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(goal, "goal");
    where = where == null ? List.of() : List.copyOf(where);
  }

  /** A candidate: a feasible COMPLETE trial's number and every metric it reports. */
  public record Candidate(int trial, Map<String, Double> metrics) {}

  /**
   * The chosen trial, or empty when no candidate meets {@code where}.
   *
   * @throws IllegalArgumentException when a candidate lacks the metric or a {@code where} metric
   */
  public Optional<Candidate> choose(List<Candidate> candidates) {
    Candidate best = null;
    for (Candidate c : candidates) {
      if (Constraint.violation(where, c.metrics()) > 0) {
        continue;
      }
      Double v = c.metrics().get(metric);
      if (v == null) {
        throw new IllegalArgumentException("select." + goal.name().toLowerCase(java.util.Locale.ROOT) + " names '"
            + metric + "', which trial " + c.trial() + " does not report");
      }
      if (v.isNaN()) {
        continue;
      }
      if (best == null || goal.isBetter(v, best.metrics().get(metric))
          || (v.equals(best.metrics().get(metric)) && c.trial() < best.trial())) {
        best = c;
      }
    }
    return Optional.ofNullable(best);
  }

  @Override
  public String toString() {
    return goal.name().toLowerCase(java.util.Locale.ROOT) + " " + metric
        + (where.isEmpty() ? "" : " where " + String.join(" and ", where.stream().map(Constraint::toString).toList()));
  }
}
