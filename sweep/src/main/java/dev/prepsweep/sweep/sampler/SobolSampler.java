package dev.prepsweep.sweep.sampler;

import dev.prepsweep.sweep.space.Distribution;
import dev.prepsweep.sweep.space.InvalidSearchSpaceException;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Trial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hipparchus.random.SobolSequenceGenerator;

/**
 * Quasi-random search: proposal {@code i} of the study is point {@code i} of a Sobol sequence
 * (Hipparchus, Joe-Kuo direction numbers) with one dimension per parameter of the whole tree,
 * shifted modulo 1 by a seeded random vector (a Cranley-Patterson rotation) so different seeds give
 * different, equally well spread designs. Each coordinate is mapped over the parameter's internal
 * range and through {@link Distribution#fromInternal}: log ranges stay log-uniform, ints and steps
 * are rounded, a categorical's index is the floor. Parameters of inactive conditional branches
 * simply leave their dimension unused. The index is the number of trials the sampler knows, so a
 * study rebuilt from its history continues the same sequence. Not thread-safe.
 */
public final class SobolSampler implements Sampler {

  /** The highest dimension Hipparchus ships direction numbers for. */
  static final int MAX_DIMENSION = 21201;

  private final SearchSpace space;
  private final Map<String, Integer> dimensionOf = new LinkedHashMap<>();
  private final double[] shift;
  private final SobolSequenceGenerator sequence;
  private int known;

  /** @throws InvalidSearchSpaceException when the space has more than 21201 parameters */
  public SobolSampler(SearchSpace space, long seed) {
    this.space = space;
    List<Parameter> all = space.allParameters();
    if (all.size() > MAX_DIMENSION) {
      throw new InvalidSearchSpaceException("sobol supports at most " + MAX_DIMENSION + " parameters, got " + all.size());
    }
    for (Parameter p : all) {
      dimensionOf.put(p.name(), dimensionOf.size());
    }
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed ^ 0xBB67AE8584CAA73BL));
    this.shift = new double[all.size()];
    for (int d = 0; d < shift.length; d++) {
      shift[d] = rng.nextDouble();
    }
    this.sequence = all.isEmpty() ? null : new SobolSequenceGenerator(all.size());
  }

  @Override
  public List<Map<String, Object>> suggest(int count) {
    List<Map<String, Object>> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double[] u = sequence == null ? new double[0] : sequence.skipTo(known + i);
      for (int d = 0; d < u.length; d++) {
        double shifted = u[d] + shift[d];
        u[d] = shifted - Math.floor(shifted);
      }
      Map<String, Object> params = new LinkedHashMap<>();
      fill(space, u, params);
      out.add(params);
    }
    return out;
  }

  @Override
  public void update(List<Trial> completed, List<Trial> active) {
    known = completed.size() + active.size();
  }

  private void fill(SearchSpace s, double[] u, Map<String, Object> params) {
    for (Parameter p : s.parameters()) {
      Distribution d = p.distribution();
      double lo = d.internalLow();
      double hi = d.internalHigh();
      Object value = d.fromInternal(lo + u[dimensionOf.get(p.name())] * (hi - lo));
      params.put(p.name(), value);
      fill(p.childrenFor(value), u, params);
    }
  }
}
