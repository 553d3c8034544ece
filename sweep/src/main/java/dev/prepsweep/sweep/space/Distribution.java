package dev.prepsweep.sweep.space;

import java.io.Serializable;

/**
 * The range one parameter is drawn from. Every implementation validates itself on construction
 * and maps values to and from an internal {@code double} representation that samplers work in:
 * float and int distributions map to their (possibly log-scaled) value, categoricals to the
 * index of the choice.
 */
public sealed interface Distribution extends Serializable
    permits FloatDistribution, IntDistribution, CategoricalDistribution {

  /** Whether {@code value} is a legal value of this distribution (type, bounds, step, choice). */
  boolean contains(Object value);

  /** The internal representation of a legal value: log-scaled for log distributions, index for categoricals. */
  double toInternal(Object value);

  /** The legal value closest to an internal representation (rounded to steps, clamped to bounds). */
  Object fromInternal(double internal);

  /** Lower bound of the internal representation. */
  double internalLow();

  /** Upper bound of the internal representation. */
  double internalHigh();
}
