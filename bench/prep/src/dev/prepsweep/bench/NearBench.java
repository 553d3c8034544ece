package dev.prepsweep.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.xxhash64;

import dev.prepsweep.etl.internal.NearDeduper;
import dev.prepsweep.etl.internal.Scratch;
import dev.prepsweep.etl.plan.MinHashBands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.ml.feature.MinHashLSH;
import org.apache.spark.ml.feature.MinHashLSHModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Near-dedupe candidate search, old against new in one JVM: MLlib's MinHashLSH self-join (the prep
 * job's method until 2026-12, one hash per table) and the banded MinHash ({@code NearDeduper.pairs}),
 * on the same generated short texts (about 5% near copies). Prints per-run seconds, medians, the
 * ratio, and whether both found the same pairs at the threshold.
 *
 * <p>args: rows... (e.g. 15000 60000); -Dbench.runs (default 3), -Dbench.old=false skips MLlib.
 */
public final class NearBench {
  public static void main(String[] args) throws Exception {
    int runs = Integer.getInteger("bench.runs", 3);
    boolean old = Boolean.parseBoolean(System.getProperty("bench.old", "true"));
    SparkSession spark = Sessions.local(Integer.getInteger("bench.cores", 2));
    Path dir = Files.createTempDirectory("near-bench");
    for (String a : args) {
      int n = Integer.parseInt(a);
      String path = dir.resolve("texts-" + n).toString();
      texts(spark, n).write().mode(SaveMode.Overwrite).parquet(path);
      Dataset<Row> rows = spark.read().parquet(path);
      double threshold = 0.8;
      List<Double> tNew = new ArrayList<>();
      List<Double> tOld = new ArrayList<>();
      Set<String> pNew = null;
      Set<String> pOld = null;
      for (int r = 0; r < runs; r++) {
        long t0 = System.nanoTime();
        try (Scratch scratch = new Scratch(spark, dir.toString(), "run" + r)) {
          pNew = collect(NearDeduper.pairs(rows, MinHashBands.forThreshold(threshold, 3, 42), threshold, 5, scratch));
        }
        tNew.add((System.nanoTime() - t0) / 1e9);
        if (old) {
          t0 = System.nanoTime();
          pOld = collect(mllib(rows, threshold, 5, 3, 42));
          tOld.add((System.nanoTime() - t0) / 1e9);
        }
        System.out.printf("rows %d run %d: banded %.1f s (%d pairs)%s%n", n, r, tNew.get(r), pNew.size(),
            old ? String.format(" mllib %.1f s (%d pairs)", tOld.get(r), pOld.size()) : "");
      }
      double mNew = median(tNew);
      System.out.printf("rows %d: banded median %.1f s%s%n", n, mNew, old
          ? String.format(", mllib median %.1f s, ratio %.1fx; pairs only banded %d, only mllib %d", median(tOld),
              median(tOld) / mNew, minus(pNew, pOld), minus(pOld, pNew)) : "");
    }
    spark.stop();
  }

  static long minus(Set<String> a, Set<String> b) {
    return a.stream().filter(x -> !b.contains(x)).count();
  }

  static double median(List<Double> xs) {
    double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static Set<String> collect(Dataset<Row> pairs) {
    Set<String> out = new HashSet<>();
    for (Row r : pairs.select("a_id", "b_id").collectAsList()) {
      String x = r.getString(0);
      String y = r.getString(1);
      out.add(x.compareTo(y) < 0 ? x + "|" + y : y + "|" + x);
    }
    return out;
  }

  /** Short texts of 6-20 words from a 5,000-word vocabulary; one in 20 a copy with a word changed. */
  static Dataset<Row> texts(SparkSession spark, int n) {
    SplittableRandom rnd = new SplittableRandom(n);
    String[] vocab = new String[5000];
    for (int i = 0; i < vocab.length; i++) {
      StringBuilder b = new StringBuilder();
      for (int k = 0; k < 3 + rnd.nextInt(6); k++) {
        b.append((char) ('a' + rnd.nextInt(26)));
      }
      vocab[i] = b.toString();
    }
    List<Row> rows = new ArrayList<>(n);
    List<String> made = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String text;
      if (i > 0 && rnd.nextInt(20) == 0) {
        String[] w = made.get(rnd.nextInt(made.size())).split(" ");
        w[rnd.nextInt(w.length)] = vocab[rnd.nextInt(vocab.length)];
        text = String.join(" ", w);
      } else {
        int len = 6 + rnd.nextInt(15);
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < len; k++) {
          // Zipf-like: common words are common, as in real short texts
          b.append(k == 0 ? "" : " ").append(vocab[(int) Math.min(vocab.length - 1, Math.abs(rnd.nextGaussian()) * 600)]);
        }
        text = b.toString();
      }
      made.add(text);
      rows.add(RowFactory.create("r" + i, i % 3 == 0 ? "spam" : "ham", text));
    }
    StructType schema = new StructType().add("id", DataTypes.StringType).add("label", DataTypes.StringType)
        .add("text", DataTypes.StringType);
    return spark.createDataFrame(rows, schema).withColumn("_h1", xxhash64(col("text")))
        .withColumn("_key", xxhash64(lit(42L), col("id")).bitwiseAND(lit(Long.MAX_VALUE)));
  }

  /** The old method (NearDeduper before 2026-12), kept here for comparison only. */
  static Dataset<Row> mllib(Dataset<Row> kept, double threshold, int size, int tables, long seed) {
    UserDefinedFunction vec = udf((UDF1<String, Vector>) t -> {
      int[] idx = NearDeduper.shingles(t == null ? "" : t, size);
      double[] ones = new double[idx.length];
      Arrays.fill(ones, 1.0);
      return Vectors.sparse(1 << 20, idx, ones);
    }, SQLDataTypes.VectorType());
    Dataset<Row> v = kept.select(col("id"), col("_h1"), col("_key"), col("label"), vec.apply(col("text")).as("_shingles"));
    MinHashLSHModel model = new MinHashLSH().setNumHashTables(tables).setSeed(seed)
        .setInputCol("_shingles").setOutputCol("_mh").fit(v);
    return model.approxSimilarityJoin(v, v, 1.0 - threshold + 1e-12, "_dist")
        .select(col("datasetA.id").as("a_id"), col("datasetB.id").as("b_id"))
        .where(col("a_id").lt(col("b_id")));
  }
}
