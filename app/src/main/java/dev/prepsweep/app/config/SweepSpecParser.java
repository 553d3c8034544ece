package dev.prepsweep.app.config;

import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.sweep.sampler.SamplerMethod;
import dev.prepsweep.sweep.space.CategoricalDistribution;
import dev.prepsweep.sweep.space.FloatDistribution;
import dev.prepsweep.sweep.space.IntDistribution;
import dev.prepsweep.sweep.space.InvalidSearchSpaceException;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.spec.Constraint;
import dev.prepsweep.sweep.spec.EarlyTerminateSpec;
import dev.prepsweep.sweep.spec.ObjectiveSpec;
import dev.prepsweep.sweep.spec.Selection;
import dev.prepsweep.sweep.spec.SweepDefaults;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.sweep.study.Direction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@code sweep:} YAML node into a {@link SweepSpec}; every failure names position, key, value and rule,
 * and every key left out takes its value from {@link SweepDefaults}. It lives with the other parsers so that
 * the sweep core keeps plain records and no YAML.
 */
public final class SweepSpecParser {

  private static final List<String> SWEEP_KEYS = List.of(
      "method", "metric", "metrics", "parameters", "early_terminate", "budget", "parallelism", "max_retries", "seed",
      "warm_start", "retry_seed", "trial_timeout", "missed_heartbeats", "driver_lease",
      "launcher", "constraints", "select", "serving");
  private static final List<String> SELECT_KEYS = List.of("maximize", "minimize", "where");
  private static final List<String> SERVING_KEYS = List.of("batch_size", "calls", "warmup_calls");
  private static final List<String> METRIC_KEYS = List.of("name", "goal");
  private static final List<String> GOALS = List.of("minimize", "maximize");
  private static final List<String> BUDGET_KEYS = List.of("trials", "wall_time", "failures", "target");
  private static final List<String> PRUNER_TYPES = List.of("median", "asha", "hyperband");
  private static final List<String> DISTRIBUTIONS = List.of(
      "uniform", "log_uniform", "int_uniform", "int_log_uniform", "categorical", "constant");
  private static final List<String> NUMERIC_KEYS = List.of("distribution", "min", "max", "step", "log");
  private static final List<String> CATEGORICAL_KEYS = List.of("distribution", "values", "parameters");
  private static final List<String> CONSTANT_KEYS = List.of("distribution", "value");
  private static final Pattern EXPONENT_NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)[eE][-+]?\\d+");
  private static final Pattern DURATION = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  private SweepSpecParser() {}

  /** {@code warm_start: sw-...} or a list of sweep ids. */
  private static List<String> sweepIds(ConfigNode node) {
    List<String> ids = node.isList() ? node.asList().stream().map(ConfigNode::asString).toList() : List.of(node.asString());
    for (String id : ids) {
      if (!id.matches("[A-Za-z0-9._-]+")) {
        throw node.invalid("'" + id + "' is not a sweep id (letters, digits, '.', '_' and '-')");
      }
    }
    return ids;
  }

  /**
   * Parses and validates the {@code sweep:} node.
   *
   * @throws dev.prepsweep.common.config.ConfigException naming the file position, key, value and rule of
   *     the first problem (unknown keys included)
   */
  public static SweepSpec parse(ConfigNode sweep) {
    sweep.allowOnly(SWEEP_KEYS);
    SamplerMethod method = sweep.required("method").asEnum(SamplerMethod.class);
    List<SweepSpec.Metric> metrics = metrics(sweep);
    SearchSpace space = space(sweep.required("parameters"), new HashMap<>());
    EarlyTerminateSpec earlyTerminate = sweep.get("early_terminate")
        .map(SweepSpecParser::earlyTerminate)
        .orElse(SweepDefaults.EARLY_TERMINATE);
    ConfigNode budgetNode = sweep.required("budget");
    SweepSpec.Budget budget = budget(budgetNode);
    if (budget.target().isPresent() && metrics.size() != 1) {
      throw budgetNode.required("target").invalid(
          "a target needs a single metric, but this sweep has " + metrics.size() + "; remove it or use 'metric'");
    }
    int parallelism = atLeast(sweep, "parallelism", SweepDefaults.PARALLELISM, 1);
    int maxRetries = atLeast(sweep, "max_retries", SweepDefaults.MAX_RETRIES, 0);
    OptionalLong seed = sweep.get("seed").map(n -> OptionalLong.of(n.asLong())).orElse(SweepDefaults.SEED);
    List<String> warmStart = sweep.get("warm_start").map(SweepSpecParser::sweepIds).orElse(SweepDefaults.WARM_START);
    return new SweepSpec(method, metrics, space, earlyTerminate, budget, parallelism, maxRetries, seed, warmStart,
        guards(sweep), objectives(sweep));
  }

  // ---------------------------------------------------------------- constraints, selection, serving

  private static ObjectiveSpec objectives(ConfigNode sweep) {
    ObjectiveSpec d = SweepDefaults.OBJECTIVES;
    List<Constraint> constraints = sweep.get("constraints").map(SweepSpecParser::constraints).orElse(d.constraints());
    Optional<Selection> select = sweep.get("select").map(SweepSpecParser::selection).or(d::select);
    int batch = d.servingBatchSize();
    int calls = d.servingCalls();
    int warmup = d.servingWarmupCalls();
    Optional<ConfigNode> serving = sweep.get("serving");
    if (serving.isPresent()) {
      serving.get().allowOnly(SERVING_KEYS);
      batch = atLeast(serving.get(), "batch_size", batch, 1);
      calls = atLeast(serving.get(), "calls", calls, ObjectiveSpec.MIN_SERVING_CALLS);
      warmup = atLeast(serving.get(), "warmup_calls", warmup, 1);
    }
    return new ObjectiveSpec(constraints, select, batch, calls, warmup);
  }

  /** A list of {@code "<metric> <= <number>"} strings (or one such string). */
  private static List<Constraint> constraints(ConfigNode node) {
    List<ConfigNode> items = node.isList() ? node.asList() : List.of(node);
    List<Constraint> out = new ArrayList<>();
    for (ConfigNode item : items) {
      try {
        out.add(Constraint.parse(item.asString()));
      } catch (IllegalArgumentException e) {
        throw item.invalid(e.getMessage());
      }
    }
    return out;
  }

  private static Selection selection(ConfigNode node) {
    node.allowOnly(SELECT_KEYS);
    Optional<ConfigNode> max = node.get("maximize");
    Optional<ConfigNode> min = node.get("minimize");
    if (max.isPresent() == min.isPresent()) {
      throw node.invalid("needs exactly one of 'maximize: <metric>' or 'minimize: <metric>'");
    }
    ConfigNode metric = max.orElseGet(min::get);
    if (metric.asString().isBlank()) {
      throw metric.invalid("a metric name must not be blank");
    }
    List<Constraint> where = node.get("where").map(SweepSpecParser::constraints).orElse(List.of());
    return new Selection(metric.asString(), max.isPresent() ? Direction.MAXIMIZE : Direction.MINIMIZE, where);
  }

  private static SweepSpec.Guards guards(ConfigNode sweep) {
    SweepSpec.Guards d = SweepDefaults.GUARDS;
    Optional<Duration> timeout = sweep.get("trial_timeout").map(SweepSpecParser::duration).or(d::trialTimeout);
    int missed = atLeast(sweep, "missed_heartbeats", d.missedHeartbeats(), 1);
    SweepSpec.RetrySeed retrySeed = sweep.get("retry_seed")
        .map(n -> SweepSpec.RetrySeed.valueOf(n.asEnum(List.of("same", "new")).toUpperCase(java.util.Locale.ROOT)))
        .orElse(d.retrySeed());
    Duration lease = d.driverLease();
    Optional<ConfigNode> leaseNode = sweep.get("driver_lease");
    if (leaseNode.isPresent()) {
      lease = duration(leaseNode.get());
      if (lease.toSeconds() < 3) {
        throw leaseNode.get().invalid("must be at least 3s (the driver renews its lease every third of it)");
      }
    }
    SweepSpec.Launcher launcher = sweep.get("launcher").map(n -> n.asEnum(SweepSpec.Launcher.class)).orElse(d.launcher());
    return new SweepSpec.Guards(timeout, missed, retrySeed, lease, launcher);
  }

  // ---------------------------------------------------------------- metrics

  private static List<SweepSpec.Metric> metrics(ConfigNode sweep) {
    Optional<ConfigNode> one = sweep.get("metric");
    Optional<ConfigNode> many = sweep.get("metrics");
    if (one.isPresent() && many.isPresent()) {
      throw many.get().invalid("give either 'metric' (one objective) or 'metrics' (several), not both");
    }
    if (one.isPresent()) {
      return List.of(metric(one.get()));
    }
    if (many.isEmpty()) {
      throw sweep.invalid("needs 'metric: {name: ..., goal: minimize|maximize}' or a list under 'metrics'");
    }
    List<ConfigNode> items = many.get().asList();
    if (items.isEmpty()) {
      throw many.get().invalid("needs at least one metric");
    }
    List<SweepSpec.Metric> out = new ArrayList<>();
    for (ConfigNode item : items) {
      SweepSpec.Metric m = metric(item);
      if (out.stream().anyMatch(x -> x.name().equals(m.name()))) {
        throw item.required("name").invalid("metric '" + m.name() + "' is listed twice");
      }
      out.add(m);
    }
    return out;
  }

  private static SweepSpec.Metric metric(ConfigNode node) {
    node.allowOnly(METRIC_KEYS);
    ConfigNode name = node.required("name");
    if (name.asString().isBlank()) {
      throw name.invalid("a metric name must not be blank");
    }
    Direction goal = Direction.parse(node.required("goal").asEnum(GOALS));
    return new SweepSpec.Metric(name.asString(), goal);
  }

  // ---------------------------------------------------------------- budget and pruner

  private static SweepSpec.Budget budget(ConfigNode node) {
    node.allowOnly(BUDGET_KEYS);
    ConfigNode trialsNode = node.required("trials");
    int trials = trialsNode.asInt();
    if (trials < 1) {
      throw trialsNode.invalid("must be >= 1");
    }
    Optional<Duration> wallTime = node.get("wall_time").map(SweepSpecParser::duration).or(() -> SweepDefaults.WALL_TIME);
    OptionalInt failures = SweepDefaults.FAILURES;
    Optional<ConfigNode> failuresNode = node.get("failures");
    if (failuresNode.isPresent()) {
      int f = failuresNode.get().asInt();
      if (f < 1) {
        throw failuresNode.get().invalid("must be >= 1 (the sweep stops after this many failed trials)");
      }
      failures = OptionalInt.of(f);
    }
    OptionalDouble target = node.get("target").map(n -> OptionalDouble.of(n.asDouble())).orElse(SweepDefaults.TARGET);
    return new SweepSpec.Budget(trials, wallTime, failures, target);
  }

  /** {@code 45s}, {@code 30m}, {@code 2h}, {@code 1d}, or combinations in that order such as {@code 1h30m}. */
  static Duration duration(ConfigNode node) {
    String text = node.asString().trim();
    Matcher m = DURATION.matcher(text);
    if (text.isEmpty() || !m.matches()) {
      throw node.invalid("must be a duration such as 45s, 30m, 2h or 1h30m");
    }
    Duration d = Duration.ZERO;
    long[] unitsSeconds = {86_400, 3_600, 60, 1};
    for (int i = 0; i < 4; i++) {
      if (m.group(i + 1) != null) {
        d = d.plusSeconds(Long.parseLong(m.group(i + 1)) * unitsSeconds[i]);
      }
    }
    if (d.isZero()) {
      throw node.invalid("must be longer than zero");
    }
    return d;
  }

  private static EarlyTerminateSpec earlyTerminate(ConfigNode node) {
    String type = node.required("type").asEnum(PRUNER_TYPES);
    if (type.equals("median")) {
      node.allowOnly(List.of("type", "min_steps", "startup_trials"));
      return new EarlyTerminateSpec.Median(
          atLeast(node, "min_steps", SweepDefaults.MEDIAN.minSteps(), 0),
          atLeast(node, "startup_trials", SweepDefaults.MEDIAN.startupTrials(), 0));
    }
    node.allowOnly(List.of("type", "min_resource", "max_resource", "eta"));
    int minResource = atLeast(node, "min_resource", SweepDefaults.MIN_RESOURCE, 1);
    ConfigNode maxNode = node.required("max_resource");
    int maxResource = maxNode.asInt();
    if (maxResource <= minResource) {
      throw maxNode.invalid("must be > min_resource (" + minResource + ")");
    }
    int eta = atLeast(node, "eta", SweepDefaults.ETA, 2);
    return type.equals("asha")
        ? new EarlyTerminateSpec.Asha(minResource, maxResource, eta)
        : new EarlyTerminateSpec.Hyperband(minResource, maxResource, eta);
  }

  private static int atLeast(ConfigNode parent, String key, int defaultValue, int min) {
    Optional<ConfigNode> node = parent.get(key);
    if (node.isEmpty()) {
      return defaultValue;
    }
    int v = node.get().asInt();
    if (v < min) {
      throw node.get().invalid("must be >= " + min);
    }
    return v;
  }

  // ---------------------------------------------------------------- parameters

  /** {@code seen} maps each parameter name of the whole tree to where it was defined. */
  private static SearchSpace space(ConfigNode node, Map<String, ConfigNode> seen) {
    Map<String, ConfigNode> entries = node.entries();
    if (entries.isEmpty()) {
      throw node.invalid("needs at least one parameter");
    }
    List<Parameter> params = new ArrayList<>();
    for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
      String name = e.getKey();
      ConfigNode p = e.getValue();
      ConfigNode previous = seen.putIfAbsent(name, p);
      if (previous != null) {
        throw p.invalid("parameter '" + name + "' is already defined at " + previous.position()
            + "; names must be unique across conditional branches");
      }
      params.add(parameter(name, p, seen));
    }
    return SearchSpace.of(params);
  }

  private static Parameter parameter(String name, ConfigNode node, Map<String, ConfigNode> seen) {
    if (name.isBlank()) {
      throw node.invalid("parameter names must not be blank");
    }
    if (!node.isMap()) {
      throw node.invalid("a parameter is a mapping such as {value: 5}, {values: [a, b]} or"
          + " {distribution: uniform, min: 0, max: 1}");
    }
    String kind;
    if (node.has("distribution")) {
      kind = node.required("distribution").asEnum(DISTRIBUTIONS);
    } else if (node.has("values") && node.has("value")) {
      throw node.required("value").invalid("give either 'values' (a choice) or 'value' (a constant), not both");
    } else if (node.has("values")) {
      kind = "categorical";
    } else if (node.has("value")) {
      kind = "constant";
    } else {
      throw node.invalid("a parameter needs 'distribution' (with min and max), 'values' (a list of choices)"
          + " or 'value' (a constant)");
    }
    return switch (kind) {
      case "categorical" -> categorical(name, node, seen);
      case "constant" -> constant(name, node);
      case "uniform", "log_uniform" -> new Parameter(name, floatRange(node, kind.equals("log_uniform")));
      default -> new Parameter(name, intRange(node, kind.equals("int_log_uniform")));
    };
  }

  private static Parameter constant(String name, ConfigNode node) {
    node.allowOnly(CONSTANT_KEYS);
    return new Parameter(name, new CategoricalDistribution(List.of(choice(node.required("value")))));
  }

  private static Parameter categorical(String name, ConfigNode node, Map<String, ConfigNode> seen) {
    node.allowOnly(CATEGORICAL_KEYS);
    ConfigNode valuesNode = node.required("values");
    List<ConfigNode> items = valuesNode.asList();
    if (items.isEmpty()) {
      throw valuesNode.invalid("needs at least one value");
    }
    List<Object> choices = new ArrayList<>();
    for (ConfigNode item : items) {
      Object c = choice(item);
      if (indexOf(choices, c) >= 0) {
        throw item.invalid("duplicate choice; each value may appear once");
      }
      choices.add(c);
    }
    CategoricalDistribution dist = new CategoricalDistribution(choices);
    Map<Object, SearchSpace> children = new LinkedHashMap<>();
    Optional<ConfigNode> childrenNode = node.get("parameters");
    if (childrenNode.isPresent()) {
      for (Map.Entry<String, ConfigNode> branch : childrenNode.get().entries().entrySet()) {
        Object key = choices.stream().filter(c -> String.valueOf(c).equals(branch.getKey())).findFirst()
            .orElseThrow(() -> branch.getValue().invalid("'" + branch.getKey() + "' is not one of the values "
                + choices + " of '" + name + "'; conditional parameters are keyed by the parent's value"));
        children.put(key, space(branch.getValue(), seen));
      }
    }
    try {
      return new Parameter(name, dist, children);
    } catch (InvalidSearchSpaceException e) {
      throw node.invalid(e.getMessage());
    }
  }

  private static int indexOf(List<Object> choices, Object c) {
    return choices.isEmpty() ? -1 : new CategoricalDistribution(choices).indexOf(c);
  }

  private static Object choice(ConfigNode item) {
    if (!item.isScalar()) {
      throw item.invalid("a choice must be a single string, number or boolean");
    }
    Object v = item.asValue();
    if (v == null) {
      throw item.invalid("a choice must be a string, number or boolean, not null");
    }
    // SnakeYAML follows YAML 1.1, where 1e-4 (no dot) is a string; YAML 1.2 and every user read it as a number.
    if (v instanceof String text && EXPONENT_NUMBER.matcher(text).matches()) {
      return Double.parseDouble(text);
    }
    return v;
  }

  private static FloatDistribution floatRange(ConfigNode node, boolean logByName) {
    node.allowOnly(NUMERIC_KEYS);
    ConfigNode minNode = node.required("min");
    ConfigNode maxNode = node.required("max");
    double min = minNode.asDouble();
    double max = maxNode.asDouble();
    boolean log = log(node, logByName);
    if (min > max) {
      throw minNode.invalid("min must be <= max (max = " + max + ")");
    }
    if (log && min <= 0) {
      throw minNode.invalid("log scale needs min > 0");
    }
    Double step = null;
    Optional<ConfigNode> stepNode = node.get("step");
    if (stepNode.isPresent()) {
      step = stepNode.get().asDouble();
      if (!(step > 0)) {
        throw stepNode.get().invalid("step must be > 0");
      }
      if (log) {
        throw stepNode.get().invalid("step cannot be combined with a log scale; drop one of them");
      }
      double n = (max - min) / step;
      if (Math.abs(n - Math.rint(n)) > 1e-8 * Math.max(1, n)) {
        throw stepNode.get().invalid("max - min = " + (max - min) + " must be a multiple of step");
      }
    }
    try {
      return new FloatDistribution(min, max, log, step);
    } catch (InvalidSearchSpaceException e) {
      throw node.invalid(e.getMessage());
    }
  }

  private static IntDistribution intRange(ConfigNode node, boolean logByName) {
    node.allowOnly(NUMERIC_KEYS);
    ConfigNode minNode = node.required("min");
    ConfigNode maxNode = node.required("max");
    long min = minNode.asLong();
    long max = maxNode.asLong();
    boolean log = log(node, logByName);
    if (min > max) {
      throw minNode.invalid("min must be <= max (max = " + max + ")");
    }
    if (log && min < 1) {
      throw minNode.invalid("log scale needs min >= 1 for integers");
    }
    long step = 1;
    Optional<ConfigNode> stepNode = node.get("step");
    if (stepNode.isPresent()) {
      step = stepNode.get().asLong();
      if (step < 1) {
        throw stepNode.get().invalid("step must be >= 1");
      }
      if (log && step != 1) {
        throw stepNode.get().invalid("step cannot be combined with a log scale; drop one of them");
      }
      if ((max - min) % step != 0) {
        throw stepNode.get().invalid("max - min = " + (max - min) + " must be a multiple of step");
      }
    }
    try {
      return new IntDistribution(min, max, log, step);
    } catch (InvalidSearchSpaceException e) {
      throw node.invalid(e.getMessage());
    }
  }

  private static boolean log(ConfigNode node, boolean logByName) {
    Optional<ConfigNode> logNode = node.get("log");
    if (logNode.isEmpty()) {
      return logByName;
    }
    boolean log = logNode.get().asBoolean();
    if (logByName && !log) {
      throw logNode.get().invalid("a log_uniform distribution is always on a log scale; remove 'log: false'"
          + " or use a uniform distribution");
    }
    return log;
  }
}
