package dev.prepsweep.sweep.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.sweep.space.CategoricalDistribution;
import dev.prepsweep.sweep.space.FloatDistribution;
import dev.prepsweep.sweep.space.IntDistribution;
import dev.prepsweep.sweep.space.InvalidSearchSpaceException;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Study;
import dev.prepsweep.sweep.study.Trial;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GridSamplerTest extends SamplerContractTest {

  @Override
  protected Sampler newSampler(SearchSpace space, List<Direction> directions, long seed) {
    return new GridSampler(space, seed);
  }

  @Override
  protected long maxDistinctSuggestions(SearchSpace space) {
    return new GridSampler(space, 0).size();
  }

  /**
   * Grid steps are cheap, so the contract's study runs walk small grids whole: coverage claims
   * (both conditional branches appear) then hold for every seed, not just with high probability
   * (a branch holding 25 of 175 points is missed by 30 shuffled draws about 1% of the time).
   */
  @Override
  protected int trialBudget() {
    return 200;
  }

  @Test
  void floatAxesAreEvenlySpacedWithBothBounds() {
    List<Object> axis = GridSampler.axis(FloatDistribution.uniform(-1, 1), 5);

    List<Object> expected = IntStream.range(0, 5).mapToObj(i -> (Object) (-1 + 2.0 * i / 4)).toList();
    assertThat(axis).isEqualTo(expected);
  }

  @Test
  void logAxesAreGeometricallySpaced() {
    List<Object> axis = GridSampler.axis(FloatDistribution.logUniform(1e-4, 1), 5);

    assertThat(axis).hasSize(5).startsWith(1e-4).endsWith(1.0);
    for (int i = 0; i < 5; i++) {
      assertThat((Double) axis.get(i)).isCloseTo(Math.pow(10, -4 + i), org.assertj.core.data.Percentage.withPercentage(1e-9));
    }
  }

  @Test
  void smallIntRangesUseEveryValueLargeOnesUsePoints() {
    assertThat(GridSampler.axis(new IntDistribution(2, 10, false, 2), 5)).containsExactly(2L, 4L, 6L, 8L, 10L);
    assertThat(GridSampler.axis(IntDistribution.of(1, 3), 5)).containsExactly(1L, 2L, 3L);
    List<Object> logInts = GridSampler.axis(new IntDistribution(1, 1024, true, 1), 5);
    List<Object> expected = IntStream.range(0, 5).mapToObj(i -> (Object) Math.round(Math.pow(2, 10.0 * i / 4))).toList();
    assertThat(logInts).isEqualTo(expected);
  }

  @Test
  void steppedFloatsStayOnTheirStep() {
    assertThat(GridSampler.axis(new FloatDistribution(0, 0.2, false, 0.05), 5)).hasSize(5);
    List<Object> wide = GridSampler.axis(new FloatDistribution(0, 1, false, 0.05), 5);
    assertThat(wide).hasSize(5).containsExactly(0.0, 0.25, 0.5, 0.75, 1.0);
  }

  @Test
  void gridIsTheFullFactorialOfItsAxesIncludingConditionalBranches() {
    // lr: 5 points x (adam: beta1 5 | sgd: momentum 5 x (const | step: gamma 5))
    long expected = 5 * (5 + 5 * (1 + 5));
    GridSampler grid = new GridSampler(conditionalSpace(), 1);
    assertThat(grid.size()).isEqualTo(expected);

    List<Map<String, Object>> all = grid.suggest((int) grid.size());
    assertThat(new HashSet<>(all)).hasSize((int) expected);
    all.forEach(p -> conditionalSpace().validate(p));
  }

  @Test
  void exhaustedGridReturnsWhatIsLeftThenNothingAndStudyAskSaysSo() {
    SearchSpace space = SearchSpace.of(
        new Parameter("a", CategoricalDistribution.of("x", "y")),
        new Parameter("b", IntDistribution.of(1, 2)));
    GridSampler sampler = new GridSampler(space, 3);
    Study study = new Study(space, List.of(Direction.MINIMIZE), sampler, null);

    List<Trial> first = study.ask(3);
    assertThat(first).hasSize(3);
    assertThat(study.ask(5)).hasSize(1);
    assertThat(study.ask(5)).isEmpty();
    assertThat(sampler.suggest(1)).isEmpty();
    assertThatThrownBy(study::ask)
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage("the sampler has no new parameters to propose after 4 trials (a grid search covers its whole grid);"
            + " end the sweep");
    assertThat(study.trials().stream().map(Trial::params).distinct()).hasSize(4);
  }

  @Test
  void pointsOfResumedTrialsAreNotProposedAgainEvenIfStoredAsOtherNumberTypes() {
    SearchSpace space = SearchSpace.of(new Parameter("b", CategoricalDistribution.of(32L, 64L)));
    GridSampler sampler = new GridSampler(space, 3);
    sampler.update(List.of(Trial.running(0, Map.of("b", 32)).complete(List.of(1.0))), List.of());

    assertThat(sampler.suggest(2)).containsExactly(Map.of("b", 64L));
  }

  @Test
  void seedShufflesTheOrderButNotTheSet() {
    GridSampler a = new GridSampler(sphereSpace(), 1);
    GridSampler b = new GridSampler(sphereSpace(), 2);

    int n = (int) a.size();
    assertThat(b.suggest(n)).isNotEqualTo(a.suggest(n)).containsExactlyInAnyOrderElementsOf(a.suggest(n));
  }

  @Test
  void oversizedGridsAreRejectedWithTheirSize() {
    List<Parameter> params = IntStream.range(0, 25)
        .mapToObj(i -> new Parameter("p" + i, FloatDistribution.uniform(0, 1))).toList();
    long size = java.util.stream.LongStream.range(0, 25).reduce(1, (acc, i) -> acc * 5);

    assertThatThrownBy(() -> new GridSampler(SearchSpace.of(params), 1))
        .isInstanceOf(InvalidSearchSpaceException.class)
        .hasMessage("the grid has " + size + " points, more than the limit of " + GridSampler.MAX_GRID_SIZE
            + "; use fewer points per axis (now 5), fewer parameters, or the random or sobol method");
  }

  @Test
  void permutationIsABijectionOfTheIndexRange() {
    for (long n : new long[] {1, 2, 3, 17, 64, 1000}) {
      GridSampler.Permutation perm = new GridSampler.Permutation(n, 42);
      assertThat(java.util.stream.LongStream.range(0, n).map(perm::apply).sorted().toArray())
          .as("n = %d", n)
          .isEqualTo(java.util.stream.LongStream.range(0, n).toArray());
    }
  }
}
