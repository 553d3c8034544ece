package dev.prepsweep.training;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a regression model's output relates to the label: {@code prediction = mean + std * output}. The
 * built-in models learn the label standardised with the train split's mean and standard deviation, so one
 * learning rate suits any label scale and the output layer starts near the mean; a TorchScript module
 * predicts the label as it is ({@link #IDENTITY}), since the user's module and its Python users expect that.
 * Saved with the model ({@link #toMap()}) so scoring turns outputs into predictions as training did.
 */
public record TargetScale(double mean, double std) implements Serializable {

  public static final TargetScale IDENTITY = new TargetScale(0, 1);

  /** The train targets' mean and population standard deviation (1 when they are all equal). */
  public static TargetScale fit(double[] targets) {
    if (targets == null) {
      return IDENTITY; // no target column: RegressionRun names the problem
    }
    double mean = 0;
    for (double t : targets) {
      mean += t;
    }
    mean /= Math.max(1, targets.length);
    double ss = 0;
    for (double t : targets) {
      ss += (t - mean) * (t - mean);
    }
    double std = Math.sqrt(ss / Math.max(1, targets.length));
    return new TargetScale(mean, std > 0 ? std : 1);
  }

  /** The targets in output units: {@code (t - mean) / std}. */
  public float[] toOutput(double[] targets) {
    float[] out = new float[targets.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) ((targets[i] - mean) / std);
    }
    return out;
  }

  /** Predictions from outputs: {@code mean + std * output}. */
  public float[] toPrediction(float[] outputs) {
    float[] out = new float[outputs.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (mean + std * outputs[i]);
    }
    return out;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mean", mean);
    m.put("std", std);
    return m;
  }

  /** From {@link #toMap()}; {@link #IDENTITY} for null (a classifier's model). */
  public static TargetScale fromMap(Map<String, Object> m) {
    return m == null ? IDENTITY
        : new TargetScale(((Number) m.get("mean")).doubleValue(), ((Number) m.get("std")).doubleValue());
  }
}
