package dev.prepsweep.sweep.space;

/**
 * An integer range {@code [low, high]} (both inclusive), optionally on a log scale (then
 * {@code low >= 1} and {@code step == 1}) or with a {@code step} that divides {@code high - low}.
 * Values are {@link Long}s.
 */
public record IntDistribution(long low, long high, boolean log, long step) implements Distribution {

  public IntDistribution {
    if (low > high) {
      throw new InvalidSearchSpaceException("low must be <= high, got low=" + low + ", high=" + high);
    }
    if (step < 1) {
      throw new InvalidSearchSpaceException("step must be >= 1, got step=" + step);
    }
    if (log && low < 1) {
      throw new InvalidSearchSpaceException("log scale needs low >= 1, got low=" + low);
    }
    if (log && step != 1) {
      throw new InvalidSearchSpaceException("log scale and step cannot be combined, got step=" + step);
    }
    if ((high - low) % step != 0) {
      throw new InvalidSearchSpaceException(
          "high - low must be a multiple of step, got low=" + low + ", high=" + high + ", step=" + step);
    }
  }

  public static IntDistribution of(long low, long high) {
    return new IntDistribution(low, high, false, 1);
  }

  @Override
  public boolean contains(Object value) {
    if (!(value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)) {
      return false;
    }
    long v = ((Number) value).longValue();
    return v >= low && v <= high && (v - low) % step == 0;
  }

  @Override
  public double toInternal(Object value) {
    long v = ((Number) value).longValue();
    return log ? Math.log(v) : v;
  }

  /** Log ranges are widened by half a unit at each end so both bounds are as likely as inner values. */
  @Override
  public Object fromInternal(double internal) {
    double v = log ? Math.exp(internal) : internal;
    long rounded = low + Math.round((v - low) / step) * step;
    return Math.min(high, Math.max(low, rounded));
  }

  @Override
  public double internalLow() {
    return log ? Math.log(low - 0.5) : low - 0.5 * step;
  }

  @Override
  public double internalHigh() {
    return log ? Math.log(high + 0.5) : high + 0.5 * step;
  }
}
