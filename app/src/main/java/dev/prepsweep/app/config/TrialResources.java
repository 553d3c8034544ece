package dev.prepsweep.app.config;

import java.io.Serializable;

/**
 * What each trial task asks Spark for through stage-level scheduling. {@code gpus} may be
 * fractional (0.5 = two trials share a GPU); 0 trains on CPU. Defaults: {@link JobDefaults#RESOURCES}.
 *
 * @param requireGpu fail trials that get no usable GPU instead of falling back to CPU
 */
public record TrialResources(int cpus, double gpus, boolean requireGpu) implements Serializable {

  public TrialResources {
    if (cpus < 1) {
      throw new IllegalArgumentException("resources.cpus must be >= 1, got " + cpus);
    }
    if (gpus < 0 || (gpus > 1 && gpus != Math.rint(gpus))) {
      throw new IllegalArgumentException("resources.gpus must be a fraction in (0, 1] or a whole number, got " + gpus);
    }
    if (requireGpu && gpus == 0) {
      throw new IllegalArgumentException("resources.require_gpu needs resources.gpus > 0");
    }
  }
}
