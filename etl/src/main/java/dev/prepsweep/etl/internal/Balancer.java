package dev.prepsweep.etl.internal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.etl.plan.BalancePlanner;
import dev.prepsweep.etl.plan.SmoteKernel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Balances the train split to the {@link BalancePlanner}'s exact per-class targets: random under- and
 * over-sampling by seeded rank, or SMOTE with neighbours searched inside cells of about
 * {@link #CELL_SIZE} same-class rows (random-projection median cuts; one cell, i.e. exact search, for
 * classes up to that size). Output: the input columns plus {@code source_id} and {@code op}
 * ({@code original}, {@code oversample}, {@code smote}).
 */
public final class Balancer {
  private static final Logger LOG = LoggerFactory.getLogger(Balancer.class);
  public static final int CELL_SIZE = 1024;
  static final int MAX_CUTS = 16;
  static final int MAX_GROUP = 4 * CELL_SIZE;
  static final int MEDIAN_SAMPLE = 16_384;
  private static final String YIELD = "_yield";

  private Balancer() {}

  /**
   * The plan's classes (for lineage) and the balanced rows.
   *
   * @param addedOnly when true, {@code rows} holds only the added (synthetic) rows, in the input's
   *     schema: every input row is kept exactly once, so the balanced table is the input table's files
   *     plus these rows
   */
  public record Result(Map<String, BalancePlanner.ClassPlan> classes, Dataset<Row> rows, boolean addedOnly) {}

  public static Result apply(Dataset<Row> train, PrepConfig.Balance config, long seed, Scratch scratch) {
    return apply(train, null, config, seed, scratch, true);
  }

  /**
   * @param knownCounts the input's rows per label when already known exactly (the split's), or null
   * @param addOnlyAllowed false forces the path that rewrites every row (tests compare the two)
   */
  static Result apply(Dataset<Row> train, Map<String, Long> knownCounts, PrepConfig.Balance config, long seed,
      Scratch scratch, boolean addOnlyAllowed) {
    Column key = xxhash64(lit(seed), lit("balance"), col("id"), col("text")).bitwiseAND(lit(Long.MAX_VALUE));
    boolean lineage = java.util.Arrays.asList(train.columns()).contains(Cols.SOURCE_ID);
    if (addOnlyAllowed && lineage && config.method() == PrepConfig.BalanceMethod.SMOTE) {
      Map<String, Long> counts = knownCounts != null ? knownCounts : classCounts(train);
      Map<String, Long> targets = BalancePlanner.targets(counts, config);
      if (counts.entrySet().stream().allMatch(e -> targets.get(e.getKey()) >= e.getValue())) {
        return smoteAdditions(train, counts, targets, config.k(), seed, key, scratch);
      }
    }
    int bits = RankRunner.DEFAULT_BITS;
    Dataset<Row> keyed = train.withColumn(Cols.KEY, key);
    Map<String, long[]> weights = RankRunner.bucketWeights(keyed, col("label"), Cols.KEY, null, bits);
    BalancePlanner.BalancePlan plan = BalancePlanner.plan(weights, bits, config);
    LOG.info("balance plan {}", plan.classes().values());
    Dataset<Row> yields = RankRunner.assign(keyed, col("label"), Cols.KEY, "id", null, plan.yields(), YIELD);
    if (config.method() == PrepConfig.BalanceMethod.SMOTE) {
      yields = scratch.materialize(yields, "yields");
    }
    String[] cols = Cols.withoutLineage(train.columns());
    Column[] out = new Column[cols.length + 2];
    for (int i = 0; i < cols.length; i++) {
      out[i] = col("`" + cols[i] + "`");
    }
    // rows of an augmented table keep their own lineage when they pass through unchanged
    Column keptSource = lineage ? col(Cols.SOURCE_ID) : col("id");
    Column keptOp = lineage ? col(Cols.OP) : lit(Cols.OP_ORIGINAL);
    Dataset<Row> result;
    if (config.method() == PrepConfig.BalanceMethod.RANDOM) {
      Dataset<Row> copies = yields.where(col(YIELD).gt(0))
          .withColumn("_copy", explode(sequence(lit(0), col(YIELD).minus(1))))
          .withColumn(Cols.SOURCE_ID, when(col("_copy").equalTo(0), keptSource).otherwise(col("id")))
          .withColumn(Cols.OP, when(col("_copy").equalTo(0), keptOp).otherwise(lit("oversample")))
          .withColumn("id", when(col("_copy").equalTo(0), col("id"))
              .otherwise(concat(col("id"), lit("#os"), col("_copy").cast("string"))));
      out[cols.length] = col(Cols.SOURCE_ID);
      out[cols.length + 1] = col(Cols.OP);
      result = copies.select(out);
    } else {
      out[cols.length] = keptSource.as(Cols.SOURCE_ID);
      out[cols.length + 1] = keptOp.as(Cols.OP);
      Dataset<Row> originals = yields.where(col(YIELD).gt(0)).select(out);
      List<String> smoteLabels = new ArrayList<>();
      plan.classes().values().stream().filter(c -> c.action().equals("smote")).forEach(c -> smoteLabels.add(c.label()));
      if (smoteLabels.isEmpty()) {
        result = originals;
      } else {
        Dataset<Row> grown = yields.where(col("label").isin(smoteLabels.toArray()));
        Dataset<Row> synthetic = smote(grown, grown, plan, config.k(), seed, originals.schema());
        result = originals.unionByName(synthetic);
      }
    }
    return new Result(plan.classes(), result, false);
  }

