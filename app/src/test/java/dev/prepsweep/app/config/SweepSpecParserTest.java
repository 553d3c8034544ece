package dev.prepsweep.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.sweep.pruner.HyperbandPruner;
import dev.prepsweep.sweep.pruner.MedianPruner;
import dev.prepsweep.sweep.pruner.Pruner;
import dev.prepsweep.sweep.pruner.SuccessiveHalvingPruner;
import dev.prepsweep.sweep.sampler.SamplerFactory;
import dev.prepsweep.sweep.sampler.SamplerMethod;
import dev.prepsweep.sweep.space.CategoricalDistribution;
import dev.prepsweep.sweep.space.FloatDistribution;
import dev.prepsweep.sweep.space.IntDistribution;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.spec.EarlyTerminateSpec;
import dev.prepsweep.sweep.spec.SweepDefaults;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.sweep.study.Direction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepSpecParserTest {

  private static final String FILE = "conf/x.yaml";

  /** The example of issue #3, verbatim. */
  private static final String FULL = """
      sweep:
        method: random
        metric: {name: val_accuracy, goal: maximize}
        parameters:
          lr: {distribution: log_uniform, min: 1.0e-4, max: 0.1}
          dropout: {distribution: uniform, min: 0.0, max: 0.5, step: 0.05}
          hidden: {distribution: int_uniform, min: 16, max: 256, log: true}
          batch_size: {values: [32, 64, 128]}
          optimizer:
            values: [adam, sgd]
            parameters:
              sgd: {momentum: {distribution: uniform, min: 0.0, max: 0.99}}
          epochs: {value: 5}
        early_terminate: {type: median, min_steps: 2}
        budget: {trials: 8, wall_time: 30m, failures: 3, target: 0.99}
        parallelism: 2
        max_retries: 1
        seed: 7
      """;

  /** A minimal valid spec; {@code PARAMS} is replaced by the parameters under test. */
  private static final String MINIMAL = """
      sweep:
        method: random
        metric: {name: loss, goal: minimize}
        parameters:
          PARAMS
        budget: {trials: 4}
      """;

  private static SweepSpec parse(String yaml) {
    return SweepSpecParser.parse(ConfigNode.parse(yaml, FILE).required("sweep"));
  }

  private static String withParams(String params) {
    return MINIMAL.replace("PARAMS", params);
  }

  /** {@code file:line:col} of the first {@code token} after the first {@code after} in {@code yaml}. */
  private static String where(String yaml, String after, String token) {
    int at = yaml.indexOf(token, yaml.indexOf(after));
    assertThat(at).as("token %s after %s", token, after).isGreaterThanOrEqualTo(0);
    String before = yaml.substring(0, at);
    int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
    int col = at - before.lastIndexOf('\n');
    return FILE + ":" + line + ":" + col;
  }

  private static void assertFails(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  // ---------------------------------------------------------------- good specs

  @Test
  void theIssueExampleParsesToTypedValues() {
    SweepSpec spec = parse(FULL);

    assertThat(spec.method()).isEqualTo(SamplerMethod.RANDOM);
    assertThat(spec.metrics()).containsExactly(new SweepSpec.Metric("val_accuracy", Direction.MAXIMIZE));
    assertThat(spec.directions()).containsExactly(Direction.MAXIMIZE);
    assertThat(spec.isMultiObjective()).isFalse();

    SearchSpace space = spec.space();
    assertThat(space.parameters()).extracting(Parameter::name)
        .containsExactly("lr", "dropout", "hidden", "batch_size", "optimizer", "epochs");
    assertThat(space.parameter("lr").distribution()).isEqualTo(FloatDistribution.logUniform(1e-4, 0.1));
    assertThat(space.parameter("dropout").distribution()).isEqualTo(new FloatDistribution(0.0, 0.5, false, 0.05));
    assertThat(space.parameter("hidden").distribution()).isEqualTo(new IntDistribution(16, 256, true, 1));
    assertThat(space.parameter("batch_size").distribution()).isEqualTo(CategoricalDistribution.of(32L, 64L, 128L));
    assertThat(space.parameter("optimizer").distribution()).isEqualTo(CategoricalDistribution.of("adam", "sgd"));
    assertThat(space.parameter("optimizer").childrenFor("sgd").parameters())
        .containsExactly(new Parameter("momentum", FloatDistribution.uniform(0.0, 0.99)));
    assertThat(space.parameter("optimizer").childrenFor("adam").isEmpty()).isTrue();
    assertThat(space.parameter("epochs").distribution()).isEqualTo(CategoricalDistribution.of(5L));

    assertThat(spec.earlyTerminate()).isEqualTo(
        new EarlyTerminateSpec.Median(2, SweepDefaults.MEDIAN.startupTrials()));
    assertThat(spec.pruner(7)).isInstanceOf(MedianPruner.class);
    assertThat(spec.budget().trials()).isEqualTo(8);
    assertThat(spec.budget().wallTime()).contains(Duration.ofMinutes(30));
    assertThat(spec.budget().failures()).hasValue(3);
    assertThat(spec.budget().target()).hasValue(0.99);
    assertThat(spec.parallelism()).isEqualTo(2);
    assertThat(spec.maxRetries()).isEqualTo(1);
    assertThat(spec.seed()).hasValue(7);
    assertThat(spec.seedOr(99)).isEqualTo(7);
  }

  @Test
  void optionalKeysTakeTheirDefaults() {
    SweepSpec spec = parse(withParams("x: {distribution: uniform, min: -1, max: 1}"));

    assertThat(spec.parallelism()).isEqualTo(SweepDefaults.PARALLELISM);
    assertThat(spec.maxRetries()).isEqualTo(SweepDefaults.MAX_RETRIES);
    assertThat(spec.seed()).isEmpty();
    assertThat(spec.seedOr(42)).isEqualTo(42);
    assertThat(spec.earlyTerminate()).isEqualTo(new EarlyTerminateSpec.None());
    assertThat(spec.pruner(1)).isSameAs(Pruner.NONE);
    assertThat(spec.budget()).isEqualTo(new SweepSpec.Budget(4, java.util.Optional.empty(),
        java.util.OptionalInt.empty(), java.util.OptionalDouble.empty()));
  }

  @Test
  void severalMetricsMakeAMultiObjectiveSweep() {
    SweepSpec spec = parse(FULL.replace("metric: {name: val_accuracy, goal: maximize}",
        "metrics: [{name: val_accuracy, goal: maximize}, {name: latency_ms, goal: minimize}]")
        .replace(", target: 0.99", ""));

    assertThat(spec.directions()).containsExactly(Direction.MAXIMIZE, Direction.MINIMIZE);
    assertThat(spec.isMultiObjective()).isTrue();
  }

  @Test
  void explicitDistributionNamesAndIntLogUniformAreAccepted() {
    SweepSpec spec = parse(withParams("""
        {units: {distribution: int_log_uniform, min: 8, max: 512},
             act: {distribution: categorical, values: [relu, tanh]},
             seed_param: {distribution: constant, value: true},
             stride: {distribution: int_uniform, min: 2, max: 10, step: 2}}"""));

    assertThat(spec.space().parameter("units").distribution()).isEqualTo(new IntDistribution(8, 512, true, 1));
    assertThat(spec.space().parameter("act").distribution()).isEqualTo(CategoricalDistribution.of("relu", "tanh"));
    assertThat(spec.space().parameter("seed_param").distribution()).isEqualTo(CategoricalDistribution.of(true));
    assertThat(spec.space().parameter("stride").distribution()).isEqualTo(new IntDistribution(2, 10, false, 2));
  }

  @Test
  void conditionalChildrenMayNestAndNumericChoicesKeyTheirBranchesByText() {
    SweepSpec spec = parse(withParams("""
        {batch: {values: [32, 64], parameters: {"64": {accumulate: {values: [1, 2]}}}},
             opt: {values: [sgd], parameters: {sgd: {sched: {values: [const, step],
               parameters: {step: {gamma: {distribution: uniform, min: 0.1, max: 0.9}}}}}}}}"""));

    assertThat(spec.space().parameter("batch").childrenFor(64L).parameters()).extracting(Parameter::name)
        .containsExactly("accumulate");
    assertThat(spec.space().activeParameters(Map.of("opt", "sgd", "sched", "step", "batch", 32L)))
        .extracting(Parameter::name).containsExactly("batch", "opt", "sched", "gamma");
  }

  @Test
  void exponentNumbersAmongChoicesAreNumbersAsInYaml12() {
    SweepSpec spec = parse(withParams("lr: {values: [1e-4, 1.0e-3, 0.01, '1e-2x']}"));

    assertThat(spec.space().parameter("lr").distribution()).isEqualTo(CategoricalDistribution.of(1e-4, 1e-3, 0.01, "1e-2x"));
  }

  @Test
  void ashaAndHyperbandSectionsBuildTheirPruners() {
    SweepSpec asha = parse(FULL.replace("{type: median, min_steps: 2}", "{type: asha, min_resource: 1, max_resource: 27, eta: 3}"));
    SweepSpec hb = parse(FULL.replace("{type: median, min_steps: 2}", "{type: hyperband, max_resource: 9}"));

    assertThat(asha.earlyTerminate()).isEqualTo(new EarlyTerminateSpec.Asha(1, 27, 3));
    assertThat(((SuccessiveHalvingPruner) asha.pruner(7)).rungs()).containsExactly(1, 3, 9);
    assertThat(hb.earlyTerminate()).isEqualTo(new EarlyTerminateSpec.Hyperband(
        SweepDefaults.MIN_RESOURCE, 9, SweepDefaults.ETA));
    assertThat(hb.pruner(7)).isInstanceOf(HyperbandPruner.class);
  }

  @Test
  void wallTimesCombineUnits() {
    SweepSpec spec = parse(FULL.replace("wall_time: 30m", "wall_time: 1h30m"));

    assertThat(spec.budget().wallTime()).contains(Duration.ofMinutes(90));
  }

  @Test
  void everyKnownMethodNameIsAccepted() {
    for (String method : SamplerFactory.METHODS) {
      assertThat(parse(FULL.replace("method: random", "method: " + method)).method().toString()).isEqualTo(method);
    }
  }

  // ---------------------------------------------------------------- errors, one per rule

  @Test
  void logScaleNeedsAPositiveMin() {
    String yaml = withParams("lr: {distribution: log_uniform, min: 0.0, max: 0.1}");
    assertFails(yaml, where(yaml, "lr:", "0.0") + ": key 'sweep.parameters.lr.min' = 0.0: log scale needs min > 0");
  }

  @Test
  void minMustNotExceedMax() {
    String yaml = withParams("x: {distribution: uniform, min: 2, max: 1}");
    assertFails(yaml, where(yaml, "x:", "2") + ": key 'sweep.parameters.x.min' = 2: min must be <= max (max = 1.0)");
  }

  @Test
  void stepMustDivideTheRange() {
    String yaml = withParams("x: {distribution: uniform, min: 0.0, max: 0.5, step: 0.3}");
    assertFails(yaml, where(yaml, "step", "0.3")
        + ": key 'sweep.parameters.x.step' = 0.3: max - min = 0.5 must be a multiple of step");
  }

  @Test
  void stepMustBePositive() {
    String yaml = withParams("x: {distribution: uniform, min: 0.0, max: 0.5, step: -0.1}");
    assertFails(yaml, where(yaml, "step", "-0.1") + ": key 'sweep.parameters.x.step' = -0.1: step must be > 0");
  }

  @Test
  void logAndStepDoNotCombine() {
    String yaml = withParams("x: {distribution: log_uniform, min: 0.1, max: 1.0, step: 0.1}");
    assertFails(yaml, where(yaml, "step", "0.1")
        + ": key 'sweep.parameters.x.step' = 0.1: step cannot be combined with a log scale; drop one of them");
  }

  @Test
  void logUniformCannotBeMadeLinear() {
    String yaml = withParams("x: {distribution: log_uniform, min: 0.1, max: 1.0, log: false}");
    assertFails(yaml, where(yaml, "log: ", "false") + ": key 'sweep.parameters.x.log' = false: a log_uniform"
        + " distribution is always on a log scale; remove 'log: false' or use a uniform distribution");
  }

  @Test
  void intBoundsMustBeIntegers() {
    String yaml = withParams("hidden: {distribution: int_uniform, min: 16.5, max: 256}");
    assertFails(yaml, where(yaml, "hidden", "16.5") + ": key 'sweep.parameters.hidden.min' = '16.5' must be an integer");
  }

  @Test
  void intLogScaleNeedsMinOfAtLeastOne() {
    String yaml = withParams("hidden: {distribution: int_log_uniform, min: 0, max: 256}");
    assertFails(yaml, where(yaml, "min:", "0") + ": key 'sweep.parameters.hidden.min' = 0: log scale needs min >= 1 for integers");
  }

  @Test
  void intStepMustDivideTheRange() {
    String yaml = withParams("n: {distribution: int_uniform, min: 1, max: 10, step: 4}");
    assertFails(yaml, where(yaml, "step", "4") + ": key 'sweep.parameters.n.step' = 4: max - min = 9 must be a multiple of step");
  }

  @Test
  void unknownParameterKeysFailNamingTheAllowedOnes() {
    String yaml = withParams("x: {distribution: uniform, min: 0, maxx: 1}");
    assertFails(yaml, where(yaml, "x:", "maxx") + ": unknown key 'sweep.parameters.x.maxx'; allowed here:"
        + " [distribution, log, max, min, step]");
  }

  @Test
  void unknownSweepKeysFail() {
    String yaml = FULL.replace("parallelism: 2", "paralelism: 2");
    assertFails(yaml, where(yaml, "budget", "paralelism") + ": unknown key 'sweep.paralelism'; allowed here: [budget,"
        + " constraints, driver_lease, early_terminate, launcher, max_retries, method, metric, metrics, missed_heartbeats,"
        + " parallelism, parameters, retry_seed, seed, select, serving, trial_timeout, warm_start]");
  }

  @Test
  void warmStartTakesOneSweepIdOrAList() {
    assertThat(parse(FULL + "  warm_start: sw-1\n").warmStart()).containsExactly("sw-1");
    assertThat(parse(FULL + "  warm_start: [sw-1, sw-2]\n").warmStart()).containsExactly("sw-1", "sw-2");
    assertThat(parse(FULL).warmStart()).isEmpty();
    String bad = FULL + "  warm_start: \"sw 1\"\n";
    assertThatThrownBy(() -> parse(bad)).hasMessageContaining("'sw 1' is not a sweep id");
  }

  @Test
  void unknownMethodsFailListingTheKnownOnes() {
    String yaml = FULL.replace("method: random", "method: bayes");
    assertFails(yaml, where(yaml, "method", "bayes") + ": key 'sweep.method' = 'bayes' must be one of " + SamplerFactory.METHODS);
  }

  @Test
  void aParameterNeedsAKind() {
    String yaml = withParams("x: {min: 0, max: 1}");
    assertFails(yaml, where(yaml, "x:", "{") + ": key 'sweep.parameters.x': a parameter needs 'distribution'"
        + " (with min and max), 'values' (a list of choices) or 'value' (a constant)");
  }

  @Test
  void aBareValueIsNotAParameter() {
    String yaml = withParams("epochs: 5");
    assertFails(yaml, where(yaml, "epochs", "5") + ": key 'sweep.parameters.epochs' = 5: a parameter is a mapping"
        + " such as {value: 5}, {values: [a, b]} or {distribution: uniform, min: 0, max: 1}");
  }

  @Test
  void valuesAndValueDoNotCombine() {
    String yaml = withParams("x: {values: [1, 2], value: 1}");
    assertFails(yaml, where(yaml, "value:", "1}") + ": key 'sweep.parameters.x.value' = 1: give either 'values'"
        + " (a choice) or 'value' (a constant), not both");
  }

  @Test
  void categoricalsNeedDistinctValues() {
    String empty = withParams("x: {values: []}");
    assertFails(empty, where(empty, "x:", "[]") + ": key 'sweep.parameters.x.values': needs at least one value");
    String dup = withParams("x: {values: [a, b, a]}");
    assertFails(dup, where(dup, "b, ", "a") + ": key 'sweep.parameters.x.values[2]' = a: duplicate choice;"
        + " each value may appear once");
  }

  @Test
  void conditionalBranchesMustBeKeyedByAValue() {
    String yaml = withParams("opt: {values: [adam, sgd], parameters: {sgdd: {m: {value: 1}}}}");
    assertFails(yaml, where(yaml, "sgdd", "{m") + ": key 'sweep.parameters.opt.parameters.sgdd': 'sgdd' is not one"
        + " of the values [adam, sgd] of 'opt'; conditional parameters are keyed by the parent's value");
  }

  @Test
  void parameterNamesAreUniqueAcrossBranches() {
    String yaml = withParams("{lr: {value: 1}, opt: {values: [sgd], parameters: {sgd: {lr: {value: 2}}}}}");
    assertFails(yaml, where(yaml, "sgd: {lr: ", "{value: 2}") + ": key 'sweep.parameters.opt.parameters.sgd.lr':"
        + " parameter 'lr' is already defined at " + where(yaml, "lr: ", "{value: 1}")
        + "; names must be unique across conditional branches");
  }

  @Test
  void metricAndMetricsAreExclusiveAndOneIsRequired() {
    String both = FULL.replace("metric: {name: val_accuracy, goal: maximize}",
        "metric: {name: a, goal: maximize}\n  metrics: [{name: b, goal: minimize}]");
    assertFails(both, where(both, "metrics:", "[") + ": key 'sweep.metrics': give either 'metric' (one objective)"
        + " or 'metrics' (several), not both");
    String none = FULL.replace("  metric: {name: val_accuracy, goal: maximize}\n", "");
    assertFails(none, where(none, "sweep:", "method") + ": key 'sweep': needs 'metric: {name: ..., goal:"
        + " minimize|maximize}' or a list under 'metrics'");
  }

  @Test
  void goalsAreMinimizeOrMaximize() {
    String yaml = FULL.replace("goal: maximize", "goal: up");
    assertFails(yaml, where(yaml, "goal", "up") + ": key 'sweep.metric.goal' = 'up' must be one of [minimize, maximize]");
  }

  @Test
  void metricsAreListedOnce() {
    String yaml = FULL.replace("metric: {name: val_accuracy, goal: maximize}",
        "metrics: [{name: a, goal: maximize}, {name: a, goal: minimize}]").replace(", target: 0.99", "");
    assertFails(yaml, where(yaml, "}, {name: ", "a, goal: min") + ": key 'sweep.metrics[1].name' = a: metric 'a' is listed twice");
  }

  @Test
  void aTargetNeedsASingleMetric() {
    String yaml = FULL.replace("metric: {name: val_accuracy, goal: maximize}",
        "metrics: [{name: a, goal: maximize}, {name: b, goal: minimize}]");
    assertFails(yaml, where(yaml, "target", "0.99") + ": key 'sweep.budget.target' = 0.99: a target needs a single"
        + " metric, but this sweep has 2; remove it or use 'metric'");
  }

  @Test
  void budgetIsRequiredWithAtLeastOneTrial() {
    String missing = FULL.replace("  budget: {trials: 8, wall_time: 30m, failures: 3, target: 0.99}\n", "");
    assertFails(missing, where(missing, "sweep:", "method") + ": key 'sweep.budget' is required but missing");
    String zero = FULL.replace("trials: 8", "trials: 0");
    assertFails(zero, where(zero, "trials", "0") + ": key 'sweep.budget.trials' = 0: must be >= 1");
  }

  @Test
  void wallTimeMustBeADuration() {
    String yaml = FULL.replace("wall_time: 30m", "wall_time: 30 minutes");
    assertFails(yaml, where(yaml, "wall_time", "30 minutes") + ": key 'sweep.budget.wall_time' = 30 minutes:"
        + " must be a duration such as 45s, 30m, 2h or 1h30m");
    String zero = FULL.replace("wall_time: 30m", "wall_time: 0m");
    assertFails(zero, where(zero, "wall_time", "0m") + ": key 'sweep.budget.wall_time' = 0m: must be longer than zero");
  }

  @Test
  void failuresMustBePositive() {
    String yaml = FULL.replace("failures: 3", "failures: 0");
    assertFails(yaml, where(yaml, "failures", "0") + ": key 'sweep.budget.failures' = 0: must be >= 1 (the sweep"
        + " stops after this many failed trials)");
  }

  @Test
  void guardsDefaultAndParse() {
    assertThat(parse(FULL).guards()).isEqualTo(SweepDefaults.GUARDS);
    assertThat(SweepDefaults.GUARDS.trialTimeout()).isEmpty();
    assertThat(SweepDefaults.GUARDS.missedHeartbeats()).isEqualTo(30);
    assertThat(SweepDefaults.GUARDS.retrySeed()).isEqualTo(SweepSpec.RetrySeed.SAME);
    assertThat(SweepDefaults.GUARDS.driverLease()).isEqualTo(java.time.Duration.ofSeconds(60));
    SweepSpec spec = parse(FULL.replace("max_retries: 1", """
        max_retries: 1
          retry_seed: new
          trial_timeout: 1h30m
          missed_heartbeats: 6
          driver_lease: 20s"""));
    assertThat(spec.guards()).isEqualTo(new SweepSpec.Guards(java.util.Optional.of(java.time.Duration.ofMinutes(90)), 6,
        SweepSpec.RetrySeed.NEW, java.time.Duration.ofSeconds(20)));
  }

  @Test
  void guardsAreValidated() {
    String seed = FULL.replace("max_retries: 1", "retry_seed: other");
    assertFails(seed, where(seed, "retry_seed", "other") + ": key 'sweep.retry_seed' = 'other' must be one of [same, new]");
    String lease = FULL.replace("max_retries: 1", "driver_lease: 2s");
    assertFails(lease, where(lease, "driver_lease", "2s") + ": key 'sweep.driver_lease' = 2s: must be at least 3s"
        + " (the driver renews its lease every third of it)");
    String missed = FULL.replace("max_retries: 1", "missed_heartbeats: 0");
    assertFails(missed, where(missed, "missed_heartbeats", "0") + ": key 'sweep.missed_heartbeats' = 0: must be >= 1");
    String launcher = FULL.replace("max_retries: 1", "launcher: threads");
    assertFails(launcher, where(launcher, "launcher", "threads")
        + ": key 'sweep.launcher' = 'threads' must be one of [slots, job]");
  }

  @Test
  void launcherDefaultsInOnePlaceAndParsesEitherValue() {
    assertThat(parse(FULL).guards().launcher()).isEqualTo(SweepDefaults.LAUNCHER);
    assertThat(parse(FULL.replace("max_retries: 1", "launcher: job")).guards().launcher())
        .isEqualTo(SweepSpec.Launcher.JOB);
    assertThat(parse(FULL.replace("max_retries: 1", "launcher: SLOTS")).guards().launcher())
        .isEqualTo(SweepSpec.Launcher.SLOTS);
  }

  @Test
  void parallelismAndRetriesHaveLowerBounds() {
    String p = FULL.replace("parallelism: 2", "parallelism: 0");
    assertFails(p, where(p, "parallelism", "0") + ": key 'sweep.parallelism' = 0: must be >= 1");
    String r = FULL.replace("max_retries: 1", "max_retries: -1");
    assertFails(r, where(r, "max_retries", "-1") + ": key 'sweep.max_retries' = -1: must be >= 0");
  }

  @Test
  void earlyTerminateSectionsAreValidated() {
    String type = FULL.replace("type: median", "type: bandit");
    assertFails(type, where(type, "type", "bandit") + ": key 'sweep.early_terminate.type' = 'bandit' must be one of"
        + " [median, asha, hyperband]");
    String unknown = FULL.replace("min_steps: 2", "min_steps: 2, eta: 3");
    assertFails(unknown, where(unknown, "min_steps", "eta") + ": unknown key 'sweep.early_terminate.eta'; allowed"
        + " here: [min_steps, startup_trials, type]");
    String maxBelowMin = FULL.replace("{type: median, min_steps: 2}", "{type: asha, min_resource: 4, max_resource: 4}");
    assertFails(maxBelowMin, where(maxBelowMin, "max_resource", "4") + ": key 'sweep.early_terminate.max_resource' = 4:"
        + " must be > min_resource (4)");
    String eta = FULL.replace("{type: median, min_steps: 2}", "{type: hyperband, max_resource: 27, eta: 1}");
    assertFails(eta, where(eta, "eta", "1") + ": key 'sweep.early_terminate.eta' = 1: must be >= 2");
    String missingMax = FULL.replace("{type: median, min_steps: 2}", "{type: asha}");
    assertFails(missingMax, where(missingMax, "early_terminate: ", "{") + ": key 'sweep.early_terminate.max_resource'"
        + " is required but missing");
  }

  @Test
  void choicesMustBeScalars() {
    String yaml = withParams("x: {values: [a, [b, c]]}");
    assertFails(yaml, where(yaml, "a, ", "[b") + ": key 'sweep.parameters.x.values[1]': a choice must be a single"
        + " string, number or boolean");
  }

  @Test
  void parametersMustNotBeEmpty() {
    String yaml = withParams("{}");
    assertFails(yaml, where(yaml, "parameters:", "{}") + ": key 'sweep.parameters': needs at least one parameter");
  }

  @Test
  void specsBuiltInCodeAreValidatedToo() {
    assertThatThrownBy(() -> new SweepSpec(SamplerMethod.RANDOM, List.of(), SearchSpace.EMPTY, null,
        new SweepSpec.Budget(1, java.util.Optional.empty(), java.util.OptionalInt.empty(), java.util.OptionalDouble.empty()),
        1, 0, java.util.OptionalLong.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a sweep needs at least one metric");
  }
}
