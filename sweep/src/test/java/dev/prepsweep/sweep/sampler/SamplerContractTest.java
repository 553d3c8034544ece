package dev.prepsweep.sweep.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prepsweep.sweep.space.CategoricalDistribution;
import dev.prepsweep.sweep.space.FloatDistribution;
import dev.prepsweep.sweep.space.IntDistribution;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Study;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Sampler} honours (in the spirit of Optuna's
 * {@code testing/pytest_samplers.py}): bounds, steps, types, log scaling, categorical coverage,
 * determinism, side-effect-free {@code suggest}, behaviour with running trials, conditional spaces
 * and a short ask/tell run through {@link Study}.
 *
 * <p>A sampler's test extends this class and implements {@link #newSampler}. Hooks:
 * {@link #supportsConditional()}, {@link #maxDistinctSuggestions(SearchSpace)} (finite samplers such
 * as grid), {@link #directions()} (multi-objective samplers) and {@link #trialBudget()}.
 * This API is stable: other sampler tests depend on it.
 */
public abstract class SamplerContractTest {

  /** A fresh sampler for {@code space}; the same arguments must give a sampler that behaves identically. */
  protected abstract Sampler newSampler(SearchSpace space, List<Direction> directions, long seed);

  /** Whether the sampler handles conditional (child) parameters; the conditional test is skipped if not. */
  protected boolean supportsConditional() {
    return true;
  }

  /**
   * How many distinct parameter sets the sampler can ever propose for {@code space} before it is
   * exhausted (a grid's size); tests ask for at most this many. Unbounded by default.
   */
  protected long maxDistinctSuggestions(SearchSpace space) {
    return Long.MAX_VALUE;
  }

  /** The study's directions; multi-objective samplers override with two or more. */
  protected List<Direction> directions() {
    return List.of(Direction.MINIMIZE);
  }

  /**
   * Whether the sampler learns from constraints ({@link Trial#violation()}); model-free samplers
   * (random, grid, Sobol) ignore them and skip the constraint test.
   */
  protected boolean handlesConstraints() {
    return false;
  }

  /** Trials run through a {@link Study} by the ask/tell tests; keep it small for expensive samplers. */
  protected int trialBudget() {
    return 30;
  }

  // ---------------------------------------------------------------- spaces and objectives

  /** One parameter of every kind: plain, log and stepped floats; plain, log and stepped ints; categoricals. */
  protected static SearchSpace mixedSpace() {
    return SearchSpace.of(
        new Parameter("x", FloatDistribution.uniform(-5, 5)),
        new Parameter("lr", FloatDistribution.logUniform(1e-4, 1e-1)),
        new Parameter("dropout", new FloatDistribution(0.0, 0.5, false, 0.05)),
        new Parameter("units", new IntDistribution(16, 256, true, 1)),
        new Parameter("layers", IntDistribution.of(1, 4)),
        new Parameter("stride", new IntDistribution(2, 10, false, 2)),
        new Parameter("act", CategoricalDistribution.of("relu", "tanh", "gelu")),
        new Parameter("batch", CategoricalDistribution.of(32L, 64L, 128L)),
        new Parameter("flag", CategoricalDistribution.of(true, false)));
  }

  /** Two levels of conditional parameters under a top-level categorical. */
  protected static SearchSpace conditionalSpace() {
    SearchSpace stepSchedule = SearchSpace.of(new Parameter("gamma", FloatDistribution.uniform(0.1, 0.9)));
    SearchSpace sgd = SearchSpace.of(
        new Parameter("momentum", FloatDistribution.uniform(0.0, 0.99)),
        new Parameter("schedule", CategoricalDistribution.of("const", "step"), Map.of("step", stepSchedule)));
    SearchSpace adam = SearchSpace.of(new Parameter("beta1", FloatDistribution.uniform(0.8, 0.999)));
    return SearchSpace.of(
        new Parameter("lr", FloatDistribution.logUniform(1e-4, 1e-1)),
        new Parameter("optimizer", CategoricalDistribution.of("adam", "sgd"), Map.of("adam", adam, "sgd", sgd)));
  }

  /** Two floats and a categorical; minimum 0 at x = y = 0, c = a. Small enough for any sampler. */
  protected static SearchSpace sphereSpace() {
    return SearchSpace.of(
        new Parameter("x", FloatDistribution.uniform(-5, 5)),
        new Parameter("y", FloatDistribution.uniform(-5, 5)),
        new Parameter("c", CategoricalDistribution.of("a", "b")));
  }

  /**
   * A smooth toy loss over whatever parameters are present (absent ones contribute nothing), so
   * it works for every space above.
   */
  protected static double toyLoss(Map<String, Object> p) {
    double loss = 0;
    loss += sq(num(p, "x", 0));
    loss += sq(num(p, "y", 0));
    loss += p.containsKey("lr") ? sq(Math.log10(num(p, "lr", 1)) + 2.5) : 0;
    loss += sq(num(p, "dropout", 0.2) - 0.2);
    loss += p.containsKey("units") ? sq(Math.log(num(p, "units", 1)) / Math.log(2) - 6) / 10 : 0;
    loss += Math.abs(num(p, "layers", 2) - 2) * 0.1;
    loss += "b".equals(p.get("c")) ? 1 : 0;
    loss += "tanh".equals(p.get("act")) ? 0.5 : 0;
    loss += sq(num(p, "momentum", 0.9) - 0.9) + sq(num(p, "beta1", 0.9) - 0.9) + sq(num(p, "gamma", 0.5) - 0.5);
    return loss;
  }

  /** One value per {@link #directions()} entry; extra objectives conflict with the first (x near 2). */
  protected List<Double> objectiveValues(Map<String, Object> p) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < directions().size(); i++) {
      double loss = i == 0 ? toyLoss(p) : toyLoss(p) - sq(num(p, "x", 0)) + sq(num(p, "x", 0) - 2 * i);
      out.add(directions().get(i) == Direction.MINIMIZE ? loss : -loss);
    }
    return out;
  }

  private static double num(Map<String, Object> p, String name, double absent) {
    Object v = p.get(name);
    return v instanceof Number n ? n.doubleValue() : absent;
  }

  private static double sq(double v) {
    return v * v;
  }

  /** Runs {@code n} ask/tell rounds on a new study and returns its trials. */
  protected List<Trial> runStudy(SearchSpace space, long seed, int n) {
    Study study = new Study(space, directions(), newSampler(space, directions(), seed), null);
    for (int i = 0; i < n; i++) {
      Trial t = study.ask();
      study.tell(t.number(), objectiveValues(t.params()));
    }
    return study.trials();
  }

  /** Draws {@code n} proposals one at a time, each registered as a running trial (prior behaviour, no results). */
  protected List<Map<String, Object>> drawWithoutResults(SearchSpace space, long seed, int n) {
    Sampler sampler = newSampler(space, directions(), seed);
    List<Trial> active = new ArrayList<>();
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sampler.update(List.of(), List.copyOf(active));
      Map<String, Object> params = sampler.suggest(1).get(0);
      out.add(params);
      active.add(Trial.running(i, params));
    }
    return out;
  }

  private int capped(SearchSpace space, int wanted) {
    return (int) Math.min(wanted, maxDistinctSuggestions(space));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  // ---------------------------------------------------------------- the contract

  @Test
  void suggestionsAreLegalValuesOfTheSpace() {
    SearchSpace space = mixedSpace();
    List<Trial> trials = runStudy(space, 1, capped(space, trialBudget()));

    assertThat(trials).isNotEmpty();
    for (Trial t : trials) {
      space.validate(t.params()); // exact key set, bounds, steps, choices
      double dropout = (Double) t.params().get("dropout");
      double k = dropout / 0.05;
      assertThat(Math.abs(k - Math.rint(k))).as("dropout %s on the 0.05 grid", dropout).isLessThan(1e-6);
      assertThat(((Long) t.params().get("stride")) % 2).as("stride on its step of 2").isZero();
    }
  }

  @Test
  void intsAreLongsFloatsAreDoublesCategoricalsAreTheChoicesThemselves() {
    SearchSpace space = mixedSpace();
    for (Trial t : runStudy(space, 2, capped(space, trialBudget()))) {
      Map<String, Object> p = t.params();
      assertThat(p.get("units")).isInstanceOf(Long.class);
      assertThat(p.get("layers")).isInstanceOf(Long.class);
      assertThat(p.get("stride")).isInstanceOf(Long.class);
      assertThat(p.get("x")).isInstanceOf(Double.class);
      assertThat(p.get("lr")).isInstanceOf(Double.class);
      assertThat(p.get("dropout")).isInstanceOf(Double.class);
      assertThat(p.get("batch")).isInstanceOf(Long.class).isIn(32L, 64L, 128L);
      assertThat(p.get("flag")).isInstanceOf(Boolean.class);
      assertThat(p.get("act")).isIn("relu", "tanh", "gelu");
    }
  }

  @Test
  void logUniformFloatsAreSpreadEvenlyOverDecades() {
    double low = 1e-4;
    double high = 1.0;
    SearchSpace space = SearchSpace.of(new Parameter("lr", FloatDistribution.logUniform(low, high)));
    List<Double> draws = drawWithoutResults(space, 3, capped(space, 200)).stream()
        .map(p -> (Double) p.get("lr")).toList();

    double geometricMean = Math.sqrt(low * high);
    // Log-uniform over 4 decades: log10 of the median is near log10 of the geometric mean (-2). With
    // 200 i.i.d. draws the sample median of log10 has a standard deviation of about
    // 4 / (2 * sqrt(200)) = 0.14 decades, so 0.5 decades is over 3.5 sigma (quasi-random and grid
    // samplers are closer still). A linear-uniform sampler would put it near log10(0.5) = -0.3.
    assertThat(Math.log10(median(draws))).isCloseTo(Math.log10(geometricMean), org.assertj.core.data.Offset.offset(0.5));
    assertThat(draws).allMatch(v -> v >= low && v <= high);
  }

  @Test
  void logIntsAreSpreadEvenlyOverOctaves() {
    long low = 1;
    long high = 1024;
    SearchSpace space = SearchSpace.of(new Parameter("units", new IntDistribution(low, high, true, 1)));
    List<Double> draws = drawWithoutResults(space, 4, capped(space, 200)).stream()
        .map(p -> ((Long) p.get("units")).doubleValue()).toList();

    double log2GeometricMean = (Math.log(low) + Math.log(high)) / 2 / Math.log(2);
    // 10 octaves. Ints widen the range by half a unit (log2 of the widened geometric mean is 4.5,
    // not 5) and the sample median of 200 draws has a standard deviation of about
    // 11 / (2 * sqrt(200)) = 0.39 octaves; 2 octaves covers both. A linear sampler would give ~9.
    assertThat(Math.log(median(draws)) / Math.log(2)).isCloseTo(log2GeometricMean, org.assertj.core.data.Offset.offset(2.0));
    assertThat(draws).allMatch(v -> v >= low && v <= high);
  }

  @Test
  void everyCategoricalChoiceIsProposed() {
    List<Object> choices = List.of("a", "b", "c", "d");
    SearchSpace space = SearchSpace.of(new Parameter("c", new CategoricalDistribution(choices)));
    // 40 uniform draws miss one of 4 choices with probability 4 * (3/4)^40 < 1e-4.
    Set<Object> seen = drawWithoutResults(space, 5, capped(space, 40)).stream()
        .map(p -> p.get("c")).collect(Collectors.toSet());

    assertThat(seen).containsExactlyInAnyOrderElementsOf(choices);
  }

  @Test
  void sameSeedGivesTheSameSuggestions() {
    SearchSpace space = mixedSpace();
    int n = capped(space, Math.min(15, trialBudget()));

    List<Map<String, Object>> first = runStudy(space, 42, n).stream().map(Trial::params).toList();
    List<Map<String, Object>> second = runStudy(space, 42, n).stream().map(Trial::params).toList();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void differentSeedsGiveDifferentSuggestions() {
    SearchSpace space = mixedSpace();
    int n = capped(space, 5);

    List<Map<String, Object>> a = runStudy(space, 1, n).stream().map(Trial::params).toList();
    List<Map<String, Object>> b = runStudy(space, 2, n).stream().map(Trial::params).toList();

    assertThat(b).isNotEqualTo(a);
  }

  @Test
  void suggestDoesNotChangeState() {
    SearchSpace space = sphereSpace();
    Sampler sampler = newSampler(space, directions(), 6);
    Study study = new Study(space, directions(), sampler, null);
    for (int i = 0; i < capped(space, 12); i++) {
      Trial t = study.ask();
      study.tell(t.number(), objectiveValues(t.params()));
    }
    study.ask(); // one running trial as well

    List<Map<String, Object>> first = sampler.suggest(3);
    List<Map<String, Object>> second = sampler.suggest(3);

    assertThat(second).isEqualTo(first);
  }

  @Test
  void suggestionsAvoidWhatRunningTrialsHold() {
    SearchSpace space = SearchSpace.of(
        new Parameter("x", FloatDistribution.uniform(-5, 5)),
        new Parameter("y", FloatDistribution.uniform(-5, 5)));
    Sampler sampler = newSampler(space, directions(), 7);
    Study study = new Study(space, directions(), sampler, null);
    for (int i = 0; i < capped(space, 10); i++) {
      Trial t = study.ask();
      study.tell(t.number(), objectiveValues(t.params()));
    }
    List<Map<String, Object>> running = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      running.add(study.ask().params());
    }

    List<Map<String, Object>> next = sampler.suggest(2);

    assertThat(next).hasSize(2).doesNotContainAnyElementsOf(running);
    assertThat(next.get(0)).isNotEqualTo(next.get(1));
  }

  @Test
  void conditionalSpacesYieldExactlyTheActiveParameters() {
    assumeTrue(supportsConditional(), "sampler does not support conditional spaces");
    SearchSpace space = conditionalSpace();
    List<Trial> trials = runStudy(space, 8, capped(space, trialBudget()));

    Set<Object> optimizers = new HashSet<>();
    boolean sawGamma = false;
    for (Trial t : trials) {
      Set<String> active = space.activeParameters(t.params()).stream().map(Parameter::name).collect(Collectors.toSet());
      assertThat(t.params().keySet()).isEqualTo(active);
      space.validate(t.params());
      optimizers.add(t.params().get("optimizer"));
      sawGamma |= t.params().containsKey("gamma");
    }
    assertThat(optimizers).containsExactlyInAnyOrder("adam", "sgd");
    assertThat(sawGamma).as("the second-level child 'gamma' was proposed at least once").isTrue();
  }

  @Test
  void askTellRunFindsAGoodPointOfAToyObjective() {
    SearchSpace space = sphereSpace();
    List<Trial> trials = runStudy(space, 9, capped(space, trialBudget()));

    assertThat(trials).allMatch(t -> t.state() == TrialState.COMPLETE);
    double best = trials.stream().mapToDouble(t -> toyLoss(t.params())).min().orElseThrow();
    // Uniform sampling lands in {x^2 + y^2 < 8} (area 8*pi of 100) with probability 0.25 per trial,
    // so 30 trials all miss with probability 0.75^30 < 2e-4; a 5-point grid has 10 of its 50 points
    // below 8 (the centre and its 4 neighbours, for either c). Any model-based sampler does better.
    assertThat(best).isLessThan(8.0);
  }

  @Test
  void resumedStudyProposesWhatTheOriginalWould() {
    SearchSpace space = sphereSpace();
    Study original = new Study(space, directions(), newSampler(space, directions(), 10), null);
    int warm = capped(space, 12);
    for (int i = 0; i < warm; i++) {
      Trial t = original.ask();
      original.tell(t.number(), objectiveValues(t.params()));
    }
    Study resumed = Study.resume(space, directions(), newSampler(space, directions(), 10), null, original.trials());

    int more = (int) Math.min(3, maxDistinctSuggestions(space) - warm);
    for (int i = 0; i < more; i++) {
      Trial a = original.ask();
      Trial b = resumed.ask();
      assertThat(b.number()).isEqualTo(a.number());
      assertThat(b.params()).isEqualTo(a.params());
      original.tell(a.number(), objectiveValues(a.params()));
      resumed.tell(b.number(), objectiveValues(b.params()));
    }
  }

  @Test
  void infeasibleTrialsRankBehindEveryFeasibleOne() {
    SearchSpace space = SearchSpace.of(new Parameter("x", FloatDistribution.uniform(-5, 5)));
    // The objective's best is x = -3 (value 0), the constrained best x = 3 (value 0.5); the
    // constraint x >= 0 makes every x < 0 infeasible with violation -x.
    List<Trial> history = new ArrayList<>();
    int n = 40;
    for (int i = 0; i < n; i++) {
      double x = -5 + 10.0 * (i + 0.5) / n;
      double f = Math.min(Math.abs(x + 3), Math.abs(x - 3) + 0.5);
      List<Double> values = directions().stream().map(d -> d == Direction.MINIMIZE ? f : -f).toList();
      history.add(new Trial(i, Map.of("x", x), TrialState.COMPLETE, values, null, Math.max(0, -x)));
    }
    Sampler sampler = newSampler(space, directions(), 5);
    sampler.update(history, List.of());
    List<Map<String, Object>> proposals = sampler.suggest(20);
    if (!handlesConstraints()) {
      // grid, Sobol and random search do not learn from results: constraints leave their proposals
      // exactly as without them (README "Objectives"), which is what this asserts
      Sampler unconstrained = newSampler(space, directions(), 5);
      unconstrained.update(history.stream().map(t -> new Trial(t.number(), t.params(), t.state(), t.values(), null, Double.NaN))
          .toList(), List.of());
      assertThat(proposals).isEqualTo(unconstrained.suggest(20));
      return;
    }
    long feasible = proposals.stream().filter(p -> (Double) p.get("x") >= 0).count();
    // Ignoring the constraint, the good group is mostly the x = -3 basin (measured with the handling
    // switched off: 4 to 6 of 20 proposals feasible for TPE, MOTPE and NSGA-II); ranking infeasible
    // trials last leaves only the x = 3 basin in it, so at least 3 in 4 proposals must be feasible.
    assertThat(feasible).as("feasible proposals of %s", proposals).isGreaterThanOrEqualTo(15);
  }
}
