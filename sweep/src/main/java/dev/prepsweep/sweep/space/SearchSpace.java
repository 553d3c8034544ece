package dev.prepsweep.sweep.space;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, ordered set of parameters, some of which may carry conditional child spaces.
 * Parameter names are unique across the whole tree, so a trial's parameters are one flat map.
 */
public final class SearchSpace implements Serializable {

  public static final SearchSpace EMPTY = new SearchSpace(List.of());

  private final List<Parameter> parameters;

  private SearchSpace(List<Parameter> parameters) {
    this.parameters = List.copyOf(parameters);
  }

  /** Builds a space; fails when a name repeats anywhere in the tree. */
  public static SearchSpace of(List<Parameter> parameters) {
    SearchSpace space = new SearchSpace(parameters);
    Set<String> seen = new HashSet<>();
    for (Parameter p : space.allParameters()) {
      if (!seen.add(p.name())) {
        throw new InvalidSearchSpaceException("parameter '" + p.name() + "' is defined more than once;"
            + " names must be unique across conditional branches");
      }
    }
    return space;
  }

  public static SearchSpace of(Parameter... parameters) {
    return of(List.of(parameters));
  }

  /** The top-level parameters, in declaration order. */
  public List<Parameter> parameters() {
    return parameters;
  }

  public boolean isEmpty() {
    return parameters.isEmpty();
  }

  /** Every parameter in the tree, depth first, parents before their children. */
  public List<Parameter> allParameters() {
    List<Parameter> out = new ArrayList<>();
    for (Parameter p : parameters) {
      out.add(p);
      for (SearchSpace child : p.children().values()) {
        out.addAll(child.allParameters());
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Whether no parameter has conditional children. */
  public boolean isFlat() {
    return parameters.stream().allMatch(p -> p.children().isEmpty());
  }

  /** Looks a parameter up anywhere in the tree. */
  public Parameter parameter(String name) {
    for (Parameter p : allParameters()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no parameter named '" + name + "' in this space");
  }

  /**
   * The parameters active under a (possibly partial) assignment: top-level ones plus the children
   * of each categorical's assigned value, recursively.
   */
  public List<Parameter> activeParameters(Map<String, Object> assignment) {
    List<Parameter> out = new ArrayList<>();
    for (Parameter p : parameters) {
      out.add(p);
      Object value = assignment.get(p.name());
      if (value != null) {
        out.addAll(p.childrenFor(value).activeParameters(assignment));
      }
    }
    return out;
  }

  /**
   * Checks that {@code params} assigns exactly the active parameters legal values.
   *
   * @throws InvalidSearchSpaceException naming the parameter, value and rule broken
   */
  public void validate(Map<String, Object> params) {
    Map<String, Object> remaining = new LinkedHashMap<>(params);
    for (Parameter p : activeParameters(params)) {
      if (!remaining.containsKey(p.name())) {
        throw new InvalidSearchSpaceException("parameter '" + p.name() + "' is missing");
      }
      Object v = remaining.remove(p.name());
      if (!p.distribution().contains(v)) {
        throw new InvalidSearchSpaceException(
            "parameter '" + p.name() + "': value " + v + " is not in " + p.distribution());
      }
    }
    if (!remaining.isEmpty()) {
      throw new InvalidSearchSpaceException("parameters " + remaining.keySet() + " are not active in this space");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SearchSpace s && s.parameters.equals(parameters);
  }

  @Override
  public int hashCode() {
    return parameters.hashCode();
  }

  @Override
  public String toString() {
    return "SearchSpace" + parameters;
  }
}
