package dev.prepsweep.sweep.space;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One named parameter and, for a categorical, the child spaces that become active when it takes
 * a given value (Vizier-style conditional parameters). Children are keyed by the choice itself.
 */
public record Parameter(String name, Distribution distribution, Map<Object, SearchSpace> children)
    implements Serializable {

  public Parameter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(distribution, "distribution of " + name);
    if (name.isBlank()) {
      throw new InvalidSearchSpaceException("parameter names must not be blank");
    }
    children = children == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(children));
    if (!children.isEmpty()) {
      if (!(distribution instanceof CategoricalDistribution cat)) {
        throw new InvalidSearchSpaceException(
            "parameter '" + name + "': only categorical parameters can have conditional children");
      }
      for (Object key : children.keySet()) {
        if (!cat.contains(key)) {
          throw new InvalidSearchSpaceException("parameter '" + name + "': conditional children keyed by '"
              + key + "', which is not one of the choices " + cat.choices());
        }
      }
    }
  }

  public Parameter(String name, Distribution distribution) {
    this(name, distribution, Map.of());
  }

  /** The child space active when this parameter takes {@code value}, or an empty space. */
  public SearchSpace childrenFor(Object value) {
    if (children.isEmpty()) {
      return SearchSpace.EMPTY;
    }
    for (Map.Entry<Object, SearchSpace> e : children.entrySet()) {
      if (((CategoricalDistribution) distribution).indexOf(value) == ((CategoricalDistribution) distribution).indexOf(e.getKey())) {
        return e.getValue();
      }
    }
    return SearchSpace.EMPTY;
  }
}
