package dev.prepsweep.sweep.sampler.gp;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.CholeskyDecomposition;
import org.junit.jupiter.api.Test;

class GpSamplerTest extends SamplerContractTest {

  @Override
  protected boolean handlesConstraints() {
    return true;
  }


  /**
   * The contract does not depend on how hard the GP works, so its runs use a cheaper fit and
   * acquisition (the mixed space has 9 parameters); the behaviour tests below use the defaults.
   */
  static final GpSampler.Options CHEAP = new GpSampler.Options(10, 300, 1, 0, 80, true);

  @Override
  protected Sampler newSampler(SearchSpace space, List<Direction> directions, long seed) {
    return new GpSampler(space, directions, seed, CHEAP);
  }

  @Override
  protected int trialBudget() {
    return 25;
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

  static final double BRANIN_MIN = branin(Map.of("x1", Math.PI, "x2", 2.275));

  static double regretAfter(Sampler sampler, int trials) {
    Study study = new Study(BRANIN_SPACE, List.of(Direction.MINIMIZE), sampler, null);
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < trials; i++) {
      Trial t = study.ask();
      double y = branin(t.params());
      study.tell(t.number(), y);
      best = Math.min(best, y);
    }
    return best - BRANIN_MIN;
  }

  static double median(List<Double> v) {
    List<Double> s = v.stream().sorted().toList();
    return s.get(s.size() / 2);
  }

  @Test
  void beatsRandomSearchOnBranin() {
    List<Double> gp = new ArrayList<>();
    List<Double> random = new ArrayList<>();
    for (long seed = 0; seed < 3; seed++) {
      gp.add(regretAfter(new GpSampler(BRANIN_SPACE, List.of(Direction.MINIMIZE), seed), 25));
      random.add(regretAfter(new RandomSampler(BRANIN_SPACE, seed), 25));
    }
    // Medians of 3 seeds after 25 trials. Random search typically ends near regret 1 at 25 trials
    // while GP-BO is within 0.01 of the optimum (docs/optimizer-benchmark.md); a factor 10 keeps the
    // test robust to seed noise and still fails for a GP that is not learning.
    assertThat(median(gp)).isLessThan(median(random) / 10);
  }

  @Test
  void hyperparameterFitRecoversLengthscalesOrderOfMagnitude() {
    // 60 points of a GP sample with lengthscale 0.1 along x0 and 2.0 along x1 (x1 nearly irrelevant).
    double[] truth = {0.1, 2.0};
    SplittableRandom rng = new SplittableRandom(11);
    int n = 60;
    double[][] x = new double[n][2];
    for (double[] row : x) {
      row[0] = rng.nextDouble();
      row[1] = rng.nextDouble();
    }
    double[][] k = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double d0 = (x[i][0] - x[j][0]) / truth[0];
        double d1 = (x[i][1] - x[j][1]) / truth[1];
        k[i][j] = GaussianProcess.matern(Math.sqrt(d0 * d0 + d1 * d1)) + (i == j ? 1e-6 : 0);
      }
    }
    double[][] l = new CholeskyDecomposition(new Array2DRowRealMatrix(k)).getL().getData();
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      z[i] = rng.nextGaussian();
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        y[i] += l[i][j] * z[j];
      }
    }

    GaussianProcess gp = GaussianProcess.fit(x, y, new SplittableRandom(1), 2, 400);

    // Order of magnitude: within a factor 3 of the truth for the informative input; the
    // irrelevant one comes out several times longer (60 points cannot pin a lengthscale of 2
    // on a unit box down, and the prior pulls towards 0.5, so only "clearly longer" is asserted).
    assertThat(gp.lengthscales()[0]).isBetween(truth[0] / 3, truth[0] * 3);
    assertThat(gp.lengthscales()[1]).isGreaterThan(3 * gp.lengthscales()[0]);
  }

  @Test
  void posteriorInterpolatesObservationsWithSmallVariance() {
    double[][] x = {{0.1}, {0.4}, {0.8}};
    double[] y = {1.0, -0.5, 0.3};
    GaussianProcess gp = GaussianProcess.withTheta(x, y, new double[] {Math.log(0.3), 0, Math.log(1e-6)});
    for (int i = 0; i < x.length; i++) {
      double[] mv = gp.predict(x[i]);
      assertThat(mv[0]).isCloseTo(y[i], org.assertj.core.data.Offset.offset(1e-3));
      assertThat(mv[1]).isLessThan(1e-3);
    }
    // far from the data the variance returns to the signal variance (exp(0) = 1)
    assertThat(gp.predict(new double[] {5.0})[1]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void rejectsSeveralObjectives() {
    assertThatThrownBy(() -> new GpSampler(BRANIN_SPACE, List.of(Direction.MINIMIZE, Direction.MINIMIZE), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GP-BO optimises one objective, but the study has 2 directions");
  }
}
