package dev.prepsweep.sweep.sampler;

import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Direction;
import java.util.List;
import java.util.Locale;

/** Resolves a sweep's {@code method} name to a sampler. */
public final class SamplerFactory {

  /** Every method name a sweep spec may name, in the order error messages list them. */
  public static final List<String> METHODS = List.of("random", "grid", "sobol", "tpe", "gp", "nsga2", "motpe");

  private SamplerFactory() {}

  /**
   * A new sampler of {@code method} (case-insensitive) for {@code space}, seeded with {@code seed}.
   *
   * @throws IllegalArgumentException naming the method and the known ones when it is unknown, or
   *     when the method does not fit the space or the number of directions
   */
  public static Sampler create(String method, SearchSpace space, List<Direction> directions, long seed) {
    String name = method == null ? "" : method.trim().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "random" -> new RandomSampler(space, seed);
      case "grid" -> new GridSampler(space, seed);
      case "sobol" -> new SobolSampler(space, seed);
      case "tpe" -> new dev.prepsweep.sweep.sampler.tpe.TpeSampler(space, directions, seed);
      case "gp" -> new dev.prepsweep.sweep.sampler.gp.GpSampler(space, directions, seed);
      case "nsga2" -> new dev.prepsweep.sweep.sampler.moo.Nsga2Sampler(space, directions, seed);
      case "motpe" -> new dev.prepsweep.sweep.sampler.tpe.TpeSampler(space, directions, seed);
      default -> throw unknown(method);
    };
  }

  private static IllegalArgumentException unknown(String method) {
    if (method != null && METHODS.contains(method.trim().toLowerCase(Locale.ROOT))) {
      return new IllegalArgumentException("sampler method '" + method + "' is not available in this build;"
          + " use one of random, grid, sobol");
    }
    return new IllegalArgumentException("unknown sampler method '" + method + "'; known methods: "
        + String.join(", ", METHODS));
  }
}
