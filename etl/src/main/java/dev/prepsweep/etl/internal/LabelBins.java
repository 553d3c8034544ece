package dev.prepsweep.etl.internal;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.prepsweep.etl.plan.QuantileBins;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Applies {@link QuantileBins} to a regression label: its exact quantiles, and each row's bin as a column. */
public final class LabelBins {
  private LabelBins() {}

  /** {@code bins} equal-frequency bins of the {@code target} column (exact quantiles: relative error 0). */
  public static QuantileBins of(Dataset<Row> rows, int bins) {
    return QuantileBins.fromQuantiles(rows.stat().approxQuantile("target", QuantileBins.probabilities(bins), 0.0));
  }

  /** The bin of {@code value} as {@link QuantileBins#bin} computes it: how many cut points are {@code <=} it. */
  public static Column binOf(QuantileBins bins, Column value) {
    Column index = lit(0);
    for (double cut : bins.cuts()) {
      index = index.plus(when(value.geq(cut), 1).otherwise(0));
    }
    return index.cast("int");
  }
}
