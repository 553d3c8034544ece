package dev.prepsweep.etl.internal;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.struct;
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
import dev.prepsweep.etl.plan.MinHashBands;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Near-duplicate removal over the exact-dedupe survivors: character shingles hashed to ints, banded
 * MinHash ({@link MinHashBands}) to find candidate pairs, and the exact Jaccard similarity of each
 * candidate against the threshold. Of a near-duplicate pair the row later in the seeded order goes:
 * removed as a duplicate when the labels agree; when they conflict, quarantined (policy
 * {@code majority}: the earlier row stays) or both quarantined (policy {@code quarantine}).
 *
 * <p>Until 2026-12 this used MLlib's MinHashLSH self-join with one hash per table: unrelated short
 * texts share one MinHash value with probability about their (small but non-zero) similarity, so the
 * join produced a candidate for a fixed share of all row pairs, quadratic in the rows (43-65 s of a
 * 95 s prep of 15,000 texts). Bands of several values make such chance matches rare.
 */
public final class NearDeduper {
  private static final Logger LOG = LoggerFactory.getLogger(NearDeduper.class);
  static final int DIM = 1 << 20;

  private NearDeduper() {}

  /** The sorted, distinct hashed shingles of a text (the whole text if shorter than a shingle). */
  public static int[] shingles(String text, int size) {
    if (text.length() <= size) {
      return new int[] {Math.floorMod(murmur(text), DIM)};
    }
    int n = text.length() - size + 1;
    int[] out = new int[n];
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (utf8.length == text.length()) {
      // ASCII: a shingle's UTF-8 bytes are a slice of the text's, hashed in place (most texts; no copies)
      for (int i = 0; i < n; i++) {
        out[i] = Math.floorMod(org.apache.spark.unsafe.hash.Murmur3_x86_32.hashUnsafeBytes(
            utf8, org.apache.spark.unsafe.Platform.BYTE_ARRAY_OFFSET + i, size, 42), DIM);
      }
    } else {
      for (int i = 0; i < n; i++) {
        out[i] = Math.floorMod(murmur(text.substring(i, i + size)), DIM);
      }
    }
    return sortedDistinct(out);
  }

  private static int[] sortedDistinct(int[] xs) {
    Arrays.sort(xs);
    int w = 0;
    for (int i = 0; i < xs.length; i++) {
      if (w == 0 || xs[i] != xs[w - 1]) {
        xs[w++] = xs[i];
      }
    }
    return w == xs.length ? xs : Arrays.copyOf(xs, w);
  }

  private static int murmur(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return org.apache.spark.unsafe.hash.Murmur3_x86_32.hashUnsafeBytes(b, org.apache.spark.unsafe.Platform.BYTE_ARRAY_OFFSET,
        b.length, 42);
  }

  public static Dataset<Row> apply(Dataset<Row> deduped, PrepConfig.Dedupe config, long seed, Scratch scratch) {
    PrepConfig.Near near = config.near();
    if (near == null || !Arrays.asList(deduped.columns()).contains("text")) {
      return deduped;
    }
    Dataset<Row> kept = deduped.where(col(Cols.ACTION).equalTo(Deduper.KEEP))
        .select(col("id"), col(Cols.HASH1), col(Cols.KEY), col("label"), col("text"));
    MinHashBands bands = MinHashBands.forThreshold(near.threshold(), near.hashTables(), seed);
    Dataset<Row> pairs = pairs(kept, bands, near.threshold(), near.shingle(), scratch);
    LOG.info("near-dedupe: banded MinHash, {} bands of {} rows (a pair at Jaccard {} is found with probability {}),"
        + " {}-char shingles", bands.bands(), bands.rows(), near.threshold(),
        String.format(java.util.Locale.ROOT, "%.4f", bands.findProbability(near.threshold())), near.shingle());
    return decide(deduped, pairs, config);
  }

