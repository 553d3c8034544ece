package dev.prepsweep.etl.internal;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.etl.PrepConfig;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Collects what a run did and turns it into one {@code prep_runs} row. Driver-side only. */
public final class Lineage {
  private static final DataType COUNTS = DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType);

  /** The prep_runs schema. */
  public static final StructType SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("started_at", DataTypes.TimestampType)
      .add("ended_at", DataTypes.TimestampType)
      .add("input_location", DataTypes.StringType)
      .add("input_format", DataTypes.StringType)
      .add("input_version", DataTypes.LongType)
      .add("config_hash", DataTypes.StringType)
      .add("config", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
      .add("seed", DataTypes.LongType)
      .add("rows_in", COUNTS)
      .add("rows_out", COUNTS)
      .add("duration_ms", COUNTS)
      .add("rejects_by_rule", COUNTS)
      .add("class_counts", DataTypes.createMapType(DataTypes.StringType, COUNTS))
      .add("output_versions", COUNTS)
      // the conservation line, as columns: rows_read = rows_clean + rows_quarantined + duplicates_removed,
      // and rows_quarantined = the sum of rejects_by_rule (every stage's rules, dedupe and ids included)
      .add("rows_read", DataTypes.LongType)
      .add("rows_clean", DataTypes.LongType)
      .add("rows_quarantined", DataTypes.LongType)
      .add("duplicates_removed", DataTypes.LongType)
      .add("warnings", DataTypes.createArrayType(DataTypes.StringType));

  private final String runId;
  private final Instant started;
  private final PrepConfig config;
  private final long seed;
  private Instant ended;
  private String location;
  private String format;
  private Long version;
  private final Map<String, Long> rowsIn = new LinkedHashMap<>();
  private final Map<String, Long> rowsOut = new LinkedHashMap<>();
  private final Map<String, Long> durations = new LinkedHashMap<>();
  private final Map<String, Long> rules = new TreeMap<>();
  private final Map<String, Map<String, Long>> classCounts = new LinkedHashMap<>();
  private final List<String> warnings = new java.util.ArrayList<>();
  private Long rowsRead;
  private Long rowsClean;
  private Long rowsQuarantined;
  private Long duplicatesRemoved;

  public Lineage(String runId, Instant started, PrepConfig config, long seed) {
    this.runId = runId;
    this.started = started;
    this.config = config;
    this.seed = seed;
  }

  public void input(String location, String format, Long version) {
    this.location = location;
    this.format = format;
    this.version = version;
  }

  public void stage(String name, long in, long out, long millis) {
    rowsIn.put(name, in);
    rowsOut.put(name, out);
    durations.put(name, millis);
  }

  public void rules(Map<String, Long> byRule) {
    rules.putAll(byRule);
    rules.remove("ok");
  }

  /** Per split (or stage) and label, rows. */
  public void splitCounts(Map<String, Map<String, Long>> counts) {
    classCounts.putAll(counts);
  }

  public void classCounts(String name, Map<String, Long> perLabel) {
    classCounts.put(name, perLabel);
  }

  /** The run's conservation line. */
  public void totals(long read, long clean, long quarantined, long duplicates) {
    rowsRead = read;
    rowsClean = clean;
    rowsQuarantined = quarantined;
    duplicatesRemoved = duplicates;
  }

  /** Something a person should know about the run's data; recorded and printed once at the end. */
  public void warn(String warning) {
    warnings.add(warning);
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  public void ended(Instant at) {
    this.ended = at;
  }

  public Map<String, Long> durations() {
    return durations;
  }

  public Dataset<Row> toDataFrame(SparkSession spark, Map<String, TableVersion> tables) {
    Map<String, Long> versions = new TreeMap<>();
    tables.forEach((k, v) -> versions.put(k, v.version()));
    durations.put("total", java.time.Duration.between(started, ended == null ? Instant.now() : ended).toMillis());
    Row row = RowFactory.create(runId, Timestamp.from(started), Timestamp.from(ended == null ? Instant.now() : ended),
        location, format, version, config.hash(), config.describe(), seed, rowsIn, rowsOut, durations, rules,
        classCounts, versions, rowsRead, rowsClean, rowsQuarantined, duplicatesRemoved, warnings.toArray(String[]::new));
    return spark.createDataFrame(List.of(row), SCHEMA);
  }

  /**
   * Appends this run's row to {@code prep_runs}; a table written before the columns this version adds
   * gains them (schema evolution: older rows read null there).
   */
  public TableVersion append(SparkSession spark, Map<String, TableVersion> tables, String warehouse) {
    String key = "spark.databricks.delta.schema.autoMerge.enabled";
    String before = spark.conf().get(key, "false");
    spark.conf().set(key, "true");
    try {
      return dev.prepsweep.tables.DeltaIO.append(toDataFrame(spark, tables), warehouse, "prep_runs").table();
    } finally {
      spark.conf().set(key, before);
    }
  }
}
