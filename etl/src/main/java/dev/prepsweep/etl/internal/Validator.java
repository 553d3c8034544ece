package dev.prepsweep.etl.internal;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.make_valid_utf8;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.prepsweep.etl.PrepConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Cleans the raw role columns and marks each row with the first rule it breaks (or null). Output:
 * {@code _src, _rule, _reason, _stage, id, label, [text], [_f_i...], [group], [image], _key, _h1, _h2}.
 * Pure column expressions plus one text UDF: a single narrow pass, no shuffle.
 */
public final class Validator {
  /** Image pixels (features of image inputs). */
  public static final String PIXELS = "_pixels";

  private Validator() {}

  /** One rejection rule: the first whose condition holds names the row's rule. */
  private record Rule(Column when, String rule, Column reason) {}

  public static Dataset<Row> apply(Dataset<Row> raw, PrepConfig config, long seed) {
    PrepConfig.Columns c = config.columns();
    PrepConfig.Labels labels = config.labels();
    List<Column> out = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();

    // id: as given, or derived from the record's content
    List<Column> rawCols = new ArrayList<>();
    for (String f : raw.columns()) {
      if (f.startsWith("_r_")) {
        rawCols.add(col(f));
      }
    }
    Column derivedId = concat(lit("h"), hex(xxhash64(rawCols.toArray(Column[]::new))));
    boolean readerIds = List.of("text", "image", "idx").contains(config.input().format());
    Column id = c.id() != null ? regexp_replace(col(Cols.R_ID), "^\\s+|\\s+$", "")
        : readerIds ? coalesce(col(Cols.R_ID), derivedId) : derivedId;
    if (c.id() != null) {
      rules.add(new Rule(col(Cols.R_ID).isNull().or(id.equalTo("")), "id.missing",
          lit("column '" + c.id() + "' (id) is null or empty")));
    }

    // label: trim (+ lowercase), map, check allowed
    Column norm = regexp_replace(col(Cols.R_LABEL), "^\\s+|\\s+$", "");
    if (labels.normalize()) {
      norm = lower(norm);
    }
    Column label = norm;
    if (!labels.map().isEmpty()) {
      List<Column> kv = new ArrayList<>();
      for (Map.Entry<String, String> e : labels.map().entrySet()) {
        kv.add(lit(e.getKey()));
        kv.add(lit(e.getValue()));
      }
      label = coalesce(try_element_at(map(kv.toArray(Column[]::new)), norm), norm);
    }
    rules.add(new Rule(col(Cols.R_LABEL).isNull().or(norm.equalTo("")), "label.missing",
        lit("column '" + c.label() + "' (label) is null or empty")));
    if (!labels.allowed().isEmpty()) {
      Column allowed = label.isin(labels.allowed().toArray());
      rules.add(new Rule(allowed.equalTo(false), "label.unknown",
          concat(lit("label '"), col(Cols.R_LABEL), lit("' is not one of " + labels.allowed()
              + (labels.map().isEmpty() ? "" : " after the label map")))));
    }

    // group
    if (c.group() != null && config.split().byGroup()) {
      rules.add(new Rule(col(Cols.R_GROUP).isNull().or(col(Cols.R_GROUP).equalTo("")), "group.missing",
          lit("column '" + c.group() + "' (group) is null or empty and split.by_group needs it")));
    }

    // features: coerce to double; wrong types are rejected, missing values dropped or imputed later
    List<Column> features = new ArrayList<>();
    for (int i = 0; i < c.features().size(); i++) {
      String name = c.features().get(i);
      Column r = col(Cols.rFeature(i));
      Column d = r.try_cast(DataTypes.DoubleType);
      rules.add(new Rule(r.isNotNull().and(d.isNull()).and(regexp_replace(r.cast("string"), "\\s", "").notEqual("")),
          "feature.type", concat(lit("column '" + name + "' = '"), r.cast("string"), lit("' is not a number"))));
      Column missing = d.isNull().or(isnan(d));
      rules.add(new Rule(d.isNotNull().and(isnan(d).equalTo(false)).and(d.equalTo(Double.POSITIVE_INFINITY)
          .or(d.equalTo(Double.NEGATIVE_INFINITY))), "feature.not_finite",
          lit("column '" + name + "' is infinite")));
      if (config.clean().missingFor(name).policy().equals("drop")) {
        rules.add(new Rule(missing, "feature.missing",
            lit("column '" + name + "' is missing and clean.missing says drop")));
      }
      features.add(when(missing, lit(null).cast("double")).otherwise(d).as(Cols.feature(i)));
    }

    // text
    Column text = null;
    if (!c.text().isEmpty()) {
      List<Column> parts = new ArrayList<>();
      for (int i = 0; i < c.text().size(); i++) {
        parts.add(col(Cols.rText(i)));
      }
      TextCleaner cleaner = new TextCleaner(config.clean());
      UserDefinedFunction clean = udf((UDF1<String, String>) cleaner::clean, DataTypes.StringType);
      text = clean.apply(concat_ws(" ", parts.toArray(Column[]::new)));
      int min = config.clean().minTextChars();
      if (min > 0) {
        rules.add(new Rule(coalesce(length(text), lit(0)).lt(min), "text.empty",
            lit("the cleaned text has fewer than " + min + " characters")));
      }
    }

    // image
    if (c.image() != null) {
      rules.add(new Rule(col(Cols.R_IMAGE).isNull(), "image.missing", lit("the image is missing")));
    }

    Column rule = col(Cols.RULE);
    Column reason = col(Cols.REASON);
    Column ruleChain = when(rule.isNotNull(), rule);
    Column reasonChain = when(rule.isNotNull(), reason);
    for (Rule r : rules) {
      ruleChain = ruleChain.when(r.when(), lit(r.rule()));
      reasonChain = reasonChain.when(r.when(), r.reason());
    }

    // Evaluate the cleaned columns once, then the rules over them.
    List<Column> first = new ArrayList<>();
    first.add(col(Cols.SRC));
    first.add(ruleChain.as("_rule1"));
    first.add(reasonChain.as("_reason1"));
    first.add(when(rule.isNotNull(), lit("read")).otherwise(lit("clean")).as(Cols.STAGE));
    first.add(id.as("id"));
    first.add(label.as("label"));
    if (text != null) {
      first.add(text.as("text"));
    }
    first.addAll(features);
    if (c.group() != null) {
      first.add(col(Cols.R_GROUP).as("group"));
    }
    if (c.image() != null) {
      first.add(col(Cols.R_IMAGE).as("image"));
    }
    boolean pixels = java.util.Arrays.asList(raw.columns()).contains(ImageInput.PIXELS);
    if (pixels) {
      first.add(col(ImageInput.PIXELS).as(PIXELS));
    }
    // The rules reference the text UDF; select it once and rewrite rule/reason over the result is
    // not possible in one projection, so the text length rule is recomputed cheaply from 'text'.
    Dataset<Row> cleaned = raw.select(first.toArray(Column[]::new));

    out.add(when(col("_rule1").isNotNull(), make_valid_utf8(col(Cols.SRC))).as(Cols.SRC));
    out.add(col("_rule1").as(Cols.RULE));
    out.add(col("_reason1").as(Cols.REASON));
    out.add(col(Cols.STAGE));
    for (String f : cleaned.columns()) {
      if (!f.startsWith("_")) {
        out.add(col(f));
      }
    }
    for (int i = 0; i < c.features().size(); i++) {
      out.add(col(Cols.feature(i)));
    }
    if (pixels) {
      out.add(col(PIXELS));
    }
    Column key = xxhash64(lit(seed), col("id")).bitwiseAND(lit(Long.MAX_VALUE));
    out.add(key.as(Cols.KEY));
    List<Column> content = new ArrayList<>();
    if (text != null) {
      content.add(col("text"));
    }
    for (int i = 0; i < c.features().size(); i++) {
      content.add(coalesce(col(Cols.feature(i)).cast("string"), lit("\u0000")));
    }
    if (c.image() != null) {
      content.add(col("image"));
    }
    out.add(xxhash64(content.toArray(Column[]::new)).as(Cols.HASH1));
    out.add(hash(content.toArray(Column[]::new)).as(Cols.HASH2));
    return cleaned.select(out.toArray(Column[]::new));
  }
}