  /**
   * SMOTE that only adds rows (every class at or above its count): only the rows of the classes to
   * grow are read, without their text, and the result is just the synthetic rows. They are the same
   * rows the rewriting path makes (same keys, plan and cells).
   */
  private static Result smoteAdditions(Dataset<Row> train, Map<String, Long> counts, Map<String, Long> targets, int k,
      long seed, Column key, Scratch scratch) {
    List<String> grow = new ArrayList<>();
    counts.forEach((label, n) -> {
      if (targets.get(label) > n) {
        grow.add(label);
      }
    });
    Map<String, BalancePlanner.ClassPlan> classes = new LinkedHashMap<>();
    counts.forEach((label, n) -> classes.put(label, new BalancePlanner.ClassPlan(label, n, n, "keep")));
    if (grow.isEmpty()) {
      return new Result(classes, train.limit(0), true);
    }
    int bits = RankRunner.DEFAULT_BITS;
    Dataset<Row> rows = scratch.materialize(train.where(col("label").isin(grow.toArray())).withColumn(Cols.KEY, key)
        .drop("text", "image"), "smote_in");
    Map<String, long[]> weights = RankRunner.bucketWeights(rows, col("label"), Cols.KEY, null, bits);
    BalancePlanner.BalancePlan plan = BalancePlanner.plan(weights, bits, targets, PrepConfig.BalanceMethod.SMOTE);
    classes.putAll(plan.classes());
    LOG.info("balance plan {} (input rows kept as they are)", classes.values());
    Dataset<Row> yields = RankRunner.assign(rows, col("label"), Cols.KEY, "id", null, plan.yields(), YIELD);
    return new Result(classes, smote(yields, rows, plan, k, seed, train.schema()), true);
  }

