package dev.prepsweep.sweep.sampler;

import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Direction;
import java.util.List;

class RandomSamplerTest extends SamplerContractTest {
  @Override
  protected Sampler newSampler(SearchSpace space, List<Direction> directions, long seed) {
    return new RandomSampler(space, seed);
  }
}
