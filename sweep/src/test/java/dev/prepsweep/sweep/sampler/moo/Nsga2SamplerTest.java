package dev.prepsweep.sweep.sampler.moo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.sweep.sampler.RandomSampler;
import dev.prepsweep.sweep.sampler.Sampler;
import dev.prepsweep.sweep.sampler.SamplerContractTest;
import dev.prepsweep.sweep.space.FloatDistribution;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Study;
import dev.prepsweep.sweep.study.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Nsga2SamplerTest extends SamplerContractTest {

  @Override
  protected boolean handlesConstraints() {
    return true;
  }


  @Override
  protected Sampler newSampler(SearchSpace space, List<Direction> directions, long seed) {
    return new Nsga2Sampler(space, directions, seed);
  }

  @Override
  protected List<Direction> directions() {
    return List.of(Direction.MINIMIZE, Direction.MAXIMIZE);
  }

  static final int DIM = 5;

  static SearchSpace zdtSpace() {
    List<Parameter> ps = new ArrayList<>();
    for (int i = 0; i < DIM; i++) {
      ps.add(new Parameter("x" + i, FloatDistribution.uniform(0, 1)));
    }
    return SearchSpace.of(ps);
  }

  /** ZDT1 with 5 inputs: f1 = x0, f2 = g (1 - sqrt(f1 / g)), g = 1 + 9 mean(x1..x4); front at g = 1. */
  static List<Double> zdt1(Map<String, Object> p) {
    double f1 = (Double) p.get("x0");
    double sum = 0;
    for (int i = 1; i < DIM; i++) {
      sum += (Double) p.get("x" + i);
    }
    double g = 1 + 9 * sum / (DIM - 1);
    return List.of(f1, g * (1 - Math.sqrt(f1 / g)));
  }

  static double hypervolume(Sampler sampler, int trials) {
    List<Direction> dirs = List.of(Direction.MINIMIZE, Direction.MINIMIZE);
    Study study = new Study(zdtSpace(), dirs, sampler, null);
    for (int i = 0; i < trials; i++) {
      Trial t = study.ask();
      study.tell(t.number(), zdt1(t.params()));
    }
    List<Trial> front = ParetoFront.of(study.trials(), dirs);
    return ParetoFront.hypervolume2d(ParetoFront.losses(front, dirs), new double[] {1.1, 11});
  }

  @Test
  void frontOnZdt1DominatesMoreThanRandomSearch() {
    List<Direction> dirs = List.of(Direction.MINIMIZE, Direction.MINIMIZE);
    for (long seed = 0; seed < 3; seed++) {
      double nsga = hypervolume(new Nsga2Sampler(zdtSpace(), dirs, seed), 400);
      double random = hypervolume(new RandomSampler(zdtSpace(), seed), 400);
      // The true front's hypervolume w.r.t. (1.1, 11) is about 11.4; 400 random points reach
      // g ~ 1.5-2 at best while 19 NSGA-II generations get close to g = 1. Asserted per seed with
      // no margin beyond "larger", which holds by a wide gap in practice.
      assertThat(nsga).as("seed %d", seed).isGreaterThan(random);
    }
  }

  @Test
  void generationZeroIsRandomAndLaterGenerationsBreedFromTheBest() {
    SearchSpace space = zdtSpace();
    List<Direction> dirs = List.of(Direction.MINIMIZE, Direction.MINIMIZE);
    Nsga2Sampler nsga = new Nsga2Sampler(space, dirs, 3, new Nsga2Sampler.Options(4, 1.0, 0.0));
    RandomSampler random = new RandomSampler(space, 3);
    assertThat(nsga.suggest(4)).isEqualTo(random.suggest(4));

    // Four parents, all with x1..x4 = 0 (on the front): with no mutation BLX children keep x1..x4 = 0.
    List<Trial> done = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Map<String, Object> p = new java.util.LinkedHashMap<>();
      p.put("x0", 0.2 * i + 0.1);
      for (int j = 1; j < DIM; j++) {
        p.put("x" + j, 0.0);
      }
      done.add(Trial.running(i, p).complete(zdt1(p)));
    }
    nsga.update(done, List.of());
    for (Map<String, Object> child : nsga.suggest(4)) {
      for (int j = 1; j < DIM; j++) {
        assertThat((Double) child.get("x" + j)).isZero();
      }
    }
  }
}
