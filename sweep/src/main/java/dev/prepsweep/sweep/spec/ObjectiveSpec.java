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

  public static final int DEFAULT_SERVING_BATCH_SIZE = 64;
  public static final int DEFAULT_SERVING_CALLS = 200;
  public static final int DEFAULT_SERVING_WARMUP_CALLS = 20;
  public static final ObjectiveSpec DEFAULT = new ObjectiveSpec(List.of(), Optional.empty(),
      DEFAULT_SERVING_BATCH_SIZE, DEFAULT_SERVING_CALLS, DEFAULT_SERVING_WARMUP_CALLS);

  public ObjectiveSpec {
    constraints = constraints == null ? List.of() : List.copyOf(constraints);
    select = select == null ? Optional.empty() : select;
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
