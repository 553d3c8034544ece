package dev.prepsweep.sweep.sampler.tpe;

import dev.prepsweep.sweep.space.CategoricalDistribution;
import dev.prepsweep.sweep.space.Distribution;
import dev.prepsweep.sweep.space.FloatDistribution;
import dev.prepsweep.sweep.space.IntDistribution;

/**
 * One parameter as the Parzen estimators see it: a continuous interval, a discrete grid (ints,
 * stepped floats; kernels are integrated over each grid cell) or a categorical. All numbers are
 * in the distribution's internal scale (log-scaled for log distributions).
 */
final class Dim {
  enum Kind { CONTINUOUS, DISCRETE, CATEGORICAL }

  final Distribution distribution;
  final Kind kind;
  /** Internal bounds that kernels are truncated to (discrete grids widened by half a cell). */
  final double low;
  final double high;
  final int choices;

  Dim(Distribution d) {
    this.distribution = d;
    if (d instanceof CategoricalDistribution c) {
      kind = Kind.CATEGORICAL;
      low = 0;
      high = c.choices().size();
      choices = c.choices().size();
    } else if (d instanceof IntDistribution) {
      kind = Kind.DISCRETE;
      low = d.internalLow();
      high = d.internalHigh();
      choices = 0;
    } else {
      FloatDistribution f = (FloatDistribution) d;
      choices = 0;
      if (f.step() != null) {
        kind = Kind.DISCRETE;
        low = f.low() - 0.5 * f.step();
        high = f.high() + 0.5 * f.step();
      } else {
        kind = Kind.CONTINUOUS;
        low = d.internalLow();
        high = d.internalHigh();
      }
    }
  }

  double width() {
    return high - low;
  }

  /** The internal cell {@code [lo, hi]} of a legal discrete value given in internal scale. */
  double cellLow(double internal) {
    if (distribution instanceof IntDistribution i) {
      return i.log() ? Math.log(Math.exp(internal) - 0.5) : internal - 0.5 * i.step();
    }
    return internal - 0.5 * ((FloatDistribution) distribution).step();
  }

  double cellHigh(double internal) {
    if (distribution instanceof IntDistribution i) {
      return i.log() ? Math.log(Math.exp(internal) + 0.5) : internal + 0.5 * i.step();
    }
    return internal + 0.5 * ((FloatDistribution) distribution).step();
  }

  /** Snaps an internal number to the internal value of the nearest legal value. */
  double snap(double internal) {
    return distribution.toInternal(distribution.fromInternal(internal));
  }
}
