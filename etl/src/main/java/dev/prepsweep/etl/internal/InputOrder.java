package dev.prepsweep.etl.internal;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.struct;

import org.apache.spark.sql.Column;

/**
 * A record's position in the input, {@link Cols#ORDER}: (file path, start of the file split, row
 * counter). Spark reads each file split in order and numbers rows upwards within a task, so sorting
 * by the three orders records as they stand in the files (files by path). It is what
 * {@code ids.duplicates: keep_first} calls "first"; evaluated once, in the pass that writes the
 * staged rows, so later stages see fixed values.
 */
public final class InputOrder {
  private InputOrder() {}

  /** The input with {@link Cols#ORDER} added; the Validator carries it to the staged rows. */
  public static RawInput tag(RawInput raw) {
    return new RawInput(raw.df().withColumn(Cols.ORDER, column()), raw.source(), raw.location(), raw.version());
  }

  /** The order column for rows read straight from a file scan (empty path for other sources). */
  public static Column column() {
    return struct(input_file_name().as("file"), expr("input_file_block_start()").as("offset"),
        monotonically_increasing_id().as("row"));
  }
}
