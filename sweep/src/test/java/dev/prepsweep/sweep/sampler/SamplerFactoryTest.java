package dev.prepsweep.sweep.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.sweep.space.FloatDistribution;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerFactoryTest {

  private static final SearchSpace SPACE = SearchSpace.of(new Parameter("x", FloatDistribution.uniform(0, 1)));
  private static final List<Direction> MIN = List.of(Direction.MINIMIZE);

  @Test
  void createsTheSamplerNamedCaseInsensitively() {
    assertThat(SamplerFactory.create("random", SPACE, MIN, 1)).isInstanceOf(RandomSampler.class);
    assertThat(SamplerFactory.create("Grid", SPACE, MIN, 1)).isInstanceOf(GridSampler.class);
    assertThat(SamplerFactory.create(" SOBOL ", SPACE, MIN, 1)).isInstanceOf(SobolSampler.class);
  }

  @Test
  void unknownMethodsFailListingTheKnownOnes() {
    assertThatThrownBy(() -> SamplerFactory.create("bayes", SPACE, MIN, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown sampler method 'bayes'; known methods: " + String.join(", ", SamplerFactory.METHODS));
  }
}
