package dev.prepsweep.etl;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.xxhash64;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.etl.internal.Cols;
import dev.prepsweep.etl.internal.NearDeduper;
import dev.prepsweep.etl.internal.Scratch;
import dev.prepsweep.etl.plan.MinHashBands;
import dev.prepsweep.tables.DeltaIO;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Leakage between any two tables (not only prepsweep's splits): the pairs of a train and a test row
 * that share an id, that have the same normalised text (lower case, runs of white space as one
 * space, trimmed), or whose texts are near-duplicates (Jaccard similarity of character shingles at
 * least the threshold, found with the same banded MinHash as the prep job's near-dedupe; pairs with
 * the same normalised text count as content, not near). The pairs are written to a {@code leakage}
 * Delta table: {@code kind, train_id, test_id, similarity, train_text, test_text, train_table,
 * test_table, audited_at}.
 */
public final class LeakageAudit {
  public static final List<String> KINDS = List.of("id", "content", "near");
  private static final int EXAMPLES = 5;

  private LeakageAudit() {}

  /**
   * @param counts kind ({@link #KINDS}) to pairs found
   * @param examples kind to a few pairs, "train id ~ test id"
   * @param table the leakage table written
   */
  public record Result(Map<String, Long> counts, Map<String, List<String>> examples, TableVersion table) {
    public boolean leaks() {
      return counts.values().stream().anyMatch(n -> n > 0);
    }
  }

  /**
   * @param train, test the two tables' rows
   * @param idCol the id column of both, or null to skip the id check
   * @param textCol the text column of both
   * @param near the near-duplicate settings (the prep config's {@code dedupe.near}, or its defaults)
   */
  public static Result run(SparkSession spark, Dataset<Row> train, Dataset<Row> test, String idCol, String textCol,
      PrepConfig.Near near, long seed, String warehouse, String trainName, String testName) {
    String wh = warehouse.endsWith("/") ? warehouse.substring(0, warehouse.length() - 1) : warehouse;
    try (Scratch scratch = new Scratch(spark, wh, "audit-" + UUID.randomUUID())) {
      // written once: the row numbers must not change between the joins that use them
      Dataset<Row> a = scratch.materialize(side(train, idCol, textCol), "train");
      Dataset<Row> b = scratch.materialize(side(test, idCol, textCol), "test");
      List<Dataset<Row>> found = new ArrayList<>();
      if (idCol != null) {
        found.add(a.join(b, a.col("_id").equalTo(b.col("_id")))
            .select(lit("id").as("kind"), a.col("_id").as("train_id"), b.col("_id").as("test_id"),
                lit(null).cast("double").as("similarity"), a.col("_text").as("train_text"), b.col("_text").as("test_text")));
      }
      Column sameContent = a.col("_nh").equalTo(b.col("_nh")).and(a.col("_norm").equalTo(b.col("_norm")));
      found.add(a.join(b, sameContent).select(lit("content").as("kind"), a.col("_id").as("train_id"),
          b.col("_id").as("test_id"), lit(1.0).as("similarity"), a.col("_text").as("train_text"), b.col("_text").as("test_text")));
      // near: both sides in one set of rows ("label" = the side), cross-side pairs only
      Dataset<Row> rows = a.select(concat(lit("a:"), col("_rid")).as("id"), col("_nh").as(Cols.HASH1),
              xxhash64(lit(seed), col("_rid")).as(Cols.KEY), lit("train").as("label"), col("_text").as("text"))
          .unionByName(b.select(concat(lit("b:"), col("_rid")).as("id"), col("_nh").as(Cols.HASH1),
              xxhash64(lit(seed), col("_rid")).as(Cols.KEY), lit("test").as("label"), col("_text").as("text")));
      MinHashBands bands = MinHashBands.forThreshold(near.threshold(), near.hashTables(), seed);
      Dataset<Row> pairs = NearDeduper.pairs(rows.where(col("text").isNotNull()), bands, near.threshold(), near.shingle(), scratch)
          .where(col("a_label").notEqual(col("b_label")));
      Column trainRid = org.apache.spark.sql.functions.when(col("a_label").equalTo("train"), col("a_id")).otherwise(col("b_id"));
      Column testRid = org.apache.spark.sql.functions.when(col("a_label").equalTo("test"), col("a_id")).otherwise(col("b_id"));
      Dataset<Row> near2 = pairs.select(org.apache.spark.sql.functions.substring(trainRid, 3, Integer.MAX_VALUE).as("_ra"),
          org.apache.spark.sql.functions.substring(testRid, 3, Integer.MAX_VALUE).as("_rb"), lit(1.0).minus(col("_dist")).as("similarity"));
      Dataset<Row> ra = a.select(col("_rid").as("_ra"), col("_id").as("train_id"), col("_text").as("train_text"), col("_norm").as("_na"));
      Dataset<Row> rb = b.select(col("_rid").as("_rb"), col("_id").as("test_id"), col("_text").as("test_text"), col("_norm").as("_nb"));
      found.add(near2.join(ra, "_ra").join(rb, "_rb").where(col("_na").notEqual(col("_nb")))
          .select(lit("near").as("kind"), col("train_id"), col("test_id"), col("similarity"), col("train_text"), col("test_text")));
      Dataset<Row> all = found.get(0);
      for (int i = 1; i < found.size(); i++) {
        all = all.unionByName(found.get(i));
      }
      all = scratch.materialize(all, "leakage");
      Map<String, Long> counts = new LinkedHashMap<>();
      Map<String, List<String>> examples = new LinkedHashMap<>();
      for (String k : KINDS) {
        counts.put(k, 0L);
        examples.put(k, new ArrayList<>());
      }
      for (Row r : all.groupBy("kind").count().collectAsList()) {
        counts.put(r.getString(0), r.getLong(1));
      }
      for (String k : KINDS) {
        for (Row r : all.where(col("kind").equalTo(k)).orderBy("train_id", "test_id").limit(EXAMPLES).collectAsList()) {
          examples.get(k).add("train '" + r.getString(1) + "' ~ test '" + r.getString(2) + "'"
              + (r.isNullAt(3) ? "" : String.format(java.util.Locale.ROOT, " (Jaccard %.3f)", r.getDouble(3))));
        }
      }
      Dataset<Row> table = all.withColumn("train_table", lit(trainName)).withColumn("test_table", lit(testName))
          .withColumn("audited_at", current_timestamp());
      TableVersion written = DeltaIO.overwrite(table, wh, "leakage").table();
      return new Result(counts, examples, written);
    }
  }

  /** _rid (a row id unique within the side), _id, _text, _norm (normalised text) and _nh (its hash). */
  private static Dataset<Row> side(Dataset<Row> df, String idCol, String textCol) {
    Column text = col("`" + textCol + "`").cast("string");
    Column norm = trim(regexp_replace(lower(text), "\\s+", " "));
    Column id = idCol == null ? lit(null).cast("string") : col("`" + idCol + "`").cast("string");
    Dataset<Row> s = df.select(id.as("_id"), text.as("_text"), norm.as("_norm"))
        .withColumn("_rid", org.apache.spark.sql.functions.monotonically_increasing_id().cast("string"))
        .withColumn("_nh", xxhash64(col("_norm")));
    return s;
  }
}
