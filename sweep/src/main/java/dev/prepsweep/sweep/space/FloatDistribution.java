package dev.prepsweep.sweep.space;

/**
 * A real-valued range {@code [low, high]}, optionally on a log scale (then {@code low > 0}) or
 * discretised by {@code step} (then {@code high - low} must be a multiple of it). Log and step
 * cannot be combined, as in Optuna.
 *
 * @param step the grid spacing, or {@code null} for a continuous range
 */
public record FloatDistribution(double low, double high, boolean log, Double step) implements Distribution {

  public FloatDistribution {
    if (!Double.isFinite(low) || !Double.isFinite(high)) {
      throw new InvalidSearchSpaceException("bounds must be finite, got low=" + low + ", high=" + high);
    }
    if (low > high) {
      throw new InvalidSearchSpaceException("low must be <= high, got low=" + low + ", high=" + high);
    }
    if (log && low <= 0) {
      throw new InvalidSearchSpaceException("log scale needs low > 0, got low=" + low);
    }
    if (log && step != null) {
      throw new InvalidSearchSpaceException("log scale and step cannot be combined, got step=" + step);
    }
    if (step != null) {
      if (!(step > 0)) {
        throw new InvalidSearchSpaceException("step must be > 0, got step=" + step);
      }
      double n = (high - low) / step;
      if (Math.abs(n - Math.rint(n)) > 1e-8 * Math.max(1, n)) {
        throw new InvalidSearchSpaceException(
            "high - low must be a multiple of step, got low=" + low + ", high=" + high + ", step=" + step);
      }
    }
  }

  public static FloatDistribution uniform(double low, double high) {
    return new FloatDistribution(low, high, false, null);
  }

  public static FloatDistribution logUniform(double low, double high) {
    return new FloatDistribution(low, high, true, null);
  }

  @Override
  public boolean contains(Object value) {
    if (!(value instanceof Number n)) {
      return false;
    }
    double v = n.doubleValue();
    if (!(v >= low && v <= high)) {
      return false;
    }
    if (step == null) {
      return true;
    }
    double k = (v - low) / step;
    return Math.abs(k - Math.rint(k)) < 1e-6;
  }

  @Override
  public double toInternal(Object value) {
    double v = ((Number) value).doubleValue();
    return log ? Math.log(v) : v;
  }

  @Override
  public Object fromInternal(double internal) {
    double v = log ? Math.exp(internal) : internal;
    if (step != null) {
      v = low + Math.rint((v - low) / step) * step;
    }
    return Math.min(high, Math.max(low, v));
  }

  @Override
  public double internalLow() {
    return log ? Math.log(low) : low;
  }

  @Override
  public double internalHigh() {
    return log ? Math.log(high) : high;
  }
}
