package dev.prepsweep.etl.internal;

import dev.prepsweep.tables.DeltaIO;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.instr;
import static org.apache.spark.sql.functions.is_valid_utf8;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.etl.PrepErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Reads the configured input into the raw role columns of {@link RawInput}. */
public final class InputReader {
  private static final String CORRUPT = "_corrupt";
  private static final String REPLACEMENT = "\uFFFD";

  private InputReader() {}

  public static RawInput read(SparkSession spark, PrepConfig config) {
    PrepConfig.Input in = config.input();
    String location = resolve(spark, in.path(), in.format());
    try {
      return switch (in.format()) {
        case "json" -> json(spark, config, location);
        case "csv" -> csv(spark, config, location);
        case "parquet", "delta" -> typed(spark, config, location);
        case "text" -> text(spark, config, location);
        case "image" -> ImageInput.read(spark, config, location);
        case "idx" -> ImageInput.readIdx(spark, config, location);
        default -> throw new IllegalStateException(in.format());
      };
    } catch (dev.prepsweep.etl.PrepException e) {
      throw e;
    } catch (RuntimeException e) {
      throw PrepErrors.inputUnreadable(in.format(), location, e);
    }
  }

  /** Makes a relative local path absolute (against the working directory) and checks it exists. */
  static String resolve(SparkSession spark, String path, String format) {
    if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || path.startsWith("file:")) {
      try {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (fs.globStatus(p) == null || fs.globStatus(p).length == 0) {
          throw PrepErrors.inputNotFound(format, path);
        }
      } catch (IOException e) {
        throw PrepErrors.inputUnreadable(format, path, e);
      }
      return path;
    }
    Path p = Path.of(path).toAbsolutePath().normalize();
    if (!Files.exists(p) && !path.contains("*")) {
      throw PrepErrors.inputNotFound(format, p.toString());
    }
    return p.toString();
  }

  private static RawInput json(SparkSession spark, PrepConfig config, String location) {
    List<String> cols = declaredColumns(config);
    Dataset<Row> lines = spark.read().text(location);
    // Check the declared columns against a sample so a typo fails fast instead of quarantining all.
    Dataset<String> sample = lines.limit(500).where(is_valid_utf8(col("value"))).as(Encoders.STRING());
    List<String> seen = Arrays.asList(spark.read().json(sample).columns());
    if (!seen.isEmpty() && !(seen.size() == 1 && seen.get(0).equals("_corrupt_record"))) {
      checkColumns(config, seen);
    }
    StructType schema = new StructType();
    for (String c : cols) {
      schema = schema.add(c, DataTypes.StringType);
    }
    schema = schema.add(CORRUPT, DataTypes.StringType);
    Map<String, String> opts = new HashMap<>(config.input().options());
    opts.put("mode", "PERMISSIVE");
    opts.put("columnNameOfCorruptRecord", CORRUPT);
    Column valid = is_valid_utf8(col("value"));
    Dataset<Row> parsed = lines.select(col("value"), valid.as("_utf8"),
        when(valid, from_json(col("value"), schema, opts)).as("_j"));
    Column malformed = col("_j").isNull().or(col("_j." + CORRUPT).isNotNull());
    Column rule = when(col("_utf8").equalTo(false), lit("input.invalid_utf8"))
        .when(malformed, lit("input.malformed"));
    Column reason = when(col("_utf8").equalTo(false), lit("the line is not valid UTF-8"))
        .when(malformed, lit("the line is not a JSON object"));
    List<Column> out = new ArrayList<>();
    out.add(col("value").as(Cols.SRC));
    out.add(rule.as(Cols.RULE));
    out.add(reason.as(Cols.REASON));
    out.addAll(roleColumns(config, c -> col("_j.`" + c + "`")));
    return new RawInput(parsed.select(out.toArray(Column[]::new)), col(Cols.SRC), location, null);
  }

  private static RawInput csv(SparkSession spark, PrepConfig config, String location) {
    Map<String, String> opts = new HashMap<>();
    opts.put("header", "true");
    opts.putAll(config.input().options());
    String[] header = spark.read().options(opts).csv(location).columns();
    checkColumns(config, Arrays.asList(header));
    StructType schema = new StructType();
    for (String h : header) {
      schema = schema.add(h, DataTypes.StringType);
    }
    schema = schema.add(CORRUPT, DataTypes.StringType);
    opts.put("mode", "PERMISSIVE");
    opts.put("columnNameOfCorruptRecord", CORRUPT);
    Dataset<Row> df = spark.read().schema(schema).options(opts).csv(location);
    Column[] all = Arrays.stream(header).map(h -> col("`" + h + "`")).toArray(Column[]::new);
    // Spark's CSV reader decodes invalid UTF-8 to U+FFFD: check the string role columns for it
    List<Column> strings = new ArrayList<>();
    for (String c : declaredColumns(config)) {
      if (!config.columns().features().contains(c)) {
        strings.add(col("`" + c + "`"));
      }
    }
    Column badUtf8 = lit(false);
    for (Column c : strings) {
      badUtf8 = badUtf8.or(coalesce(instr(c, REPLACEMENT).gt(0), lit(false)));
    }
    Column malformed = col(CORRUPT).isNotNull();
    Column rule = when(malformed, lit("input.malformed")).when(badUtf8, lit("input.invalid_utf8"));
    Column reason = when(malformed, lit("the CSV line does not have the header's " + header.length + " fields"))
        .when(badUtf8, lit("the record holds bytes that are not valid UTF-8"));
    List<Column> out = new ArrayList<>(Arrays.asList(all));
    out.add(col(CORRUPT));
    out.add(rule.as(Cols.RULE));
    out.add(reason.as(Cols.REASON));
    out.addAll(roleColumns(config, c -> col("`" + c + "`")));
    Column source = when(col(CORRUPT).isNotNull(), col(CORRUPT)).otherwise(to_json(struct(all)));
    return new RawInput(df.select(out.toArray(Column[]::new)), source, location, null);
  }

  private static RawInput typed(SparkSession spark, PrepConfig config, String location) {
    Long version = null;
    Dataset<Row> df;
    if (config.input().format().equals("delta")) {
      var reader = spark.read().format("delta").options(config.input().options());
      if (config.input().version() != null) {
        reader = reader.option("versionAsOf", config.input().version());
        version = config.input().version();
      } else {
        version = DeltaIO.latestVersion(spark, location);
      }
      df = reader.load(location);
    } else {
      df = spark.read().options(config.input().options()).parquet(location);
    }
    checkColumns(config, Arrays.asList(df.columns()));
    Column[] printable = Arrays.stream(df.schema().fields())
        .filter(f -> !(f.dataType() instanceof BinaryType))
        .map(f -> col("`" + f.name() + "`")).toArray(Column[]::new);
    List<Column> out = new ArrayList<>();
    for (String f : df.columns()) {
      out.add(col("`" + f + "`"));
    }
    out.add(lit(null).cast("string").as(Cols.RULE));
    out.add(lit(null).cast("string").as(Cols.REASON));
    out.addAll(roleColumns(config, c -> col("`" + c + "`")));
    return new RawInput(df.select(out.toArray(Column[]::new)), to_json(struct(printable)), location, version);
  }

  private static RawInput text(SparkSession spark, PrepConfig config, String location) {
    boolean perFile = config.input().textPer().equals("file");
    Dataset<Row> df = spark.read().option("wholetext", perFile).option("recursiveFileLookup", "true")
        .options(config.input().options()).text(location)
        .select(col("value"), col("_metadata.file_path").as("_path"));
    Column valid = is_valid_utf8(col("value"));
    Column id = perFile ? col("_path")
        : concat(col("_path"), lit(":"), xxhash64(col("value")).cast("string"));
    Column label = config.input().labelFromFolder()
        ? regexp_extract(col("_path"), "([^/]+)/[^/]+$", 1) : lit(null).cast("string");
    Dataset<Row> roles = df.select(
        col("value").as(Cols.SRC),
        when(valid.equalTo(false), lit("input.invalid_utf8")).as(Cols.RULE),
        when(valid.equalTo(false), lit("the text is not valid UTF-8")).as(Cols.REASON),
        id.as(Cols.R_ID),
        label.as(Cols.R_LABEL),
        when(valid, col("value")).as(Cols.rText(0)));
    return new RawInput(roles, col(Cols.SRC), location, null);
  }

  /** The input column names the config refers to. */
  static List<String> declaredColumns(PrepConfig config) {
    PrepConfig.Columns c = config.columns();
    List<String> out = new ArrayList<>();
    if (c.id() != null) {
      out.add(c.id());
    }
    out.add(c.label());
    out.addAll(c.text());
    out.addAll(c.features());
    if (c.group() != null) {
      out.add(c.group());
    }
    return out;
  }

  static void checkColumns(PrepConfig config, List<String> available) {
    PrepConfig.Columns c = config.columns();
    check("id", c.id(), available);
    check("label", c.label(), available);
    c.text().forEach(t -> check("text", t, available));
    c.features().forEach(f -> check("features", f, available));
    check("group", c.group(), available);
    if (config.input().format().equals("parquet") || config.input().format().equals("delta")) {
      check("image", c.image(), available);
    }
  }

  private static void check(String role, String column, List<String> available) {
    if (column != null && !available.contains(column)) {
      throw PrepErrors.missingColumn(role, column, available);
    }
  }

  /** The raw role columns, as strings (features keep their type; cast later). */
  static List<Column> roleColumns(PrepConfig config, java.util.function.Function<String, Column> get) {
    PrepConfig.Columns c = config.columns();
    List<Column> out = new ArrayList<>();
    out.add((c.id() == null ? lit(null) : get.apply(c.id())).cast("string").as(Cols.R_ID));
    out.add(get.apply(c.label()).cast("string").as(Cols.R_LABEL));
    for (int i = 0; i < c.text().size(); i++) {
      out.add(get.apply(c.text().get(i)).cast("string").as(Cols.rText(i)));
    }
    for (int i = 0; i < c.features().size(); i++) {
      out.add(get.apply(c.features().get(i)).as(Cols.rFeature(i)));
    }
    if (c.group() != null) {
      out.add(get.apply(c.group()).cast("string").as(Cols.R_GROUP));
    }
    if (c.image() != null && (config.input().format().equals("parquet") || config.input().format().equals("delta"))) {
      out.add(get.apply(c.image()).cast("binary").as(Cols.R_IMAGE));
    }
    return out;
  }

  static StructField stringField(String name) {
    return DataTypes.createStructField(name, DataTypes.StringType, true);
  }
}
