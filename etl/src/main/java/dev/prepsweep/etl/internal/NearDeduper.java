package dev.prepsweep.etl.internal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import dev.prepsweep.etl.PrepConfig;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.TreeSet;
import org.apache.spark.ml.feature.MinHashLSH;
import org.apache.spark.ml.feature.MinHashLSHModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Near-duplicate removal over the exact-dedupe survivors: character shingles hashed into a sparse
 * binary vector, MLlib's {@link MinHashLSH} approximate self-join at Jaccard distance
 * {@code 1 - threshold} (the join computes the exact Jaccard distance of each candidate pair). Of a
 * near-duplicate pair the row later in the seeded order goes: removed as a duplicate when the labels
 * agree; when they conflict, quarantined (policy {@code majority}: the earlier row stays) or both
 * quarantined (policy {@code quarantine}).
 */
public final class NearDeduper {
  private static final Logger LOG = LoggerFactory.getLogger(NearDeduper.class);
  static final int DIM = 1 << 20;

  private NearDeduper() {}

  /** The sorted, distinct hashed shingles of a text (the whole text if shorter than a shingle). */
  static int[] shingles(String text, int size) {
    TreeSet<Integer> set = new TreeSet<>();
    if (text.length() <= size) {
      set.add(Math.floorMod(murmur(text), DIM));
    } else {
      for (int i = 0; i + size <= text.length(); i++) {
        set.add(Math.floorMod(murmur(text.substring(i, i + size)), DIM));
      }
    }
    return set.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int murmur(String s) {
    return org.apache.spark.unsafe.hash.Murmur3_x86_32.hashUnsafeBytes(
        s.getBytes(StandardCharsets.UTF_8), org.apache.spark.unsafe.Platform.BYTE_ARRAY_OFFSET,
        s.getBytes(StandardCharsets.UTF_8).length, 42);
  }

  public static Dataset<Row> apply(Dataset<Row> deduped, PrepConfig.Dedupe config, long seed) {
    PrepConfig.Near near = config.near();
    if (near == null || !Arrays.asList(deduped.columns()).contains("text")) {
      return deduped;
    }
    int size = near.shingle();
    UserDefinedFunction vec = udf((UDF1<String, Vector>) t -> {
      int[] idx = shingles(t == null ? "" : t, size);
      double[] ones = new double[idx.length];
      Arrays.fill(ones, 1.0);
      return Vectors.sparse(DIM, idx, ones);
    }, SQLDataTypes.VectorType());
    Dataset<Row> kept = deduped.where(col(Cols.ACTION).equalTo(Deduper.KEEP))
        .select(col("id"), col(Cols.HASH1), col(Cols.KEY), col("label"), vec.apply(col("text")).as("_shingles"));
    MinHashLSHModel model = new MinHashLSH().setNumHashTables(near.hashTables()).setSeed(seed)
        .setInputCol("_shingles").setOutputCol("_mh").fit(kept);
    Dataset<Row> pairs = model.approxSimilarityJoin(kept, kept, 1.0 - near.threshold() + 1e-12, "_dist")
        .select(col("datasetA.id").as("a_id"), col("datasetA." + Cols.HASH1).as("a_h"), col("datasetA." + Cols.KEY).as("a_k"),
            col("datasetA.label").as("a_label"), col("datasetB.id").as("b_id"), col("datasetB." + Cols.HASH1).as("b_h"),
            col("datasetB." + Cols.KEY).as("b_k"), col("datasetB.label").as("b_label"), col("_dist"));
    // keep each unordered pair once, oriented so that 'b' is the later row in the seeded order
    Column aFirst = col("a_k").lt(col("b_k"))
        .or(col("a_k").equalTo(col("b_k")).and(col("a_id").lt(col("b_id"))))
        .or(col("a_k").equalTo(col("b_k")).and(col("a_id").equalTo(col("b_id"))).and(col("a_h").lt(col("b_h"))));
    pairs = pairs.where(aFirst);
    Column conflict = col("a_label").notEqual(col("b_label"));
    Column similarity = format_number(lit(1.0).minus(col("_dist")), 3);
    Column reasonB = concat(lit("near-duplicate (Jaccard "), similarity, lit(") of '"), col("a_id"),
        lit("' whose label '"), col("a_label"), lit("' conflicts; policy " + config.conflicts()));
    Dataset<Row> later = pairs.select(col("b_id").as("_m_id"), col("b_h").as("_m_h"),
        when(conflict, lit(2)).otherwise(lit(1)).as("_severity"), when(conflict, reasonB).as("_m_reason"));
    Dataset<Row> marks = later;
    if (config.conflicts().equals("quarantine")) {
      Column reasonA = concat(lit("near-duplicate (Jaccard "), similarity, lit(") of '"), col("b_id"),
          lit("' whose label '"), col("b_label"), lit("' conflicts; policy quarantine"));
      marks = marks.unionByName(pairs.where(conflict).select(col("a_id").as("_m_id"), col("a_h").as("_m_h"),
          lit(2).as("_severity"), reasonA.as("_m_reason")));
    }
    marks = marks.groupBy("_m_id", "_m_h").agg(max("_severity").as("_severity"),
        first("_m_reason", true).as("_m_reason"));
    Dataset<Row> joined = deduped.join(marks,
        deduped.col("id").equalTo(marks.col("_m_id")).and(deduped.col(Cols.HASH1).equalTo(marks.col("_m_h"))), "left");
    Column isKeep = col(Cols.ACTION).equalTo(Deduper.KEEP);
    Column action = when(isKeep.and(col("_severity").equalTo(2)), lit(Deduper.QUARANTINE))
        .when(isKeep.and(col("_severity").equalTo(1)), lit(Deduper.DUP))
        .otherwise(col(Cols.ACTION));
    Column reason = when(isKeep.and(col("_severity").equalTo(2)), col("_m_reason")).otherwise(col(Cols.REASON));
    LOG.info("near-dedupe: MinHash LSH with {} tables, Jaccard >= {}, {}-char shingles", near.hashTables(),
        near.threshold(), size);
    return joined.withColumn(Cols.REASON, reason).withColumn(Cols.ACTION, action)
        .drop("_m_id", "_m_h", "_severity", "_m_reason");
  }
}
