package dev.prepsweep.sweep.spec;

import java.util.List;
import java.util.Optional;

/**
 * What a sweep optimises besides its metrics: {@code constraints} every chosen trial must meet,
 * the {@code select} rule for the one model scored on test, and how trials measure their serving
 * cost ({@code serving}). All optional:
 *
 * <pre>{@code
 * sweep:
 *   constraints: ["latency_p95_ms <= 5", "model_bytes <= 2e6"]
 *   select: {maximize: val_macro_f1, where: "latency_p95_ms <= 2"}
 *   serving: {batch_size: 64, calls: 200, warmup_calls: 20}
 * }</pre>
 *
 * @param constraints bounds on trial metrics; samplers rank infeasible trials after feasible ones
 * @param select the selection rule, empty for the default (the best trial by the first metric)
 * @param servingBatchSize rows per call of the throughput measurement
 * @param servingCalls timed calls of each kind (at least 200)
 * @param servingWarmupCalls untimed calls before them
 */
public record ObjectiveSpec(List<Constraint> constraints, Optional<Selection> select, int servingBatchSize,
    int servingCalls, int servingWarmupCalls) {

  /** The fewest timed serving calls: fewer make the p95 latency one of a handful of samples. */
  public static final int MIN_SERVING_CALLS = 200;


  public ObjectiveSpec {
    constraints = constraints == null ? List.of() : List.copyOf(constraints);
    select = select == null ? Optional.empty() : select;
    if (servingBatchSize < 1 || servingCalls < MIN_SERVING_CALLS || servingWarmupCalls < 1) {
      throw new IllegalArgumentException("serving needs batch_size >= 1, calls >= " + MIN_SERVING_CALLS + " and warmup_calls >= 1, got "
          + servingBatchSize + ", " + servingCalls + ", " + servingWarmupCalls);
    }
  }

  /** Every metric name the constraints and the selection rule read. */
  public List<String> metricNames() {
    List<String> names = new java.util.ArrayList<>(constraints.stream().map(Constraint::metric).toList());
    select.ifPresent(s -> {
      names.add(s.metric());
      s.where().forEach(c -> names.add(c.metric()));
    });
    return names.stream().distinct().toList();
  }
}
