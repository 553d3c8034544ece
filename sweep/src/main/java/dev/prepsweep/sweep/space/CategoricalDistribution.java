package dev.prepsweep.sweep.space;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A choice among distinct values (strings, numbers or booleans). Internally a choice is its index.
 */
public record CategoricalDistribution(List<Object> choices) implements Distribution {

  public CategoricalDistribution {
    Objects.requireNonNull(choices, "choices");
    if (choices.isEmpty()) {
      throw new InvalidSearchSpaceException("choices must not be empty");
    }
    if (new HashSet<>(choices).size() != choices.size()) {
      throw new InvalidSearchSpaceException("choices must be distinct, got " + choices);
    }
    for (Object c : choices) {
      if (!(c instanceof String || c instanceof Number || c instanceof Boolean)) {
        throw new InvalidSearchSpaceException(
            "choices must be strings, numbers or booleans, got " + c + " in " + choices);
      }
    }
    choices = List.copyOf(choices);
  }

  public static CategoricalDistribution of(Object... choices) {
    return new CategoricalDistribution(List.of(choices));
  }

  /** The index of {@code value} among the choices (numbers compare by value), or -1. */
  public int indexOf(Object value) {
    for (int i = 0; i < choices.size(); i++) {
      Object c = choices.get(i);
      if (c.equals(value)
          || (c instanceof Number a && value instanceof Number b && a.doubleValue() == b.doubleValue())) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean contains(Object value) {
    return indexOf(value) >= 0;
  }

  @Override
  public double toInternal(Object value) {
    int i = indexOf(value);
    if (i < 0) {
      throw new IllegalArgumentException(value + " is not one of " + choices);
    }
    return i;
  }

  @Override
  public Object fromInternal(double internal) {
    int i = (int) Math.max(0, Math.min(choices.size() - 1, Math.floor(internal)));
    return choices.get(i);
  }

  @Override
  public double internalLow() {
    return 0;
  }

  @Override
  public double internalHigh() {
    return choices.size();
  }
}
