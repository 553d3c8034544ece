package dev.prepsweep.app.config;

import dev.prepsweep.common.config.ConfigNode;
import java.io.Serializable;
import java.util.List;

/**
 * What each trial task asks Spark for through stage-level scheduling. {@code gpus} may be
 * fractional (0.5 = two trials share a GPU); 0 trains on CPU.
 *
 * @param requireGpu fail trials that get no usable GPU instead of falling back to CPU
 */
public record TrialResources(int cpus, double gpus, boolean requireGpu) implements Serializable {

  public static final TrialResources DEFAULT = new TrialResources(1, 0, false);

  public TrialResources {
    if (cpus < 1) {
      throw new IllegalArgumentException("resources.cpus must be >= 1, got " + cpus);
    }
    if (gpus < 0 || (gpus > 1 && gpus != Math.rint(gpus))) {
      throw new IllegalArgumentException("resources.gpus must be a fraction in (0, 1] or a whole number, got " + gpus);
    }
  }

  static TrialResources parse(ConfigNode node) {
    node.allowOnly(List.of("cpus", "gpus", "require_gpu"));
    int cpus = node.getInt("cpus", DEFAULT.cpus());
    double gpus = node.getDouble("gpus", DEFAULT.gpus());
    boolean require = node.getBoolean("require_gpu", DEFAULT.requireGpu());
    if (cpus < 1) {
      throw node.required("cpus").invalid("must be >= 1");
    }
    if (gpus < 0 || (gpus > 1 && gpus != Math.rint(gpus))) {
      throw node.required("gpus").invalid("must be a fraction in (0, 1] or a whole number of GPUs");
    }
    if (require && gpus == 0) {
      throw node.required("require_gpu").invalid("needs resources.gpus > 0");
    }
    return new TrialResources(cpus, gpus, require);
  }
}
