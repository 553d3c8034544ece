package dev.prepsweep.sweep.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.sweep.space.FloatDistribution;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Direction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SobolSamplerTest extends SamplerContractTest {

  @Override
  protected Sampler newSampler(SearchSpace space, List<Direction> directions, long seed) {
    return new SobolSampler(space, seed);
  }

  @Test
  void firstPointsStratifyEachAxis() {
    // A (shifted) Sobol sequence puts exactly one of its first 2^k points in each of the 2^k equal
    // intervals of every axis: a property random sampling has with probability 16!/16^16 ~ 1e-6.
    SearchSpace space = SearchSpace.of(
        new Parameter("x", FloatDistribution.uniform(0, 1)),
        new Parameter("y", FloatDistribution.uniform(0, 1)));
    List<Map<String, Object>> points = new SobolSampler(space, 11).suggest(16);

    for (String axis : List.of("x", "y")) {
      boolean[] hit = new boolean[16];
      for (Map<String, Object> p : points) {
        hit[(int) Math.floor((Double) p.get(axis) * 16)] = true;
      }
      assertThat(hit).as("axis %s", axis).containsOnly(true);
    }
  }

  @Test
  void emptySpaceGivesEmptyParameterSets() {
    assertThat(new SobolSampler(SearchSpace.EMPTY, 1).suggest(2)).containsExactly(Map.of(), Map.of());
  }
}
