package dev.prepsweep.sweep.study;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable snapshot of one trial: its number in the study, parameters, state, objective
 * values (one per objective, empty unless COMPLETE) and intermediate values reported per step
 * (epoch, rung budget...). State changes produce new snapshots.
 *
 * <p>{@code violation} is how far a COMPLETE trial misses the sweep's constraints
 * ({@link dev.prepsweep.sweep.spec.Constraint#violation}): 0 when it meets them all, above 0 when it is
 * infeasible, NaN when the sweep has none (or the trial has no values yet). Samplers rank every
 * infeasible trial after every feasible one, infeasible ones by violation (Optuna's constrained samplers).
 */
public record Trial(
    int number,
    Map<String, Object> params,
    TrialState state,
    List<Double> values,
    SortedMap<Integer, Double> intermediate,
    double violation) implements Serializable {

  /** A trial without constraint information (violation NaN). */
  public Trial(int number, Map<String, Object> params, TrialState state, List<Double> values,
      SortedMap<Integer, Double> intermediate) {
    this(number, params, state, values, intermediate, Double.NaN);
  }

  public Trial {
    if (violation < 0) {
      throw new IllegalArgumentException("trial " + number + ": a constraint violation is >= 0 (or NaN), got " + violation);
    }
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(state, "state");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    values = values == null ? List.of() : List.copyOf(values);
    intermediate = Collections.unmodifiableSortedMap(intermediate == null ? new TreeMap<>() : new TreeMap<>(intermediate));
    if (state == TrialState.COMPLETE && values.isEmpty()) {
      throw new IllegalArgumentException("trial " + number + " is COMPLETE but has no value");
    }
  }

  public static Trial running(int number, Map<String, Object> params) {
    return new Trial(number, params, TrialState.RUNNING, List.of(), null);
  }

  /** The single objective value; fails for a trial that has none or several. */
  public double value() {
    if (values.size() != 1) {
      throw new IllegalStateException("trial " + number + " has " + values.size() + " objective values");
    }
    return values.get(0);
  }

  public Trial complete(List<Double> objectiveValues) {
    return new Trial(number, params, TrialState.COMPLETE, objectiveValues, intermediate, violation);
  }

  /** COMPLETE with {@code objectiveValues}, missing the constraints by {@code constraintViolation} (0 = feasible). */
  public Trial complete(List<Double> objectiveValues, double constraintViolation) {
    return new Trial(number, params, TrialState.COMPLETE, objectiveValues, intermediate, constraintViolation);
  }

  public Trial withState(TrialState newState) {
    return new Trial(number, params, newState, values, intermediate, violation);
  }

  /** Whether the trial misses a constraint (false when there are none or it has no values). */
  public boolean infeasible() {
    return violation > 0;
  }

  public Trial withIntermediate(int step, double value) {
    TreeMap<Integer, Double> next = new TreeMap<>(intermediate);
    next.put(step, value);
    return new Trial(number, params, state, values, next, violation);
  }

  /** The last reported step, or -1 if none. */
  public int lastStep() {
    return intermediate.isEmpty() ? -1 : intermediate.lastKey();
  }
}
