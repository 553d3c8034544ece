package dev.prepsweep.etl.internal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.udf;

import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.etl.augment.ImageAugment;
import dev.prepsweep.etl.augment.TextEda;
import dev.prepsweep.etl.augment.WordNetSynonyms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Train-only augmentation: the train rows ({@code op = original}) plus, for each eligible row (all,
 * or only minority classes: those below the largest class), {@code copies} augmented copies with
 * {@code id = <id>#aug<c>}, {@code source_id} and {@code op} ({@code eda:<operation>} or
 * {@code image:<operation>}).
 */
final class Augmenter {
  private Augmenter() {}

  public static Dataset<Row> apply(Dataset<Row> train, PrepConfig config, Map<String, Long> trainCounts, long seed) {
    long max = trainCounts.values().stream().mapToLong(Long::longValue).max().orElse(0);
    // train's own lineage columns are re-derived below, for originals and copies alike
    String[] cols = Cols.withoutLineage(train.columns());
    Column[] base = java.util.Arrays.stream(cols).map(c -> col("`" + c + "`")).toArray(Column[]::new);
    Dataset<Row> out = Splitter.withOriginLineage(train.select(base));
    PrepConfig.TextAugment t = config.augment().text();
    if (t != null) {
      out = out.unionByName(copies(train, cols, t.copies(), t.minorityOnly(), trainCounts, max, "text",
          textUdf(new TextEda(t, WordNetSynonyms.INSTANCE, seed))));
    }
    PrepConfig.ImageAugment i = config.augment().image();
    if (i != null) {
      out = out.unionByName(copies(train, cols, i.copies(), i.minorityOnly(), trainCounts, max, "image",
          ImageAugment.udf(i, seed)).where(col("image").isNotNull()));
    }
    return out;
  }

  private static Dataset<Row> copies(Dataset<Row> train, String[] cols, int copies, boolean minorityOnly,
      Map<String, Long> counts, long max, String target, UserDefinedFunction fn) {
    Dataset<Row> eligible = train;
    if (minorityOnly) {
      List<String> minority = new ArrayList<>();
      counts.forEach((l, n) -> {
        if (n > 0 && n < max) {
          minority.add(l);
        }
      });
      eligible = train.where(col("label").isin(minority.toArray()));
    }
    Dataset<Row> exploded = eligible.withColumn("_copy", explode(sequence(lit(1), lit(copies))))
        .withColumn("_aug", fn.apply(col("id"), col(target), col("_copy")));
    List<Column> sel = new ArrayList<>();
    for (String c : cols) {
      if (c.equals("id")) {
        sel.add(concat(col("id"), lit("#aug"), col("_copy").cast("string")).as("id"));
      } else if (c.equals(target)) {
        sel.add(col("_aug.value").as(target));
      } else if (c.equals("features") && target.equals("image")) {
        sel.add(PIXELS_OF.apply(col("_aug.value")).as("features"));
      } else {
        sel.add(col("`" + c + "`"));
      }
    }
    sel.add(col("id").as(Cols.SOURCE_ID));
    sel.add(col("_aug.op").as(Cols.OP));
    return exploded.select(sel.toArray(Column[]::new));
  }

  /** Grayscale pixels in [0, 1] of encoded image bytes (features of augmented images). */
  static final UserDefinedFunction PIXELS_OF = udf((org.apache.spark.sql.api.java.UDF1<byte[], double[]>) b -> {
    java.awt.image.BufferedImage img = dev.prepsweep.etl.augment.Images.decodeGray(b);
    return img == null ? null : dev.prepsweep.etl.augment.Images.pixels(img);
  }, DataTypes.createArrayType(DataTypes.DoubleType));

  static UserDefinedFunction textUdf(TextEda eda) {
    StructType type = new StructType().add("value", DataTypes.StringType).add("op", DataTypes.StringType);
    return udf((UDF3<String, String, Integer, Row>) (id, text, copy) -> {
      TextEda.Augmented a = eda.augment(id, text == null ? "" : text, copy);
      return RowFactory.create(a.text(), "eda:" + a.operation());
    }, type);
  }
}