  /** Rows per label; reads only the label column. */
  private static Map<String, Long> classCounts(Dataset<Row> train) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    for (Row r : train.groupBy("label").count().collectAsList()) {
      counts.put(r.getString(0), r.getLong(1));
    }
    return counts;
  }

  /**
   * Synthetic rows for the SMOTE classes; {@code rows} carries every row of those classes with its
   * yield, {@code measured} the same rows (without the yield is fine) in a form cheap to read again:
   * the feature count and the cell cuts come from it.
   */
  static Dataset<Row> smote(Dataset<Row> rows, Dataset<Row> measured, BalancePlanner.BalancePlan plan, int k, long seed,
      StructType outSchema) {
    int dims = measured.select(org.apache.spark.sql.functions.size(col("features"))).first().getInt(0);
    double[][] dirs = directions(dims, MAX_CUTS, seed);
    Map<String, Integer> cutsByLabel = new LinkedHashMap<>();
    int cells = 0;
    for (BalancePlanner.ClassPlan c : plan.classes().values()) {
      if (c.action().equals("smote")) {
        int d = BalancePlanner.cuts(c.count(), CELL_SIZE, MAX_CUTS);
        cutsByLabel.put(c.label(), d);
        cells += 1 << d;
      }
    }
    UserDefinedFunction project = udf((UDF1<scala.collection.Seq<Double>, double[]>) f -> {
      double[] p = new double[dirs.length];
      for (int j = 0; j < dirs.length; j++) {
        double s = 0;
        for (int t = 0; t < dims; t++) {
          Double v = f.apply(t);
          s += (v == null ? 0 : v) * dirs[j][t];
        }
        p[j] = s;
      }
      return p;
    }, DataTypes.createArrayType(DataTypes.DoubleType));
    int maxCuts = cutsByLabel.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    Dataset<Row> projected = rows.withColumn("_proj", project.apply(col("features")));
    Map<String, double[]> medians = new LinkedHashMap<>();
    if (maxCuts > 0) {
      Column[] aggs = new Column[maxCuts];
      for (int j = 0; j < maxCuts; j++) {
        aggs[j] = percentile_approx(col("_proj").getItem(j), lit(0.5), lit(1000)).as("m" + j);
      }
      // medians from a seeded sample of about MEDIAN_SAMPLE rows per class (by the row's random
      // key): they only place the cuts, and a sample places them within a percent or so
      Column sampled = lit(false);
      for (BalancePlanner.ClassPlan c : plan.classes().values()) {
        if (cutsByLabel.getOrDefault(c.label(), 0) > 0) {
          double fraction = Math.min(1.0, (double) MEDIAN_SAMPLE / c.count());
          sampled = sampled.or(col("label").equalTo(c.label())
              .and(col(Cols.KEY).leq(lit((long) (fraction * Long.MAX_VALUE)))));
        }
      }
      Dataset<Row> sample = measured.where(sampled).withColumn("_proj", project.apply(col("features")));
      for (Row r : sample.groupBy("label").agg(aggs[0], java.util.Arrays.copyOfRange(aggs, 1, aggs.length)).collectAsList()) {
        double[] m = new double[maxCuts];
        for (int j = 0; j < maxCuts; j++) {
          m[j] = r.getDouble(1 + j);
        }
        medians.put(r.getString(0), m);
      }
    }
    Map<String, Integer> cuts = Map.copyOf(cutsByLabel);
    Map<String, double[]> med = Map.copyOf(medians);
    UserDefinedFunction cellOf = udf((UDF2<String, scala.collection.Seq<Double>, Integer>) (label, p) -> {
      int d = cuts.getOrDefault(label, 0);
      double[] m = med.get(label);
      int cell = 0;
      for (int j = 0; j < d; j++) {
        if (p.apply(j) > m[j]) {
          cell |= 1 << j;
        }
      }
      return cell;
    }, DataTypes.IntegerType);
    // synthetic rows carry no text or image (SMOTE interpolates features only): do not shuffle them
    Dataset<Row> celled = projected.withColumn("_cell", cellOf.apply(col("label"), col("_proj")))
        .drop("_proj", "text", "image");
    int partitions = Math.max(1, Math.min(cells, shufflePartitions(rows.sparkSession()) * 4));
    LOG.info("SMOTE: {} cells over {} partitions, cuts per label {}", cells, partitions, cutsByLabel);
    Dataset<Row> sorted = celled.repartition(partitions, col("label"), col("_cell"))
        .sortWithinPartitions("label", "_cell", Cols.KEY, "id");
    StructType in = sorted.schema();
    CellSynthesizer fn = new CellSynthesizer(in, outSchema, k, seed);
    return sorted.mapPartitions(fn, Encoders.row(outSchema));
  }

  /** Seeded Gaussian directions for the projections. */
  static double[][] directions(int dims, int count, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5EEDL);
    double[][] d = new double[count][dims];
    for (int j = 0; j < count; j++) {
      for (int t = 0; t < dims; t++) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        d[j][t] = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
      }
    }
    return d;
  }

  /** Runs {@link SmoteKernel} over each (label, cell) run of a sorted partition. */
  static final class CellSynthesizer implements MapPartitionsFunction<Row, Row>, Serializable {
    private final int iLabel;
    private final int iCell;
    private final int iId;
    private final int iFeatures;
    private final int iYield;
    private final int[] copyFrom;
    private final int outWidth;
    private final int oId;
    private final int oFeatures;
    private final int oSource;
    private final int oOp;
    private final int oText;
    private final int k;
    private final long seed;

    CellSynthesizer(StructType in, StructType out, int k, long seed) {
      this.iLabel = in.fieldIndex("label");
      this.iCell = in.fieldIndex("_cell");
      this.iId = in.fieldIndex("id");
      this.iFeatures = in.fieldIndex("features");
      this.iYield = in.fieldIndex(YIELD);
      this.outWidth = out.size();
      this.copyFrom = new int[out.size()];
      for (int i = 0; i < out.size(); i++) {
        String n = out.fields()[i].name();
        copyFrom[i] = java.util.Arrays.asList(in.fieldNames()).contains(n) ? in.fieldIndex(n) : -1;
      }
      this.oId = out.fieldIndex("id");
      this.oFeatures = out.fieldIndex("features");
      this.oSource = out.fieldIndex(Cols.SOURCE_ID);
      this.oOp = out.fieldIndex(Cols.OP);
      this.oText = java.util.Arrays.asList(out.fieldNames()).contains("text") ? out.fieldIndex("text") : -1;
      this.k = k;
      this.seed = seed;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      // Cells are processed one at a time; the output of one cell is buffered.
      return new Iterator<>() {
        private Iterator<Row> pending = java.util.Collections.emptyIterator();
        private Row next = rows.hasNext() ? rows.next() : null;

        @Override
        public boolean hasNext() {
          while (!pending.hasNext() && next != null) {
            List<Row> group = new ArrayList<>();
            String l = next.getString(iLabel);
            int c = next.getInt(iCell);
            // a cell larger than MAX_GROUP (projections are not independent beyond the feature
            // count) is cut into runs of consecutive rows in key order, which bounds the search cost
            while (next != null && next.getString(iLabel).equals(l) && next.getInt(iCell) == c
                && group.size() < MAX_GROUP) {
              group.add(next);
              next = rows.hasNext() ? rows.next() : null;
            }
            pending = synthesize(group).iterator();
          }
          return pending.hasNext();
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          return pending.next();
        }
      };
    }

    private List<Row> synthesize(List<Row> group) {
      int m = group.size();
      double[][] x = new double[m][];
      String[] ids = new String[m];
      int[] synth = new int[m];
      for (int i = 0; i < m; i++) {
        Row r = group.get(i);
        List<Double> f = r.getList(iFeatures);
        double[] v = new double[f.size()];
        for (int t = 0; t < v.length; t++) {
          Double d = f.get(t);
          v[t] = d == null ? 0 : d;
        }
        x[i] = v;
        ids[i] = r.getString(iId);
        synth[i] = Math.max(0, r.getInt(iYield) - 1);
      }
      List<Row> out = new ArrayList<>();
      SmoteKernel.synthesize(x, ids, synth, k, seed, (source, copy, features) -> {
        Row base = group.get(source);
        Object[] values = new Object[outWidth];
        for (int i = 0; i < outWidth; i++) {
          values[i] = copyFrom[i] >= 0 ? base.get(copyFrom[i]) : null;
        }
        Double[] boxed = new Double[features.length];
        for (int t = 0; t < boxed.length; t++) {
          boxed[t] = features[t];
        }
        values[oId] = ids[source] + "#smote" + copy;
        if (oText >= 0) {
          values[oText] = ""; // SMOTE interpolates features only: a synthetic row has no text
        }
        values[oFeatures] = boxed;
        values[oSource] = ids[source];
        values[oOp] = "smote";
        out.add(RowFactory.create(values));
      });
      return out;
    }
  }

  /** {@code spark.sql.shuffle.partitions} through the public runtime configuration. */
  private static int shufflePartitions(SparkSession spark) {
    return Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
  }
}
