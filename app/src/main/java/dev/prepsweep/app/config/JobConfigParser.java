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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a job file into a {@link JobConfig}: its own sections ({@code warehouse}, {@code seed},
 * {@code train}, {@code data}, {@code resources}, {@code artifacts}, {@code cv}) here, with every
 * left-out key from {@link JobDefaults}; {@code prep:} through {@link PrepConfig#parse} and
 * {@code sweep:} through {@link SweepSpecParser}; then the rules across sections (the sweep's
 * parameters and metrics are the trainer's, the job's own prep writes the tables its sweep reads).
 * Every failure is a {@link ConfigException} naming the file position, key, value and rule.
 */
final class JobConfigParser {

  static final List<String> TOP_LEVEL_KEYS = List.of("warehouse", "seed", "prep", "sweep", "train", "data", "resources",
      "artifacts", "cv", "task");
  static final List<String> REGRESSION_METRICS = List.of("val_rmse", "val_mae", "val_r2");

  /** Training keys naming a file (model torchscript's module and tokenizer), read by executors too. */
  private static final List<String> FILE_KEYS = List.of("path", "tokenizer");
  private static final java.util.regex.Pattern URI_SCHEME = java.util.regex.Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  private JobConfigParser() {}

  /**
   * A file the driver and the executors read: a relative local path is taken from the driver's working directory
   * (as the warehouse and prep's input are), because an executor's working directory is Spark's work folder; a URI
   * ({@code hdfs:}, {@code s3a:}, {@code file:}) or an absolute path stays as it is.
   */
  static String fromWorkingDirectory(String file) {
    if (file.isBlank() || URI_SCHEME.matcher(file).find() || Path.of(file).isAbsolute()) {
      return file;
    }
    return Path.of(file).toAbsolutePath().normalize().toString();
  }

  static JobConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage()
          + "; check the path given with --config (default conf/prepsweep.yaml, relative to the working directory)", e);
    }
    return parse(text, file.toString());
  }

  static JobConfig parse(String text, String source) {
    ConfigNode root = ConfigNode.parse(text, source).allowOnly(TOP_LEVEL_KEYS);
    String warehouse = root.getString("warehouse", JobDefaults.WAREHOUSE);
    long seed = root.getLong("seed", JobDefaults.SEED);
    // task: classification (default) or regression, for prep and trials alike; trials get it as the parameter 'task'
    String task = root.get("task").map(t -> t.asEnum(PrepConfig.TASKS)).orElse("classification");
    Optional<PrepConfig> prep = root.get("prep").map(p -> PrepConfig.parse(p, task));
    Optional<SweepSpec> sweep = root.get("sweep").map(SweepSpecParser::parse);
    Map<String, Object> train = new LinkedHashMap<>(JobDefaults.TRAIN);
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
        if (FILE_KEYS.contains(e.getKey()) && train.get(e.getKey()) instanceof String file) {
          train.put(e.getKey(), fromWorkingDirectory(file));
        }
      }
    }
    if (task.equals("regression")) {
      // a plug-in reads it as context.task(); TrainerPlugins.OWN_PARAMS lets it pass the plug-in's parameter check
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
    DataTables data = root.get("data").map(JobConfigParser::data).orElse(JobDefaults.DATA);
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
    TrialResources resources = root.get("resources").map(JobConfigParser::resources).orElse(JobDefaults.RESOURCES);
    sweep.ifPresent(spec -> checkSweepAgainstTrainer(spec, root.required("sweep"), TrainerCheck.isPlugin(train)));
    sweep.ifPresent(spec -> checkSweepAgainstTask(spec, root.required("sweep"), task, TrainerCheck.isPlugin(train)));
    String artifacts = root.getString("artifacts", JobDefaults.ARTIFACTS);
    Optional<CrossValidation> cv = root.get("cv").map(n -> crossValidation(n, prep)).or(() -> JobDefaults.CV);
    return new JobConfig(warehouse, seed, prep, sweep, Map.copyOf(train), data, resources, artifacts, source, text, cv);
  }

  private static DataTables data(ConfigNode node) {
    node.allowOnly(List.of("train"));
    return node.get("train").map(n -> new DataTables(n.asEnum(DataTables.TrainTable.class))).orElse(JobDefaults.DATA);
  }

  private static TrialResources resources(ConfigNode node) {
    TrialResources d = JobDefaults.RESOURCES;
    node.allowOnly(List.of("cpus", "gpus", "require_gpu"));
    int cpus = node.getInt("cpus", d.cpus());
    double gpus = node.getDouble("gpus", d.gpus());
    boolean require = node.getBoolean("require_gpu", d.requireGpu());
    if (cpus < 1) {
      throw node.required("cpus").invalid("must be >= 1");
    }
    if (gpus < 0 || (gpus > 1 && gpus != Math.rint(gpus))) {
      throw node.required("gpus").invalid("must be a fraction in (0, 1] or a whole number of GPUs");
    }
    if (require && gpus == 0) {
      throw node.required("require_gpu").invalid("needs resources.gpus > 0");
    }
    return new TrialResources(cpus, gpus, require);
  }

  /**
   * Reads {@code cv:} and checks it against the job's own prep section (when it has one): that prep must
   * give train a {@code fold} column with the same number of folds, so a sweep never starts on splits
   * without them.
   */
  private static CrossValidation crossValidation(ConfigNode node, Optional<PrepConfig> prep) {
    node.allowOnly(List.of("folds"));
    ConfigNode foldsNode = node.required("folds");
    int folds = foldsNode.asInt();
    if (folds < 2 || folds > 100) {
      throw foldsNode.invalid("must be in [2, 100]: each trial trains one model per fold");
    }
    if (prep.isPresent() && prep.get().split().folds() != folds) {
      int made = prep.get().split().folds();
      throw foldsNode.invalid("needs the prep job's fold column with " + folds + " folds, but "
          + (made == 0 ? "the prep section makes none" : "the prep section makes " + made)
          + " (prep.split.folds: " + made + "); set prep.split.folds: " + folds);
    }
    return new CrossValidation(folds);
  }

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
   * plug-in classifier may sweep a parameter of its own named loss). Sampled values of {@code loss} and
   * {@code huber_delta} are checked in the trial, as is each metric a plug-in reports against its task.
   */
  private static void checkSweepAgainstTask(SweepSpec spec, ConfigNode sweepNode, String task, boolean plugin) {
    boolean regression = task.equals("regression");
    String first = spec.metrics().get(0).name();
    if (regression != REGRESSION_METRICS.contains(first)) {
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
}
