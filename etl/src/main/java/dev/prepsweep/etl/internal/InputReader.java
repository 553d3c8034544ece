package dev.prepsweep.etl.internal;

import dev.prepsweep.tables.DeltaIO;
import static org.apache.spark.sql.functions.base64;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.is_valid_utf8;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

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

  private InputReader() {}

  public static RawInput read(SparkSession spark, PrepConfig config) {
    PrepConfig.Input in = config.input();
    String location = resolve(spark, in.path(), in.format().toString());
    try {
      return switch (in.format()) {
        case JSON -> json(spark, config, location);
        case CSV -> csv(spark, config, location);
        case PARQUET, DELTA -> typed(spark, config, location);
        case TEXT -> text(spark, config, location);
        case IMAGE -> ImageInput.read(spark, config, location);
        case IDX -> ImageInput.readIdx(spark, config, location);
      };
    } catch (dev.prepsweep.etl.PrepException e) {
      throw e;
    } catch (RuntimeException e) {
      throw PrepErrors.inputUnreadable(in.format().toString(), location, e);
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

  /** The input's data files (driver-side listing with Hadoop's FileSystem). */
  private static List<String> files(SparkSession spark, PrepConfig config) {
    try {
      List<String> files = dev.prepsweep.etl.InputFiles.list(config.input().path(), spark.sparkContext().hadoopConfiguration());
      if (files.isEmpty()) {
        throw PrepErrors.inputNotFound(config.input().format().toString(), dev.prepsweep.etl.InputFiles.resolve(config.input().path()));
      }
      return files;
    } catch (IOException e) {
      throw PrepErrors.inputUnreadable(config.input().format().toString(), config.input().path(), e);
    }
  }

  /** The record as text when it is UTF-8, else its bytes in base64 (the reason says which). */
  private static Column source() {
    return when(col(ScannedInput.UTF8), col(ScannedInput.BYTES).cast("string"))
        .otherwise(base64(col(ScannedInput.BYTES)));
  }

  private static Column where() {
    return concat(lit("line "), col(ScannedInput.LINE).cast("string"), lit(" of "), col(ScannedInput.FILE), lit(": "));
  }

  private static final String BASE64_NOTE = "; source holds the record's bytes in base64";

  /** The read-level rule of a scanned record (null when it parsed), and its reason. */
  private static Column[] scanRule(String format, Column width) {
    Column d = col(ScannedInput.DEFECT);
    Column utf8 = col(ScannedInput.UTF8);
    Column rule = when(d.equalTo("TOO_LARGE"), lit("input.too_large"))
        .when(utf8.equalTo(false), lit("input.invalid_utf8"))
        .when(d.equalTo("UNTERMINATED_QUOTE"), lit("input.unterminated_quote"))
        .when(d.equalTo("STRAY_QUOTE"), lit("input.stray_quote"))
        .when(d.equalTo("COLUMN_COUNT"), lit("input.column_count"));
    Column note = when(utf8, lit("")).otherwise(lit(BASE64_NOTE));
    Column reason = when(d.equalTo("TOO_LARGE"), concat(where(), lit("the record is longer than "
            + RecordScanner.Syntax.DEFAULT_MAX_RECORD_BYTES + " bytes; source holds its first "
            + RecordScanner.TOO_LARGE_KEEP + " bytes"), note))
        .when(utf8.equalTo(false), concat(where(), lit("the record is not valid UTF-8 (convert the file to UTF-8)"),
            lit(BASE64_NOTE)))
        .when(d.equalTo("UNTERMINATED_QUOTE"), concat(where(), lit("a quote opened on this line is not closed"
            + " by a well-formed record, so the record ends with the line (check prep.input.options quote/escape)")))
        .when(d.equalTo("STRAY_QUOTE"), concat(where(), lit("a quote inside an unquoted field, or after a closing"
            + " quote (RFC 4180 quotes whole fields; check prep.input.options quote/escape)")))
        .when(d.equalTo("COLUMN_COUNT"), concat(where(), lit("the record has "), col(ScannedInput.FIELD_COUNT).cast("string"),
            lit(" fields, the header "), width.cast("string"), lit(" (check prep.input.options sep/delimiter)")));
    return new Column[] {rule, reason};
  }

  private static RawInput json(SparkSession spark, PrepConfig config, String location) {
    List<String> cols = declaredColumns(config);
    Dataset<Row> lines = ScannedInput.scan(spark, files(spark, config), RecordScanner.Syntax.lines(), false, 0)
        .withColumn("value", when(col(ScannedInput.UTF8), col(ScannedInput.BYTES).cast("string")));
    // Check the declared columns against a sample so a typo fails fast instead of quarantining all.
    Dataset<String> sample = lines.limit(500).where(col(ScannedInput.UTF8)).select("value").as(Encoders.STRING());
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
    Dataset<Row> parsed = lines.withColumn("_j", when(col(ScannedInput.UTF8), from_json(col("value"), schema, opts)));
    Column malformed = col("_j").isNull().or(col("_j." + CORRUPT).isNotNull());
    Column[] scan = scanRule("json", lit(0));
    Column rule = when(scan[0].isNotNull(), scan[0]).when(malformed, lit("input.malformed"));
    Column reason = when(scan[0].isNotNull(), scan[1])
        .when(malformed, concat(where(), lit("the line is not a JSON object")));
    List<Column> out = new ArrayList<>();
    out.add(col(ScannedInput.UTF8));
    out.add(col(ScannedInput.BYTES));
    out.add(rule.as(Cols.RULE));
    out.add(reason.as(Cols.REASON));
    out.addAll(roleColumns(config, c -> col("_j.`" + c + "`")));
    return new RawInput(parsed.select(out.toArray(Column[]::new)), source(), location, null);
  }

  /** The scanner's syntax for the (validated) CSV options; RFC 4180 by default. */
  static RecordScanner.Syntax csvSyntax(Map<String, String> options) {
    String sep = options.getOrDefault("sep", options.getOrDefault("delimiter", ","));
    if (sep.equals("\\t")) {
      sep = "\t";
    }
    String quote = options.getOrDefault("quote", "\"");
    String escape = options.get("escape");
    int q = quote.isEmpty() ? -1 : quote.charAt(0);
    int e = escape == null || escape.isEmpty() || escape.charAt(0) == q ? -1 : escape.charAt(0);
    return new RecordScanner.Syntax(true, sep.charAt(0), q, e, RecordScanner.Syntax.DEFAULT_MAX_RECORD_BYTES);
  }

  private static RawInput csv(SparkSession spark, PrepConfig config, String location) {
    Map<String, String> options = config.input().options();
    RecordScanner.Syntax syntax = csvSyntax(options);
    boolean header = Boolean.parseBoolean(options.getOrDefault("header", "true"));
    List<String> files = files(spark, config);
    RecordScanner.Record first = ScannedInput.first(spark, files, syntax);
    if (first == null) {
      throw PrepErrors.inputNotFound("csv", location + " (the files hold no records)");
    }
    if (header ? first.fields() == null : first.fieldCount() == 0) {
      throw PrepErrors.inputUnreadable("csv", location, new IllegalArgumentException("the first record (line "
          + first.line() + " of " + files.get(0) + ") cannot be parsed: " + first.defect()
          + (first.utf8() ? "" : ", not valid UTF-8") + "; it gives the column names (or count) of the input"));
    }
    List<String> names = header ? Arrays.asList(first.fields()) : ScannedInput.names(first.fieldCount());
    checkColumns(config, names);
    int width = names.size();
    Dataset<Row> df = ScannedInput.scan(spark, files, syntax, header, width);
    Column[] scan = scanRule("csv", lit(width));
    List<Column> out = new ArrayList<>();
    out.add(col(ScannedInput.UTF8));
    out.add(col(ScannedInput.BYTES));
    out.add(scan[0].as(Cols.RULE));
    out.add(scan[1].as(Cols.REASON));
    out.addAll(roleColumns(config, c -> col(ScannedInput.field(names.indexOf(c)))));
    return new RawInput(df.select(out.toArray(Column[]::new)), source(), location, null);
  }

  private static RawInput typed(SparkSession spark, PrepConfig config, String location) {
    Long version = null;
    Dataset<Row> df;
    if (config.input().format() == PrepConfig.Format.DELTA) {
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
    boolean perFile = config.input().textPer() == PrepConfig.TextPer.FILE;
    if (!perFile) {
      return textLines(spark, config, location);
    }
    Dataset<Row> df = spark.read().option("wholetext", true).option("recursiveFileLookup", "true")
        .options(config.input().options()).text(location)
        .select(col("value"), col("_metadata.file_path").as("_path"));
    Column valid = is_valid_utf8(col("value"));
    Column label = config.input().labelFromFolder()
        ? regexp_extract(col("_path"), "([^/]+)/[^/]+$", 1) : lit(null).cast("string");
    Dataset<Row> roles = df.select(
        col("value").as(Cols.SRC),
        when(valid.equalTo(false), lit("input.invalid_utf8")).as(Cols.RULE),
        when(valid.equalTo(false), lit("the text is not valid UTF-8")).as(Cols.REASON),
        col("_path").as(Cols.R_ID),
        label.as(Cols.R_LABEL),
        when(valid, col("value")).as(Cols.rText(0)));
    return new RawInput(roles, col(Cols.SRC), location, null);
  }

  /** One record per line: the id is the file and line number, so equal lines keep distinct ids. */
  private static RawInput textLines(SparkSession spark, PrepConfig config, String location) {
    Dataset<Row> df = ScannedInput.scan(spark, files(spark, config), RecordScanner.Syntax.lines(), false, 0);
    Column path = col(ScannedInput.FILE);
    Column label = config.input().labelFromFolder()
        ? regexp_extract(path, "([^/]+)/[^/]+$", 1) : lit(null).cast("string");
    Column[] scan = scanRule("text", lit(0));
    Dataset<Row> roles = df.select(
        col(ScannedInput.UTF8), col(ScannedInput.BYTES),
        scan[0].as(Cols.RULE),
        scan[1].as(Cols.REASON),
        concat(path, lit(":"), col(ScannedInput.LINE).cast("string")).as(Cols.R_ID),
        label.as(Cols.R_LABEL),
        when(col(ScannedInput.UTF8), col(ScannedInput.BYTES).cast("string")).as(Cols.rText(0)));
    return new RawInput(roles, source(), location, null);
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
    if (config.input().format() == PrepConfig.Format.PARQUET || config.input().format() == PrepConfig.Format.DELTA) {
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
    if (c.image() != null && (config.input().format() == PrepConfig.Format.PARQUET || config.input().format() == PrepConfig.Format.DELTA)) {
      out.add(get.apply(c.image()).cast("binary").as(Cols.R_IMAGE));
    }
    return out;
  }

  static StructField stringField(String name) {
    return DataTypes.createStructField(name, DataTypes.StringType, true);
  }
}
