package dev.prepsweep.etl.internal;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.etl.PrepErrors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The id rule: among the rows that survived de-duplication ({@link Deduper#KEEP}), an id held by
 * more than one row is a defect, applied before the split so that no id can reach two splits.
 * Policies: {@code quarantine} marks every copy {@link Deduper#ID_DUPLICATE} (rule
 * {@code id.duplicate}); {@code keep_first} keeps the first copy in input order ({@link Cols#ORDER})
 * and marks the others; {@code fail} stops the run naming examples.
 *
 * <p>Identical records (same id, same content) are exact duplicates first: the exact dedupe removes
 * all but one, which then holds its id alone. Only the seeded id hash ({@link Cols#KEY}) is shuffled
 * to find repeated ids; that small set is broadcast, and only the rows inside it are ranked.
 */
public final class IdDuplicates {
  private static final int EXAMPLES = 5;

  private IdDuplicates() {}

  /**
   * @param deduped every valid row with its {@link Cols#ACTION}
   * @return the same rows, ids held by more than one kept row marked under the policy
   * @throws dev.prepsweep.etl.PrepException under policy {@code fail} when an id repeats
   */
  public static Dataset<Row> apply(Dataset<Row> deduped, PrepConfig.Ids config, Scratch scratch) {
    Column kept = col(Cols.ACTION).equalTo(Deduper.KEEP);
    Dataset<Row> repeated = scratch.materialize(deduped.where(kept).groupBy(Cols.KEY).agg(count(lit(1)).as("_n"))
        .where(col("_n").gt(1)).select(col(Cols.KEY), lit(true).as("_id_rep")), "repeated_ids");
    if (repeated.isEmpty()) {
      return deduped;
    }
    Dataset<Row> marked = deduped.join(broadcast(repeated), new String[] {Cols.KEY}, "left");
    Column candidate = col("_id_rep").isNotNull().and(kept);
    Dataset<Row> untouched = marked.where(candidate.equalTo(false).or(candidate.isNull())).drop("_id_rep");
    // keys are hashes: rows in the candidate set whose own id is unique stay kept
    WindowSpec byId = Window.partitionBy("id");
    boolean ordered = Arrays.asList(deduped.columns()).contains(Cols.ORDER);
    WindowSpec inOrder = byId.orderBy(ordered ? new Column[] {col(Cols.ORDER), col(Cols.HASH1)}
        : new Column[] {col(Cols.HASH1), col(Cols.HASH2)});
    Dataset<Row> ranked = marked.where(candidate).drop("_id_rep")
        .withColumn("_id_n", count(lit(1)).over(byId))
        .withColumn("_id_rn", row_number().over(inOrder));
    Column repeatedId = col("_id_n").gt(1);
    if (config.duplicates() == PrepConfig.IdDuplicates.FAIL) {
      List<String> examples = new ArrayList<>();
      List<Row> rows = ranked.where(repeatedId.and(col("_id_rn").equalTo(1))).select("id", "_id_n")
          .orderBy("id").limit(EXAMPLES).collectAsList();
      if (!rows.isEmpty()) {
        long ids = ranked.where(repeatedId.and(col("_id_rn").equalTo(1))).count();
        rows.forEach(r -> examples.add("'" + r.getString(0) + "' (" + r.getLong(1) + " records)"));
        throw PrepErrors.duplicateIds(ids, examples);
      }
      return deduped;
    }
    Column marks = config.duplicates() == PrepConfig.IdDuplicates.KEEP_FIRST ? repeatedId.and(col("_id_rn").gt(1)) : repeatedId;
    Column reason = concat(lit("id '"), col("id"), lit("' is held by "), col("_id_n").cast("string"),
        lit(" records; ids.duplicates: " + config.duplicates()
            + (config.duplicates() == PrepConfig.IdDuplicates.KEEP_FIRST ? " (an earlier record keeps it)" : "")));
    Dataset<Row> decided = ranked
        .withColumn(Cols.REASON, when(marks, reason).otherwise(col(Cols.REASON)))
        .withColumn(Cols.ACTION, when(marks, lit(Deduper.ID_DUPLICATE)).otherwise(col(Cols.ACTION)))
        .drop("_id_n", "_id_rn");
    return untouched.unionByName(scratch.materialize(decided, "id_decided"));
  }
}
