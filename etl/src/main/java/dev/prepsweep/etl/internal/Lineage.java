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
      .add("output_versions", COUNTS);

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
        classCounts, versions);
    return spark.createDataFrame(List.of(row), SCHEMA);
  }
}