  /**
   * The near-duplicate pairs among {@code rows} (id, _h1, _key, label, text): a_* before b_* in the
   * seeded order, {@code _dist} = 1 - Jaccard. Only band keys are shuffled to find those shared by
   * more than one row; only the rows holding such a key travel with their shingles to be verified.
   */
  public static Dataset<Row> pairs(Dataset<Row> rows, MinHashBands bands, double threshold, int size, Scratch scratch) {
    UserDefinedFunction keys = udf((UDF1<String, long[]>) t -> bands.bandKeys(shingles(t == null ? "" : t, size)),
        DataTypes.createArrayType(DataTypes.LongType));
    Dataset<Row> keyed = scratch.materialize(rows.select(col("id"), col(Cols.HASH1), explode(keys.apply(col("text"))).as("_band")),
        "near_bands");
    Dataset<Row> shared = scratch.materialize(keyed.groupBy("_band").count().where(col("count").gt(1)).select("_band"),
        "near_shared");
    Dataset<Row> members = keyed.join(broadcast(shared), "_band");
    Dataset<Row> involved = rows.join(members.select("id", Cols.HASH1).distinct(), new String[] {"id", Cols.HASH1});
    UserDefinedFunction sh = udf((UDF1<String, int[]>) t -> shingles(t == null ? "" : t, size),
        DataTypes.createArrayType(DataTypes.IntegerType));
    Dataset<Row> withShingles = involved.select(col("id"), col(Cols.HASH1), col(Cols.KEY), col("label"),
        sh.apply(col("text")).as("_sh"));
    Dataset<Row> buckets = members.join(withShingles, new String[] {"id", Cols.HASH1})
        .groupBy("_band").agg(collect_list(struct(col("id"), col(Cols.HASH1), col(Cols.KEY), col("label"), col("_sh"))).as("_m"));
    StructType pairSchema = new StructType().add("a_id", DataTypes.StringType).add("a_h", DataTypes.LongType)
        .add("a_k", DataTypes.LongType).add("a_label", DataTypes.StringType).add("b_id", DataTypes.StringType)
        .add("b_h", DataTypes.LongType).add("b_k", DataTypes.LongType).add("b_label", DataTypes.StringType)
        .add("_dist", DataTypes.DoubleType);
    return buckets.flatMap((FlatMapFunction<Row, Row>) r -> {
      List<Row> ms = r.getList(1);
      List<MinHashBands.Member> bucket = new ArrayList<>(ms.size());
      for (Row m : ms) {
        List<Integer> s = m.getList(4);
        int[] arr = new int[s.size()];
        for (int i = 0; i < arr.length; i++) {
          arr[i] = s.get(i);
        }
        bucket.add(new MinHashBands.Member(m.getString(0), m.getLong(1), m.getLong(2), m.getString(3), arr));
      }
      List<Row> out = new ArrayList<>();
      for (MinHashBands.Pair p : MinHashBands.verifiedPairs(bucket, threshold)) {
        out.add(RowFactory.create(p.first().id(), p.first().hash(), p.first().key(), p.first().label(),
            p.second().id(), p.second().hash(), p.second().key(), p.second().label(), 1.0 - p.similarity()));
      }
      return out.iterator();
    }, Encoders.row(pairSchema)).dropDuplicates("a_id", "a_h", "b_id", "b_h");
  }

  /** Marks the later row of each pair: a removed duplicate, or quarantined when the labels conflict. */
  static Dataset<Row> decide(Dataset<Row> deduped, Dataset<Row> pairs, PrepConfig.Dedupe config) {
    Column conflict = col("a_label").notEqual(col("b_label"));
    Column similarity = format_number(lit(1.0).minus(col("_dist")), 3);
    Column reasonB = concat(lit("near-duplicate (Jaccard "), similarity, lit(") of '"), col("a_id"),
        lit("' whose label '"), col("a_label"), lit("' conflicts; policy " + config.conflicts()));
    Dataset<Row> later = pairs.select(col("b_id").as("_m_id"), col("b_h").as("_m_h"),
        when(conflict, lit(2)).otherwise(lit(1)).as("_severity"), when(conflict, reasonB).as("_m_reason"));
    Dataset<Row> marks = later;
    if (config.conflicts() == PrepConfig.ConflictPolicy.QUARANTINE) {
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
    return joined.withColumn(Cols.REASON, reason).withColumn(Cols.ACTION, action)
        .drop("_m_id", "_m_h", "_severity", "_m_reason");
  }
}
