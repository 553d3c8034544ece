package dev.prepsweep.tables;

import dev.prepsweep.common.TableVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The prep job's {@code class_weights} table at a pinned version, as one loss weight per label index.
 * Read once on the driver (a handful of rows) from exactly that version, so a later prep run that
 * rewrites the table does not change what a running or resumed sweep trains with.
 */
public final class PinnedClassWeights {

  private PinnedClassWeights() {}

  /**
   * The weights of {@code table}'s version in {@code label_index} order.
   *
   * @param labels the sweep's label names in {@code label_index} order: the table must name the same ones
   * @throws PinnedDataException when the version cannot be read, or its rows do not give exactly one finite
   *     weight &gt;= 0 for each of {@code labels} under the same label_index
   */
  public static List<Double> read(SparkSession spark, TableVersion table, List<String> labels) {
    List<Row> rows = DeltaIO.read(spark, table).select("label_index", "label", "weight").collectAsList();
    Double[] weights = new Double[labels.size()];
    for (Row r : rows) {
      if (r.isNullAt(0) || r.isNullAt(2)) {
        throw TableErrors.badClassWeights(table, "a row has no label_index or weight: " + r);
      }
      int index = ((Number) r.get(0)).intValue();
      double weight = ((Number) r.get(2)).doubleValue();
      if (index < 0 || index >= labels.size()) {
        throw TableErrors.badClassWeights(table, "label_index " + index + " is outside the sweep's labels " + labels);
      }
      if (!labels.get(index).equals(r.getString(1))) {
        throw TableErrors.badClassWeights(table, "label_index " + index + " is '" + r.getString(1)
            + "' there but '" + labels.get(index) + "' in the pinned train split");
      }
      if (weights[index] != null) {
        throw TableErrors.badClassWeights(table, "label_index " + index + " appears twice");
      }
      if (!(weight >= 0) || Double.isInfinite(weight)) {
        throw TableErrors.badClassWeights(table, "label '" + labels.get(index) + "' has weight " + weight
            + "; weights must be finite and >= 0");
      }
      weights[index] = weight;
    }
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] == null) {
        missing.add(labels.get(i));
      }
    }
    if (!missing.isEmpty()) {
      throw TableErrors.badClassWeights(table, "no weight for " + missing);
    }
    return List.copyOf(Arrays.asList(weights));
  }
}
