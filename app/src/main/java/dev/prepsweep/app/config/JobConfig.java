package dev.prepsweep.app.config;

import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.training.TextMlpParams;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole job configuration (one YAML file), validated before any Spark work starts: unknown
 * keys, bad values and parameters the trainer does not know fail here, naming file position, key,
 * value and rule.
 *
 * @param warehouse where the Delta tables live (a local folder or any Hadoop filesystem URI)
 * @param seed the job seed: splits, sampler and trial seeds derive from it
 * @param prep the {@code prep:} section, absent for sweep-only configs
 * @param sweep the {@code sweep:} section, absent for prep-only configs
 * @param train fixed training settings that sampled parameters override
 * @param data which prep table the sweep trains on (the {@code data:} section)
 * @param resources what each trial task asks Spark for
 * @param artifacts where trials keep checkpoints and best models (default {@code <warehouse>/_artifacts})
 * @param text the file's text, recorded with every sweep
 * @param cv the {@code cv:} section: cross-validated trials over the prep job's folds, absent for none
 */
public record JobConfig(
    String warehouse,
    long seed,
    Optional<PrepConfig> prep,
    Optional<SweepSpec> sweep,
    Map<String, Object> train,
    DataTables data,
    TrialResources resources,
    String artifacts,
    String source,
    String text,
    Optional<CrossValidation> cv) {

  public static final String DEFAULT_WAREHOUSE = "warehouse";
  public static final long DEFAULT_SEED = 42;
  static final List<String> TOP_LEVEL_KEYS = List.of("warehouse", "seed", "prep", "sweep", "train", "data", "resources",
      "artifacts", "cv", "task");

  /**
   * Reads and validates a job file.
   *
   * @throws ConfigException on the first problem, with its position
   */
  public static JobConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage()
          + "; check the path given with --config (default conf/prepsweep.yaml, relative to the working directory)", e);
    }
    return parse(text, file.toString());
  }

  public static JobConfig parse(String text, String source) {
    ConfigNode root = ConfigNode.parse(text, source).allowOnly(TOP_LEVEL_KEYS);
    String warehouse = root.getString("warehouse", DEFAULT_WAREHOUSE);
    long seed = root.getLong("seed", DEFAULT_SEED);
    // task: classification (default) or regression, for prep and trials alike; trials get it as the parameter 'task'
    String task = root.get("task").map(t -> t.asEnum(PrepConfig.TASKS)).orElse("classification");
    Optional<PrepConfig> prep = root.get("prep").map(p -> PrepConfig.parse(p, task));
    Optional<SweepSpec> sweep = root.get("sweep").map(SweepSpec::parse);
    Map<String, Object> train = new LinkedHashMap<>();
    Optional<ConfigNode> trainNode = root.get("train");
    if (trainNode.isPresent()) {
      boolean plugin = TrainerCheck.isPlugin(trainNode.get());
      for (Map.Entry<String, ConfigNode> e : trainNode.get().entries().entrySet()) {
        if (plugin) {
          // a plug-in's parameters are its own: TrainerCheck checks them against its class before Spark starts
          TrainerCheck.putParam(train, e.getKey(), e.getValue());
          continue;
        }
        if (e.getKey().equals("task")) {
          throw e.getValue().invalid("task is set at the top level of the job file (it applies to prep and trials)");
        }
        if (!TextMlpParams.NAMES.contains(e.getKey())) {
          throw new ConfigException(e.getValue().position() + ": unknown key '" + e.getValue().path()
              + "'; training parameters are " + new java.util.TreeSet<>(TextMlpParams.NAMES));
        }
        // lists (model torchscript's freeze and head globs) travel as one comma-separated value
        train.put(e.getKey(), e.getValue().isList()
            ? String.join(",", e.getValue().asList().stream().map(ConfigNode::asString).toList())
            : e.getValue().asValue());
      }
    }
    if (task.equals("regression") && !TrainerCheck.isPlugin(train)) {
      train.put("task", task);
    }
    if (trainNode.isPresent() || task.equals("regression")) {
      try {
        if (!TrainerCheck.isPlugin(train)) {
          TextMlpParams.from(train);
          dev.prepsweep.training.RegressionParams.from(train);
        }
      } catch (IllegalArgumentException e) {
        throw trainNode.map(n -> n.invalid(e.getMessage())).orElseGet(() -> root.required("task").invalid(e.getMessage()));
      }
    }
    DataTables data = root.get("data").map(DataTables::parse).orElse(DataTables.DEFAULT);
    if (prep.isPresent() && sweep.isPresent()) {
      // the job's own prep must write the table its sweep trains on
      data.notWrittenBy(prep.get()).ifPresent(rule -> {
        throw root.required("data").required("train").invalid(rule);
      });
    }
    if (prep.isPresent() && !prep.get().balance().classWeights()
        && "table".equals(dev.prepsweep.training.TrainingParams.classWeights(train.get("class_weights")))) {
      // the job's own prep must write the table its trials weight the loss with
      throw trainNode.get().required("class_weights").invalid("needs the prep job's class_weights table, which this"
          + " prep section does not write (prep.balance.class_weights: false); set it to true or use balanced");
    }
    TrialResources resources = root.get("resources").map(TrialResources::parse).orElse(TrialResources.DEFAULT);
    sweep.ifPresent(spec -> checkSweepAgainstTrainer(spec, root.required("sweep"), TrainerCheck.isPlugin(train)));
    sweep.ifPresent(spec -> checkSweepAgainstTask(spec, root.required("sweep"), task, TrainerCheck.isPlugin(train)));
    String artifacts = root.getString("artifacts", null);
    Optional<CrossValidation> cv = root.get("cv").map(n -> CrossValidation.parse(n, prep));
    return new JobConfig(warehouse, seed, prep, sweep, Map.copyOf(train), data, resources, artifacts, source, text, cv);
  }

  static final List<String> REGRESSION_METRICS = List.of("val_rmse", "val_mae", "val_r2");

  /** Sweep parameters and metrics must be ones the trainer knows. */
  private static void checkSweepAgainstTrainer(SweepSpec spec, ConfigNode sweepNode, boolean plugin) {
    for (Parameter p : spec.space().allParameters()) {
      if (!plugin && !TextMlpParams.NAMES.contains(p.name())) {
        throw sweepNode.required("parameters").invalid("parameter '" + p.name()
            + "' is not a training parameter; known: " + new java.util.TreeSet<>(TextMlpParams.NAMES));
      }
    }
    List<String> known = dev.prepsweep.app.driver.TrialMetrics.NAMES;
    for (SweepSpec.Metric m : spec.metrics()) {
      if (!known.contains(m.name())) {
        throw sweepNode.invalid("metric '" + m.name() + "' is not reported by the trainer; known: " + known);
      }
      // regression metrics have one sensible direction; optimising the wrong way is a config mistake
      boolean maximize = m.goal() == dev.prepsweep.sweep.study.Direction.MAXIMIZE;
      if (REGRESSION_METRICS.contains(m.name()) && maximize != dev.prepsweep.training.EpochMetrics.larger(m.name())) {
        throw sweepNode.invalid("metric '" + m.name() + "' is better " + (maximize ? "smaller" : "larger")
            + "; use goal: " + (maximize ? "minimize" : "maximize"));
      }
    }
    String first = spec.metrics().get(0).name();
    if (!dev.prepsweep.training.EpochMetrics.METRICS.contains(first)) {
      throw sweepNode.invalid("the first metric '" + first + "' must be one the trainer reports per epoch "
          + dev.prepsweep.training.EpochMetrics.METRICS + ": it picks each trial's best epoch and feeds the pruner;"
          + " list serving metrics such as '" + first + "' after it");
    }
    for (String name : spec.objectives().metricNames()) {
      if (!known.contains(name)) {
        String key = spec.objectives().constraints().stream().anyMatch(c -> c.metric().equals(name))
            ? "constraints" : "select";
        throw sweepNode.required(key).invalid("metric '" + name + "' is not reported by the trainer; known: " + known);
      }
    }
  }

  /**
   * A regression sweep optimises a regression metric and may sweep its loss; a classifier's may do neither (a
   * plug-in reports what it likes). Sampled values of {@code loss} and {@code huber_delta} are checked in the trial.
   */
  private static void checkSweepAgainstTask(SweepSpec spec, ConfigNode sweepNode, String task, boolean plugin) {
    boolean regression = task.equals("regression");
    String first = spec.metrics().get(0).name();
    if (!plugin && regression != REGRESSION_METRICS.contains(first)) {
      throw sweepNode.required("metric").invalid("metric '" + first + "' is not reported for task: " + task
          + (regression ? "; a regression sweep reports " + REGRESSION_METRICS : "; use val_accuracy, val_macro_f1,"
          + " val_loss (" + REGRESSION_METRICS + " need task: regression)"));
    }
    for (Parameter p : spec.space().allParameters()) {
      if (p.name().equals("task") || (!regression && !plugin && List.of("loss", "huber_delta").contains(p.name()))) {
        throw sweepNode.required("parameters").invalid("parameter '" + p.name() + "' cannot be swept for task: "
            + task + (p.name().equals("task") ? "; set task at the top level" : "; loss applies to task: regression"));
      }
    }
  }

  /** The same job with another warehouse (the command line's --warehouse). */
  public JobConfig withWarehouse(String newWarehouse) {
    return new JobConfig(newWarehouse, seed, prep, sweep, train, data, resources, artifacts, source, text, cv);
  }

  /** The same job with another seed (the command line's --seed). */
  public JobConfig withSeed(long newSeed) {
    return new JobConfig(warehouse, newSeed, prep, sweep, train, data, resources, artifacts, source, text, cv);
  }

  /** Where trials keep checkpoints and best models: the configured location or {@code <warehouse>/_artifacts}. */
  public String artifactsOr(String warehouseRoot) {
    return artifacts != null ? artifacts : warehouseRoot + "/_artifacts";
  }

  public PrepConfig requirePrep() {
    return prep.orElseThrow(() -> new ConfigException(source + ": this command needs a 'prep:' section"));
  }

  /**
   * Checks, without Spark, that the prep input paths name data (local or any Hadoop filesystem, with
   * a plain Hadoop {@code Configuration}); a glob must match something.
   *
   * @throws ConfigException naming the position of the path key, its value and what is missing
   */
  public void checkPrepInput() {
    PrepConfig p = requirePrep();
    org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
    ConfigNode input = ConfigNode.parse(text, source).required("prep").required("input");
    String problem = dev.prepsweep.etl.InputFiles.problem(p.input().path(), !p.input().format().equals("delta"), hadoop);
    if (problem != null) {
      throw input.required("path").invalid(problem);
    }
    if (p.input().labelsPath() != null) {
      problem = dev.prepsweep.etl.InputFiles.problem(p.input().labelsPath(), true, hadoop);
      if (problem != null) {
        throw input.required("labels_path").invalid(problem);
      }
    }
  }

  public SweepSpec requireSweep() {
    return sweep.orElseThrow(() -> new ConfigException(source + ": this command needs a 'sweep:' section"));
  }

  /** SHA-256 of the file text: recorded with each sweep so results name the exact configuration. */
  public String hash() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
