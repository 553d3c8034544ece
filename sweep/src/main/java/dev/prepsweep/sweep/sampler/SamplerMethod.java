package dev.prepsweep.sweep.sampler;

import java.util.Locale;
import java.util.Optional;

/** A sweep's {@code method}: which sampler proposes its trials. {@code toString()} is the config name. */
public enum SamplerMethod {
  RANDOM, GRID, SOBOL, TPE, GP, NSGA2, MOTPE;

  /** The method named {@code name} (case and surrounding blanks ignored), if there is one. */
  public static Optional<SamplerMethod> find(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.trim();
    for (SamplerMethod m : values()) {
      if (m.toString().equalsIgnoreCase(n)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
