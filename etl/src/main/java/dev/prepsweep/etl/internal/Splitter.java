package dev.prepsweep.etl.internal;

import dev.prepsweep.tables.DeltaIO;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.etl.PrepErrors;
import dev.prepsweep.etl.plan.SplitPlanner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the train/val/test tables from the clean table with the {@link SplitPlanner}'s exact plan:
 * a seeded key per row (or per group with {@code by_group}), bucket weights to the driver, the plan,
 * and the {@link RankRunner} applying it.
 */
public final class Splitter {
  private static final Logger LOG = LoggerFactory.getLogger(Splitter.class);
  static final String CODE = "_code";
  /** The scratch partition column: a copy of {@code split}, which the files then keep. */
  private static final String PART = "_split_part";

  private Splitter() {}

  /** @param classCounts split to label to rows, as written */
  public record Result(Map<String, Map<String, Long>> classCounts) {}

  /** The split tables' columns, in order; the trainer depends on these names and types. */
  public static Column[] splitColumns(PrepConfig config, boolean withFold) {
    List<Column> out = new ArrayList<>(List.of(col("id"), col("label"), col("label_index"), col("text"), col("split")));
    if (config.regression()) {
      out.add(3, col("target"));
    }
    if (config.columns().group() != null) {
      out.add(col("group"));
    }
    if (config.hasFeatures()) {
      out.add(col("features"));
    }
    if (config.columns().image() != null) {
      out.add(col("image"));
    }
    if (withFold) {
      out.add(col("fold"));
    }
    return out.toArray(Column[]::new);
  }

  /**
   * Split rows say where they came from, like every table derived from train: {@code source_id} (the
   * row's own id) and {@code op = 'original'}. Augmented and balanced tables add rows with other ops,
   * and a balance that only adds rows can then reuse train's files as they are. (val and test carry
   * the same columns: the three tables are written by one pass, with one schema.)
   */
  static Dataset<Row> withOriginLineage(Dataset<Row> rows) {
    return rows.withColumn(Cols.SOURCE_ID, col("id")).withColumn(Cols.OP, lit(Cols.OP_ORIGINAL));
  }

