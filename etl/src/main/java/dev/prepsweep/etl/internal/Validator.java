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
import static org.apache.spark.sql.functions.make_valid_utf8;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.prepsweep.etl.PrepConfig;
import java.util.ArrayList;
import java.util.Arrays;
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
 * {@code _src, _rule, _reason, _stage, id, label, _folded, [text], [_f_i...], [group], [image], [_pixels],
 * _key, _h1, _h2}. Two narrow projections and no shuffle: the first computes every cleaned value once
 * (text UDF, casts, trims), the second the rule chain over those values; the original record is
 * rendered only for rejected rows.
 */
public final class Validator {
  /** Image pixels (features of image inputs). */
  public static final String PIXELS = "_pixels";
  private static final String WS = " \t\r\n\u000b\f";

  private static final UserDefinedFunction LOWER =
      udf((UDF1<String, String>) v -> v == null ? null : v.toLowerCase(java.util.Locale.ROOT), DataTypes.StringType);

  private Validator() {}

  /** One rejection rule: the first whose condition holds names the row's rule. */
  private record Rule(Column when, String rule, Column reason) {}

  public static Dataset<Row> apply(RawInput input, PrepConfig config, long seed) {
    Dataset<Row> raw = input.df();
    PrepConfig.Columns c = config.columns();
    PrepConfig.Labels labels = config.labels();
    List<String> rawNames = Arrays.asList(raw.columns());

    // ---- stage 1: values
    List<Column> values = new ArrayList<>();
    for (String f : raw.columns()) {
      values.add(col("`" + f + "`"));
    }
    List<Column> rawRoles = new ArrayList<>();
    for (String f : raw.columns()) {
      if (f.startsWith("_r_")) {
        rawRoles.add(col(f));
      }
    }
    Column derivedId = concat(lit("h"), hex(xxhash64(rawRoles.toArray(Column[]::new))));
    boolean readerIds = List.of(PrepConfig.Format.TEXT, PrepConfig.Format.IMAGE, PrepConfig.Format.IDX).contains(config.input().format());
    Column id = c.id() != null ? trim(col(Cols.R_ID), WS)
        : readerIds ? coalesce(col(Cols.R_ID), derivedId) : derivedId;
    values.add(id.as("_v_id"));
    Column norm = trim(col(Cols.R_LABEL), WS);
    if (labels.normalize() && !config.regression()) {
      // Java's Unicode lower case, as the text cleaner folds case; Spark's lower() goes through ICU,
      // whose one-time table set-up held both task threads for about a second
      norm = LOWER.apply(norm);
    }
    values.add(norm.as("_v_norm"));
    if (!c.text().isEmpty()) {
      List<Column> parts = new ArrayList<>();
      for (int i = 0; i < c.text().size(); i++) {
        parts.add(col(Cols.rText(i)));
      }
      TextCleaner cleaner = new TextCleaner(config.clean());
      UserDefinedFunction clean = udf((UDF1<String, String>) cleaner::clean, DataTypes.StringType);
      values.add(clean.apply(concat_ws(" ", parts.toArray(Column[]::new))).as("_v_text"));
    }
    for (int i = 0; i < c.features().size(); i++) {
      Column r = col(Cols.rFeature(i));
      Column d = r.try_cast(DataTypes.DoubleType);
      values.add(d.as("_v_d" + i));
      values.add(r.isNotNull().and(d.isNull()).and(trim(r.cast("string"), WS).notEqual("")).as("_v_bad" + i));
    }
    Dataset<Row> v = raw.select(values.toArray(Column[]::new));

    // ---- stage 2: rules over the values
    List<Rule> rules = new ArrayList<>();
    if (c.id() != null) {
      rules.add(new Rule(col("_v_id").isNull().or(col("_v_id").equalTo("")), "id.missing",
          lit("column '" + c.id() + "' (id) is null or empty")));
    }
    Column label = col("_v_norm");
    if (!labels.map().isEmpty()) {
      List<Column> kv = new ArrayList<>();
      for (Map.Entry<String, String> e : labels.map().entrySet()) {
        kv.add(lit(e.getKey()));
        kv.add(lit(e.getValue()));
      }
      label = coalesce(try_element_at(map(kv.toArray(Column[]::new)), col("_v_norm")), col("_v_norm"));
    }
    rules.add(new Rule(col("_v_norm").isNull().or(col("_v_norm").equalTo("")), "label.missing",
        lit("column '" + c.label() + "' (label) is null or empty")));
    if (config.regression()) {
      // a regression label is a finite number; its canonical text (Spark's double to string) is the label
      Column number = col("_v_norm").try_cast(DataTypes.DoubleType);
      rules.add(new Rule(number.isNull().or(isnan(number)).or(number.equalTo(Double.POSITIVE_INFINITY))
          .or(number.equalTo(Double.NEGATIVE_INFINITY)), "label.not_numeric", concat(lit("label '"),
          col(Cols.R_LABEL), lit("' is not a finite number, and task: regression predicts a number"))));
      label = number.cast(DataTypes.StringType);
    }
    if (!labels.allowed().isEmpty()) {
      rules.add(new Rule(label.isin(labels.allowed().toArray()).equalTo(false), "label.unknown",
          concat(lit("label '"), col(Cols.R_LABEL), lit("' is not one of " + labels.allowed()
              + (labels.map().isEmpty() ? "" : " after the label map")))));
    }
    if (c.group() != null && config.split().byGroup()) {
      rules.add(new Rule(col(Cols.R_GROUP).isNull().or(col(Cols.R_GROUP).equalTo("")), "group.missing",
          lit("column '" + c.group() + "' (group) is null or empty and split.by_group needs it")));
    }
    List<Column> features = new ArrayList<>();
    for (int i = 0; i < c.features().size(); i++) {
      String name = c.features().get(i);
      Column d = col("_v_d" + i);
      rules.add(new Rule(col("_v_bad" + i), "feature.type",
          concat(lit("column '" + name + "' = '"), col(Cols.rFeature(i)).cast("string"), lit("' is not a number"))));
      Column missing = d.isNull().or(isnan(d));
      rules.add(new Rule(d.equalTo(Double.POSITIVE_INFINITY).or(d.equalTo(Double.NEGATIVE_INFINITY)),
          "feature.not_finite", lit("column '" + name + "' is infinite")));
      if (config.clean().missingFor(name).policy() == PrepConfig.MissingPolicy.DROP) {
        rules.add(new Rule(missing, "feature.missing", lit("column '" + name + "' is missing and clean.missing says drop")));
      }
      features.add(when(missing, lit(null).cast("double")).otherwise(d).as(Cols.feature(i)));
    }
    boolean hasText = !c.text().isEmpty();
    int min = config.clean().minTextChars();
    if (hasText && min > 0) {
      rules.add(new Rule(coalesce(length(col("_v_text")), lit(0)).lt(min), "text.empty",
          lit("the cleaned text has fewer than " + min + " characters")));
    }
    if (c.image() != null) {
      rules.add(new Rule(col(Cols.R_IMAGE).isNull(), "image.missing", lit("the image is missing")));
    }

    Column rule = col(Cols.RULE);
    Column ruleChain = when(rule.isNotNull(), rule);
    Column reasonChain = when(rule.isNotNull(), col(Cols.REASON));
    for (Rule r : rules) {
      ruleChain = ruleChain.when(r.when(), lit(r.rule()));
      reasonChain = reasonChain.when(r.when(), r.reason());
    }
    List<Column> out = new ArrayList<>();
    out.add(when(ruleChain.isNotNull(), make_valid_utf8(input.source())).as(Cols.SRC));
    out.add(ruleChain.as(Cols.RULE));
    out.add(reasonChain.as(Cols.REASON));
    out.add(when(rule.isNotNull(), lit("read")).otherwise(lit("clean")).as(Cols.STAGE));
    out.add(col("_v_id").as("id"));
    out.add(label.as("label"));
    // counted for the "labels case-folded" warning, then dropped: valid rows whose raw label is not
    // the label it was folded to (surrounding whitespace, and case when labels.normalize is on)
    out.add((config.regression() ? lit(null).cast(DataTypes.StringType)
        : when(ruleChain.isNull().and(col(Cols.R_LABEL).notEqual(col("_v_norm"))), col(Cols.R_LABEL))).as(Cols.FOLDED));
    if (hasText) {
      out.add(col("_v_text").as("text"));
    }
    out.addAll(features);
    if (c.group() != null) {
      out.add(col(Cols.R_GROUP).as("group"));
    }
    if (c.image() != null) {
      out.add(col(Cols.R_IMAGE).as("image"));
    }
    if (rawNames.contains(ImageInput.PIXELS)) {
      out.add(col(ImageInput.PIXELS).as(PIXELS));
    }
    if (rawNames.contains(Cols.ORDER)) {
      out.add(col(Cols.ORDER));
    }
    out.add(xxhash64(lit(seed), col("_v_id")).bitwiseAND(lit(Long.MAX_VALUE)).as(Cols.KEY));
    List<Column> content = new ArrayList<>();
    if (hasText) {
      content.add(col("_v_text"));
    }
    for (int i = 0; i < c.features().size(); i++) {
      // the value's bits, and whether it is missing (hashing skips nulls, so [x, null] != [null, x]);
      // rendering doubles as text for this cost about 3% of the read + clean stage
      content.add(col("_v_d" + i));
      content.add(col("_v_d" + i).isNull());
    }
    if (c.image() != null) {
      content.add(col(Cols.R_IMAGE));
    }
    out.add(xxhash64(content.toArray(Column[]::new)).as(Cols.HASH1));
    out.add(hash(content.toArray(Column[]::new)).as(Cols.HASH2));
    return v.select(out.toArray(Column[]::new));
  }
}
