package dev.prepsweep.sweep.sampler;

import dev.prepsweep.sweep.space.CategoricalDistribution;
import dev.prepsweep.sweep.space.Distribution;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Trial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Independent uniform draws in each parameter's internal scale (so log ranges are log-uniform). */
public final class RandomSampler implements Sampler {

  private final SearchSpace space;
  private final long seed;
  private int known;

  public RandomSampler(SearchSpace space, long seed) {
    this.space = space;
    this.seed = seed;
  }

  @Override
  public List<Map<String, Object>> suggest(int count) {
    List<Map<String, Object>> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(sample(space, Seeds.forIndex(seed, known + i)));
    }
    return out;
  }

  @Override
  public void update(List<Trial> completed, List<Trial> active) {
    known = completed.size() + active.size();
  }

  /** Draws one point of {@code space}, conditional children included. */
  public static Map<String, Object> sample(SearchSpace space, SplittableRandom rng) {
    Map<String, Object> params = new LinkedHashMap<>();
    sampleInto(space, rng, params);
    return params;
  }

  private static void sampleInto(SearchSpace space, SplittableRandom rng, Map<String, Object> params) {
    for (Parameter p : space.parameters()) {
      Object value = draw(p.distribution(), rng);
      params.put(p.name(), value);
      sampleInto(p.childrenFor(value), rng, params);
    }
  }

  /** One uniform draw from a distribution. */
  public static Object draw(Distribution d, SplittableRandom rng) {
    if (d instanceof CategoricalDistribution c) {
      return c.choices().get(rng.nextInt(c.choices().size()));
    }
    double lo = d.internalLow();
    double hi = d.internalHigh();
    return d.fromInternal(lo == hi ? lo : lo + rng.nextDouble() * (hi - lo));
  }
}