  public static Result apply(SparkSession spark, Dataset<Row> clean, PrepConfig config, List<String> labels,
      long seed, String warehouse, Map<String, TableVersion> tables, Scratch scratch) {
    PrepConfig.Split s = config.split();
    double[] ratios = {s.train(), s.val(), s.test()};
    int bits = RankRunner.DEFAULT_BITS;
    Dataset<Row> assigned;
    SplitPlanner.SplitPlan plan;
    if (s.byGroup()) {
      Dataset<Row> groups = clean.groupBy(col("group"), stratum(config, labels).as("label")).agg(count(lit(1)).as("_n"))
          .groupBy("group").agg(sum("_n").as("_w"), max(struct(col("_n"), col("label"))).getField("label").as("_glabel"))
          .withColumn(Cols.KEY, xxhash64(lit(seed), col("group")).bitwiseAND(lit(Long.MAX_VALUE)));
      Column stratum = s.stratify() ? col("_glabel") : lit("*");
      Map<String, long[]> weights = RankRunner.bucketWeights(groups, stratum, Cols.KEY, col("_w"), bits);
      plan = SplitPlanner.plan(weights, bits, ratios, s.folds());
      Dataset<Row> groupCodes = RankRunner.assign(groups, stratum, Cols.KEY, "group", col("_w"), plan.rank(), CODE)
          .select(col("group"), col(CODE));
      long nGroups = weights.values().stream().mapToLong(w -> java.util.Arrays.stream(w).filter(x -> x > 0).count()).sum();
      assigned = clean.join(nGroups < 200_000 ? broadcast(groupCodes) : groupCodes, "group");
    } else {
      Dataset<Row> keyed = clean.withColumn(Cols.KEY,
          xxhash64(lit(seed), col("id"), col("label"), col("text")).bitwiseAND(lit(Long.MAX_VALUE)));
      Column stratum = s.stratify() ? stratum(config, labels) : lit("*");
      Map<String, long[]> weights = RankRunner.bucketWeights(keyed, stratum, Cols.KEY, null, bits);
      Map<String, Long> small = SplitPlanner.tooSmall(RankRunner.totals(weights), ratios, s.minPerSplit());
      if (!small.isEmpty()) {
        throw PrepErrors.classesTooSmall(small, s.minPerSplit(), SplitPlanner.nonEmptySplits(ratios));
      }
      plan = SplitPlanner.plan(weights, bits, ratios, s.folds(), s.minPerSplit());
      LOG.info("split plan: {} straddling buckets of {} strata", plan.rank().straddlingBuckets(weights), weights.size());
      assigned = RankRunner.assign(keyed, stratum, Cols.KEY, "id", null, plan.rank(), CODE);
    }
    Column splitName = element_at(array(lit("train"), lit("val"), lit("test")),
        col(CODE).divide(lit(1024)).cast("int").plus(1));
    assigned = assigned.withColumn("split", splitName)
        .withColumn("fold", col(CODE).mod(lit(1024)).minus(1).cast("int"));
    // One pass assigns every row and writes it, partitioned by split, as scratch Parquet with the
    // split tables' columns; each partition's files then become its table's version as they are.
    Dataset<Row> tableRows = withOriginLineage(assigned.select(splitColumns(config, s.folds() > 1)));
    StructType tableSchema = tableRows.schema();
    long t0 = System.nanoTime();
    Dataset<Row> done = scratch.materialize(tableRows.withColumn(PART, col("split")), "split", PART);
    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    for (String name : SplitPlanner.SPLITS) {
      Map<String, Long> perLabel = new TreeMap<>();
      labels.forEach(l -> perLabel.put(l, 0L));
      counts.put(name, perLabel);
    }
    long t1 = System.nanoTime();
    // the rows written, per split and class (reads only the label and the partition folder names);
    // checked against the plan below
    for (Row r : done.groupBy(col("split"), stratum(config, labels)).count().collectAsList()) {
      counts.get(r.getString(0)).put(r.getString(1), r.getLong(2));
    }
    long t2 = System.nanoTime();
    Map<String, Path> files = new LinkedHashMap<>();
    for (String name : SplitPlanner.SPLITS) {
      files.put(name, new Path(scratch.location("split"), PART + "=" + name));
    }
    // the three tables' commits run side by side (each is a few small log reads and writes)
    Map<String, DeltaIO.Written> written = DeltaIO.overwriteEachWithFiles(spark, files, tableSchema, warehouse,
        Map.of(DeltaIO.LABELS, labels));
    for (String name : SplitPlanner.SPLITS) {
      DeltaIO.Written w = written.get(name);
      tables.put(name, w.table());
      long expected = counts.get(name).values().stream().mapToLong(Long::longValue).sum();
      if (w.rows() != expected) {
        throw PrepErrors.splitMismatch("(all)", name, expected, w.rows());
      }
    }
    LOG.debug("TIMING split: scratch write {} ms, count job {} ms, three tables {} ms", (t1 - t0) / 1_000_000,
        (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
    if (!s.byGroup()) {
      verify(plan, counts, s.stratify());
    }
    LOG.info("split counts {}", counts);
    return new Result(counts);
  }

  /**
   * A row's stratum, which the split keeps in proportion: its label, or under {@code task: regression} its label's
   * quantile bin ({@code label_index}, named by {@code labels}, the bins' names).
   */
  static Column stratum(PrepConfig config, List<String> labels) {
    return config.regression()
        ? element_at(array(labels.stream().map(l -> lit(l)).toArray(Column[]::new)), col("label_index").plus(1))
        : col("label");
  }

  /** Fails loudly if a written split does not hold exactly the planned rows per stratum. */
  private static void verify(SplitPlanner.SplitPlan plan, Map<String, Map<String, Long>> counts, boolean stratified) {
    for (int i = 0; i < SplitPlanner.SPLITS.size(); i++) {
      String split = SplitPlanner.SPLITS.get(i);
      for (Map.Entry<String, long[]> e : plan.targets().entrySet()) {
        long actual = stratified ? counts.get(split).getOrDefault(e.getKey(), 0L)
            : counts.get(split).values().stream().mapToLong(Long::longValue).sum();
        if (actual != e.getValue()[i]) {
          throw PrepErrors.splitMismatch(e.getKey(), split, e.getValue()[i], actual);
        }
      }
    }
  }
}
