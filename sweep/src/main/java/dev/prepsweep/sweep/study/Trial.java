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
 */
public record Trial(
    int number,
    Map<String, Object> params,
    TrialState state,
    List<Double> values,
    SortedMap<Integer, Double> intermediate) implements Serializable {

  public Trial {
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
    return new Trial(number, params, TrialState.COMPLETE, objectiveValues, intermediate);
  }

  public Trial withState(TrialState newState) {
    return new Trial(number, params, newState, values, intermediate);
  }

  public Trial withIntermediate(int step, double value) {
    TreeMap<Integer, Double> next = new TreeMap<>(intermediate);
    next.put(step, value);
    return new Trial(number, params, state, values, next);
  }

  /** The last reported step, or -1 if none. */
  public int lastStep() {
    return intermediate.isEmpty() ? -1 : intermediate.lastKey();
  }
}
