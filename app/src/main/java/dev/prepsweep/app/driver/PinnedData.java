package dev.prepsweep.app.driver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.tables.DeltaIO;
import dev.prepsweep.tables.PinnedClassWeights;
import dev.prepsweep.tables.PinnedDataException;
import dev.prepsweep.tables.PinnedFiles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every trial task of a sweep needs besides the pinned versions it reads itself: the label
 * names in {@code label_index} order and, when trials ask for {@code class_weights: table}, the
 * prep job's weights from the pinned {@code class_weights} version. Resolving it first checks that every
 * pinned version can be read exactly and is complete, and that the train version holds rows, so a sweep
 * fails before its first trial, never on partial or no data.
 *
 * @param classWeightsTable the pinned {@code class_weights} version, or null when no trial asks for it
 * @param classWeights its weights per label index, or null
 */
record PinnedData(List<String> labels, TableVersion classWeightsTable, List<Double> classWeights) {

  private static final Logger LOG = LoggerFactory.getLogger(PinnedData.class);

  /**
   * @throws PinnedDataException when a pinned version uses a table feature the trial reader (Delta
   *     Kernel) cannot read, or its log or a file it needs is gone (exit code 3)
   */
  static PinnedData resolve(SparkSession spark, Warehouse warehouse, TableVersion train, TableVersion val,
      Optional<TableVersion> test, Optional<TableVersion> classWeightsTable) {
    long start = System.currentTimeMillis();
    List<TableVersion> pinned = new ArrayList<>(List.of(train, val));
    test.ifPresent(pinned::add);
    classWeightsTable.ifPresent(pinned::add);
    for (TableVersion t : pinned) {
      // train must hold rows; val or test may be empty where the split's ratios leave them so
      if (t == train) {
        PinnedFiles.requireRows(t, spark.sparkContext().hadoopConfiguration());
      } else {
        PinnedFiles.requireComplete(t, spark.sparkContext().hadoopConfiguration());
      }
    }
    List<String> labels = labels(spark, train);
    PinnedData data = new PinnedData(labels, classWeightsTable.orElse(null),
        classWeightsTable.map(t -> PinnedClassWeights.read(spark, t, labels)).orElse(null));
    LOG.info("pinned {}: complete and readable, {} labels, in {} ms", pinned, data.labels.size(),
        System.currentTimeMillis() - start);
    return data;
  }

  /**
   * Label names in label_index order: from the commit that wrote the pinned version when the prep
   * job recorded them there, else read from the version itself.
   */
  private static List<String> labels(SparkSession spark, TableVersion train) {
    JsonNode recorded = DeltaIO.userMetadata(spark, train).map(m -> m.get(DeltaIO.LABELS)).orElse(null);
    if (recorded != null && recorded.isArray()) {
      List<String> labels = new ArrayList<>();
      recorded.forEach(l -> labels.add(l.asText()));
      return labels;
    }
    // The few distinct pairs are sorted here (no range-partitioning job).
    List<Row> rows = new ArrayList<>(DeltaIO.read(spark, train).select("label_index", "label").distinct().collectAsList());
    if (rows.isEmpty()) {
      throw new IllegalStateException("table " + train + " has no rows: nothing to train on");
    }
    rows.sort(Comparator.comparing(r -> r.isNullAt(0) ? Integer.MIN_VALUE : ((Number) r.get(0)).intValue()));
    List<String> labels = new ArrayList<>();
    for (Row r : rows) {
      if (r.isNullAt(0) || ((Number) r.get(0)).intValue() != labels.size()) {
        throw new IllegalStateException("table " + train + " has label_index values that are not 0.." + (rows.size() - 1));
      }
      labels.add(r.getString(1));
    }
    return labels;
  }
}
