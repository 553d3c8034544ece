package dev.prepsweep.etl.internal;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.prepsweep.etl.PrepConfig;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Exact de-duplication by content hash. Adds {@link Cols#ACTION}: {@code keep} (the representative
 * copy: lowest seeded key), {@code dup} (a removed copy) or {@code quarantine} (a copy whose label
 * conflicts under the policy), and a reason for quarantined rows.
 *
 * <p>Only the hashes are shuffled to find the content that occurs more than once; that (small) set
 * of hashes is broadcast, rows outside it are kept without moving, and only the rows inside it are
 * shuffled and ranked.
 *
 * <p>Policies when copies disagree on the label: {@code majority} keeps one copy of the label held
 * by most copies (ties: all quarantined) and quarantines the copies with other labels;
 * {@code quarantine} quarantines every copy.
 */
public final class Deduper {
  public static final String KEEP = "keep";
  public static final String DUP = "dup";
  public static final String QUARANTINE = "quarantine";
  /** A kept row whose id another kept row holds too ({@link IdDuplicates}). */
  public static final String ID_DUPLICATE = "id_duplicate";

  private Deduper() {}

  /** The rows split into those with unique content (all kept) and the copies with their action. */
  public record Result(Dataset<Row> unique, Dataset<Row> copies) {
    public Dataset<Row> all() {
      return unique.unionByName(copies);
    }
  }

  /**
   * @param scratch holds the (small) set of repeated hashes so that each later use of the result does
   *     not aggregate the input again
   */
  public static Result exact(Dataset<Row> valid, PrepConfig.Dedupe config, Scratch scratch) {
    if (!config.exact()) {
      Dataset<Row> all = valid.withColumn(Cols.ACTION, lit(KEEP)).withColumn(Cols.REASON, lit(null).cast("string"));
      return new Result(all, all.limit(0));
    }
    Dataset<Row> repeated = valid.groupBy(Cols.HASH1, Cols.HASH2).agg(count(lit(1)).as("_n"))
        .where(col("_n").gt(1)).select(col(Cols.HASH1), col(Cols.HASH2), lit(true).as("_repeated"));
    repeated = scratch.materialize(repeated, "repeated");
    Dataset<Row> marked = valid.join(broadcast(repeated), new String[] {Cols.HASH1, Cols.HASH2}, "left");
    Dataset<Row> unique = marked.where(col("_repeated").isNull()).drop("_repeated")
        .withColumn(Cols.ACTION, lit(KEEP)).withColumn(Cols.REASON, lit(null).cast("string"));
    Dataset<Row> copies = decide(marked.where(col("_repeated")).drop("_repeated"), config);
    return new Result(unique, copies);
  }

  /** Window logic over rows whose content occurs more than once. */
  static Dataset<Row> decide(Dataset<Row> rows, PrepConfig.Dedupe config) {
    WindowSpec all = Window.partitionBy(Cols.HASH1, Cols.HASH2);
    WindowSpec byLabel = Window.partitionBy(Cols.HASH1, Cols.HASH2, "label");
    // equal keys (the same id): the earlier record in the input represents the content
    WindowSpec ordered = java.util.Arrays.asList(rows.columns()).contains(Cols.ORDER)
        ? byLabel.orderBy(Cols.KEY, "id", Cols.ORDER) : byLabel.orderBy(Cols.KEY, "id");
    Dataset<Row> w = rows
        .withColumn("_n_all", count(lit(1)).over(all))
        .withColumn("_n_lab", count(lit(1)).over(byLabel))
        .withColumn("_rn", row_number().over(ordered));
    w = w.withColumn("_max_lab", max("_n_lab").over(all))
        .withColumn("_labels", when(col("_n_all").gt(col("_n_lab")),
            array_join(array_sort(collect_set("label").over(all)), ", ")));
    w = w.withColumn("_n_top", sum(when(col("_rn").equalTo(1).and(col("_n_lab").equalTo(col("_max_lab"))), 1)
        .otherwise(0)).over(all));
    Column noConflict = col("_n_all").equalTo(col("_n_lab"));
    Column representative = col("_rn").equalTo(1);
    Column action;
    if (config.conflicts() == PrepConfig.ConflictPolicy.MAJORITY) {
      Column majority = col("_n_top").equalTo(1).and(col("_n_lab").equalTo(col("_max_lab")));
      action = when(noConflict.or(majority), when(representative, lit(KEEP)).otherwise(lit(DUP)))
          .otherwise(lit(QUARANTINE));
    } else {
      action = when(noConflict, when(representative, lit(KEEP)).otherwise(lit(DUP))).otherwise(lit(QUARANTINE));
    }
    Column reason = when(action.equalTo(QUARANTINE), concat(
        lit("identical content has conflicting labels ["), col("_labels"), lit("]; policy "),
        lit(config.conflicts().toString())));
    return w.withColumn(Cols.REASON, reason).withColumn(Cols.ACTION, action)
        .drop("_n_all", "_n_lab", "_rn", "_max_lab", "_labels", "_n_top");
  }
}
