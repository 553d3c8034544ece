package dev.prepsweep.sweep.sampler;

import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Direction;
import java.util.Arrays;
import java.util.List;

/** Resolves a sweep's {@code method} name to a sampler. */
public final class SamplerFactory {

  /** Every method name a sweep spec may name, in the order error messages list them. */
  public static final List<String> METHODS =
      Arrays.stream(SamplerMethod.values()).map(SamplerMethod::toString).toList();

  private SamplerFactory() {}

  /**
   * A new sampler of {@code method} (case-insensitive) for {@code space}, seeded with {@code seed}.
   *
   * @throws IllegalArgumentException naming the method and the known ones when it is unknown, or
   *     when the method does not fit the space or the number of directions
   */
  public static Sampler create(String method, SearchSpace space, List<Direction> directions, long seed) {
    return create(SamplerMethod.find(method).orElseThrow(() -> unknown(method)), space, directions, seed);
  }

  /**
   * A new sampler of {@code method} for {@code space}, seeded with {@code seed}.
   *
   * @throws IllegalArgumentException when the method does not fit the space or the number of directions
   */
  public static Sampler create(SamplerMethod method, SearchSpace space, List<Direction> directions, long seed) {
    return switch (method) {
      case RANDOM -> new RandomSampler(space, seed);
      case GRID -> new GridSampler(space, seed);
      case SOBOL -> new SobolSampler(space, seed);
      case TPE -> new dev.prepsweep.sweep.sampler.tpe.TpeSampler(space, directions, seed);
      case GP -> new dev.prepsweep.sweep.sampler.gp.GpSampler(space, directions, seed);
      case NSGA2 -> new dev.prepsweep.sweep.sampler.moo.Nsga2Sampler(space, directions, seed);
      case MOTPE -> new dev.prepsweep.sweep.sampler.tpe.TpeSampler(space, directions, seed);
    };
  }

  private static IllegalArgumentException unknown(String method) {
    return new IllegalArgumentException("unknown sampler method '" + method + "'; known methods: "
        + String.join(", ", METHODS));
  }
}
