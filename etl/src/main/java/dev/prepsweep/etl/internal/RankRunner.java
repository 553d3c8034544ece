package dev.prepsweep.etl.internal;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;

import dev.prepsweep.etl.plan.RankPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Applies a {@link RankPlan} with Dataset operations. Rows of buckets inside one segment get their
 * value from a lookup (no shuffle); only rows of the few straddling buckets are ranked, by a window
 * over (stratum, bucket) whose partitions are a bucket each (1/2^bits of a stratum), so no stratum
 * funnels through a single task.
 */
final class RankRunner {
  public static final int DEFAULT_BITS = 10;
  private static final String BUCKET = "_bucket";
  private static final String DIRECT = "_direct";

  private RankRunner() {}

  /**
   * Small driver-side aggregate: per stratum, the weight of each bucket.
   *
   * @param weight a weight column, or null for one per row
   */
  public static Map<String, long[]> bucketWeights(Dataset<Row> df, Column stratum, String keyCol, Column weight, int bits) {
    Column w = weight == null ? lit(1L) : weight;
    List<Row> rows = df.select(stratum.as("_s"), bucket(col(keyCol), bits).as("_b"), w.as("_w"))
        .groupBy("_s", "_b").agg(sum("_w").as("_w")).collectAsList();
    Map<String, long[]> out = new java.util.TreeMap<>();
    for (Row r : rows) {
      long[] a = out.computeIfAbsent(r.getString(0), k -> new long[1 << bits]);
      a[r.getInt(1)] += r.getLong(2);
    }
    return out;
  }

  static Column bucket(Column key, int bits) {
    return bits == 0 ? lit(0) : shiftrightunsigned(key, 63 - bits).cast("int");
  }

  /**
   * Adds {@code outCol} (int) with each row's value under the plan.
   *
   * @param tieCol breaks ties of equal keys (e.g. the id)
   * @param weight per-row weight, or null for one per row
   */
  public static Dataset<Row> assign(Dataset<Row> df, Column stratum, String keyCol, String tieCol, Column weight,
      RankPlan plan, String outCol) {
    UserDefinedFunction direct = udf((UDF2<String, Integer, Integer>) plan::direct, DataTypes.IntegerType);
    UserDefinedFunction at = udf((UDF4<String, Integer, Long, Long, Integer>) plan::valueAt, DataTypes.IntegerType);
    Column w = weight == null ? lit(1L) : weight;
    String[] original = df.columns();
    Dataset<Row> b = df.withColumn("_stratum", stratum).withColumn(BUCKET, bucket(col(keyCol), plan.bucketBits()))
        .withColumn("_weight", w.cast("long"));
    b = b.withColumn(DIRECT, direct.apply(col("_stratum"), col(BUCKET)));
    Dataset<Row> done = b.where(col(DIRECT).geq(0)).withColumn(outCol, col(DIRECT));
    Column before = coalesce(sum("_weight").over(Window.partitionBy("_stratum", BUCKET).orderBy(keyCol, tieCol)
        .rowsBetween(Window.unboundedPreceding(), -1)), lit(0L));
    Dataset<Row> ranked = b.where(col(DIRECT).lt(0))
        .withColumn(outCol, at.apply(col("_stratum"), col(BUCKET), before, col("_weight")));
    Column[] keep = new Column[original.length + 1];
    for (int i = 0; i < original.length; i++) {
      keep[i] = col("`" + original[i] + "`");
    }
    keep[original.length] = col(outCol);
    return done.select(keep).unionByName(ranked.select(keep));
  }

  /** For logging: stratum to total weight. */
  public static Map<String, Long> totals(Map<String, long[]> weights) {
    Map<String, Long> out = new LinkedHashMap<>();
    weights.forEach((k, v) -> out.put(k, java.util.Arrays.stream(v).sum()));
    return out;
  }
}
