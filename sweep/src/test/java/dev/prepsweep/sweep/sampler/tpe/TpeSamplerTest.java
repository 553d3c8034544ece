package dev.prepsweep.sweep.sampler.tpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.sweep.sampler.RandomSampler;
import dev.prepsweep.sweep.sampler.Sampler;
import dev.prepsweep.sweep.sampler.SamplerContractTest;
import dev.prepsweep.sweep.space.FloatDistribution;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Study;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TpeSamplerTest extends SamplerContractTest {

  @Override
  protected boolean handlesConstraints() {
    return true;
  }


  @Override
  protected Sampler newSampler(SearchSpace space, List<Direction> directions, long seed) {
    return new TpeSampler(space, directions, seed);
  }

  static final SearchSpace BRANIN_SPACE = SearchSpace.of(
      new Parameter("x1", FloatDistribution.uniform(-5, 10)),
      new Parameter("x2", FloatDistribution.uniform(0, 15)));

  static double branin(Map<String, Object> p) {
    double x1 = (Double) p.get("x1");
    double x2 = (Double) p.get("x2");
    double b = 5.1 / (4 * Math.PI * Math.PI);
    double c = 5 / Math.PI;
    double t = 1 / (8 * Math.PI);
    return Math.pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.cos(x1) + 10;
  }

  /** Branin's global minimum, reached at (-pi, 12.275), (pi, 2.275) and (9.42478, 2.475). */
  static final double BRANIN_MIN = branin(Map.of("x1", Math.PI, "x2", 2.275));

  static double bestAfter(Sampler sampler, SearchSpace space, int trials, Function<Map<String, Object>, Double> f) {
    Study study = new Study(space, List.of(Direction.MINIMIZE), sampler, null);
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < trials; i++) {
      Trial t = study.ask();
      double y = f.apply(t.params());
      study.tell(t.number(), y);
      best = Math.min(best, y);
    }
    return best;
  }

  static double median(List<Double> v) {
    List<Double> s = v.stream().sorted().toList();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  @Test
  void beatsRandomSearchOnBranin() {
    List<Double> tpe = new ArrayList<>();
    List<Double> random = new ArrayList<>();
    for (long seed = 0; seed < 7; seed++) {
      tpe.add(bestAfter(new TpeSampler(BRANIN_SPACE, List.of(Direction.MINIMIZE), seed), BRANIN_SPACE, 60,
          TpeSamplerTest::branin) - BRANIN_MIN);
      random.add(bestAfter(new RandomSampler(BRANIN_SPACE, seed), BRANIN_SPACE, 60, TpeSamplerTest::branin)
          - BRANIN_MIN);
    }
    // Medians over 7 seeds of the regret after 60 trials. In the benchmark (docs/optimizer-benchmark.md)
    // TPE's median regret at 50 trials is about 10x below random search's; asking for a 2x margin
    // on 7 seeds leaves room for seed noise while still failing for a sampler no better than random.
    assertThat(median(tpe)).isLessThan(median(random) / 2);
  }

  @Test
  void univariateModeAlsoBeatsRandomSearch() {
    TpeSampler.Options uni = TpeSampler.Options.optunaDefaults();
    List<Double> tpe = new ArrayList<>();
    List<Double> random = new ArrayList<>();
    for (long seed = 0; seed < 7; seed++) {
      tpe.add(bestAfter(new TpeSampler(BRANIN_SPACE, List.of(Direction.MINIMIZE), seed, uni), BRANIN_SPACE, 60,
          TpeSamplerTest::branin) - BRANIN_MIN);
      random.add(bestAfter(new RandomSampler(BRANIN_SPACE, seed), BRANIN_SPACE, 60, TpeSamplerTest::branin)
          - BRANIN_MIN);
    }
    // Same reasoning as above; univariate TPE is a little weaker, so only "better than random".
    assertThat(median(tpe)).isLessThan(median(random));
  }

  @Test
  void staysRandomUntilEnoughTrialsFinishedAndIgnoresFailedOnes() {
    SearchSpace space = BRANIN_SPACE;
    TpeSampler tpe = new TpeSampler(space, List.of(Direction.MINIMIZE), 3);
    List<Trial> failed = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      failed.add(Trial.running(i, RandomSampler.sample(space, new java.util.SplittableRandom(i)))
          .withState(TrialState.FAILED));
    }
    tpe.update(failed, List.of());
    RandomSampler random = new RandomSampler(space, 3);
    random.update(failed, List.of());

    // 20 FAILED trials are not 10 finished ones: still the startup phase, i.e. the random draws.
    assertThat(tpe.suggest(2)).isEqualTo(random.suggest(2));
  }

  @Test
  void prunedTrialsRankBelowCompleteOnes() {
    SearchSpace space = SearchSpace.of(new Parameter("x", FloatDistribution.uniform(0, 1)));
    List<Trial> done = new ArrayList<>();
    // Ten COMPLETE trials near x=0.9 with bad losses, pruned trials near x=0.1 that were deep and
    // promising: pruned trials never enter the good group while COMPLETE ones are available...
    for (int i = 0; i < 10; i++) {
      done.add(Trial.running(i, Map.of("x", 0.85 + 0.01 * i)).complete(List.of(100.0 + i)));
    }
    for (int i = 10; i < 30; i++) {
      done.add(Trial.running(i, Map.of("x", 0.05 + 0.005 * (i - 10))).withIntermediate(5, 0.0)
          .withState(TrialState.PRUNED));
    }
    TpeSampler tpe = new TpeSampler(space, List.of(Direction.MINIMIZE), 1);
    tpe.update(done, List.of());
    // ...so the good density sits on the COMPLETE trials near 0.9 and proposals go there.
    double x = (Double) tpe.suggest(1).get(0).get("x");
    assertThat(x).isGreaterThan(0.5);
  }

  @Test
  void constantLiarSpreadsParallelAsks() {
    SearchSpace space = BRANIN_SPACE;
    Study study = new Study(space, List.of(Direction.MINIMIZE), new TpeSampler(space, List.of(Direction.MINIMIZE), 5), null);
    for (int i = 0; i < 30; i++) {
      Trial t = study.ask();
      study.tell(t.number(), branin(t.params()));
    }
    List<Map<String, Object>> parallel = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      parallel.add(study.ask().params());
    }
    // Four asks before any tell: each sees the others as running (worst) trials, so no two coincide.
    assertThat(parallel).doesNotHaveDuplicates();
  }

  @Test
  void rejectsBadOptions() {
    assertThatThrownBy(() -> TpeSampler.Options.defaults().withNEiCandidates(0))
        .hasMessage("nEiCandidates must be >= 1, got 0");
    assertThatThrownBy(() -> new TpeSampler(BRANIN_SPACE, List.of(), 1))
        .hasMessage("TPE needs at least one direction, got none");
  }

  @Test
  void optunaWeightsRampOlderTrialsDown() {
    assertThat(TpeSampler.weights(10)).containsOnly(1.0);
    double[] w = TpeSampler.weights(40);
    assertThat(w[0]).isEqualTo(1.0 / 40);
    assertThat(w[14]).isEqualTo(1.0);
    assertThat(w[39]).isEqualTo(1.0);
    assertThat(w[7]).isBetween(w[6], w[8]);
  }
}
