package dev.prepsweep.app.config;

import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.training.EpochMetrics;
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
    String text) {

  public static final String DEFAULT_WAREHOUSE = "warehouse";
  public static final long DEFAULT_SEED = 42;
  static final List<String> TOP_LEVEL_KEYS = List.of("warehouse", "seed", "prep", "sweep", "train", "data", "resources",
      "artifacts");

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
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  public static JobConfig parse(String text, String source) {
    ConfigNode root = ConfigNode.parse(text, source).allowOnly(TOP_LEVEL_KEYS);
    String warehouse = root.getString("warehouse", DEFAULT_WAREHOUSE);
    long seed = root.getLong("seed", DEFAULT_SEED);
    Optional<PrepConfig> prep = root.get("prep").map(PrepConfig::parse);
    Optional<SweepSpec> sweep = root.get("sweep").map(SweepSpec::parse);
    Map<String, Object> train = new LinkedHashMap<>();
    Optional<ConfigNode> trainNode = root.get("train");
    if (trainNode.isPresent()) {
      for (Map.Entry<String, ConfigNode> e : trainNode.get().entries().entrySet()) {
        if (!TextMlpParams.NAMES.contains(e.getKey())) {
          throw new ConfigException(e.getValue().position() + ": unknown key '" + e.getValue().path()
              + "'; training parameters are " + new java.util.TreeSet<>(TextMlpParams.NAMES));
        }
        // lists (model torchscript's freeze and head globs) travel as one comma-separated value
        train.put(e.getKey(), e.getValue().isList()
            ? String.join(",", e.getValue().asList().stream().map(ConfigNode::asString).toList())
            : e.getValue().asValue());
      }
      try {
        TextMlpParams.from(train);
      } catch (IllegalArgumentException e) {
        throw trainNode.get().invalid(e.getMessage());
      }
    }
    DataTables data = root.get("data").map(DataTables::parse).orElse(DataTables.DEFAULT);
    if (prep.isPresent() && sweep.isPresent()) {
      // the job's own prep must write the table its sweep trains on
      data.notWrittenBy(prep.get()).ifPresent(rule -> {
        throw root.required("data").required("train").invalid(rule);
      });
    }
    TrialResources resources = root.get("resources").map(TrialResources::parse).orElse(TrialResources.DEFAULT);
    sweep.ifPresent(spec -> checkSweepAgainstTrainer(spec, root.required("sweep")));
    String artifacts = root.getString("artifacts", null);
    return new JobConfig(warehouse, seed, prep, sweep, Map.copyOf(train), data, resources, artifacts, source, text);
  }

  /** Sweep parameters and metrics must be ones the trainer knows. */
  private static void checkSweepAgainstTrainer(SweepSpec spec, ConfigNode sweepNode) {
    for (Parameter p : spec.space().allParameters()) {
      if (!TextMlpParams.NAMES.contains(p.name())) {
        throw sweepNode.required("parameters").invalid("parameter '" + p.name()
            + "' is not a training parameter; known: " + new java.util.TreeSet<>(TextMlpParams.NAMES));
      }
    }
    for (SweepSpec.Metric m : spec.metrics()) {
      if (!EpochMetrics.METRICS.contains(m.name())) {
        throw sweepNode.invalid("metric '" + m.name() + "' is not reported by the trainer; known: " + EpochMetrics.METRICS);
      }
    }
  }

  /** The same job with another warehouse (the command line's --warehouse). */
  public JobConfig withWarehouse(String newWarehouse) {
    return new JobConfig(newWarehouse, seed, prep, sweep, train, data, resources, artifacts, source, text);
  }

  /** The same job with another seed (the command line's --seed). */
  public JobConfig withSeed(long newSeed) {
    return new JobConfig(warehouse, newSeed, prep, sweep, train, data, resources, artifacts, source, text);
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
