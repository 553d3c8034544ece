package dev.prepsweep.app.config;

import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.sweep.spec.SweepSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The whole job configuration (one YAML file), validated before any Spark work starts: unknown
 * keys, bad values and parameters the trainer does not know fail in {@link JobConfigParser}, naming
 * file position, key, value and rule. Defaults: {@link JobDefaults} (this file's own sections),
 * {@link dev.prepsweep.etl.PrepDefaults} ({@code prep:}), {@link dev.prepsweep.sweep.spec.SweepDefaults}
 * ({@code sweep:}).
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

  /**
   * Reads and validates a job file ({@link JobConfigParser} does the work).
   *
   * @throws ConfigException on the first problem, with its position
   */
  public static JobConfig load(Path file) {
    return JobConfigParser.load(file);
  }

  /**
   * Validates a job file's text; {@code source} is what error messages call it.
   *
   * @throws ConfigException on the first problem, with its position
   */
  public static JobConfig parse(String text, String source) {
    return JobConfigParser.parse(text, source);
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
    String problem = dev.prepsweep.etl.InputFiles.problem(p.input().path(), p.input().format() != PrepConfig.Format.DELTA, hadoop);
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
      // every Java platform must provide SHA-256 (java.security.MessageDigest's contract)
      throw new IllegalStateException("this JVM provides no SHA-256 digest, which the config hash needs", e);
    }
  }
}
