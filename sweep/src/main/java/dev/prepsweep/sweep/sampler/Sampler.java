package dev.prepsweep.sweep.sampler;

import dev.prepsweep.sweep.study.Trial;
import java.util.List;
import java.util.Map;

/**
 * Proposes parameters (OSS Vizier's {@code Designer} shape). A sampler is built for one search
 * space, the study's directions and a seed. It learns only through {@link #update}; {@link #suggest}
 * must not change its state, and its answer must depend only on the seed and what {@link #update}
 * was given, so a study rebuilt from its trial history proposes exactly what the original would have.
 * Samplers never write to storage.
 */
public interface Sampler {

  /**
   * Proposes {@code count} parameter sets, each a flat map holding exactly the active parameters of
   * the space (ints as {@link Long}, floats as {@link Double}, categoricals as one of the choices).
   * Proposals must avoid points that running trials already hold where the method allows (constant liar).
   * A sampler with a finite set of points ({@link GridSampler}) returns fewer than {@code count} when
   * fewer are left, and an empty list when it is exhausted; it never repeats a point and never throws
   * for exhaustion. Every other sampler returns exactly {@code count}.
   */
  List<Map<String, Object>> suggest(int count);

  /**
   * Replaces what the sampler knows with the finished trials ({@code completed}: COMPLETE, PRUNED
   * and FAILED) and those still in flight ({@code active}).
   */
  void update(List<Trial> completed, List<Trial> active);
}
