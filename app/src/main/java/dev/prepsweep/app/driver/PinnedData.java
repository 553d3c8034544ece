package dev.prepsweep.app.driver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.tables.DeltaIO;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every trial task of a sweep needs to read its pinned data itself: the data files of the
 * train and val snapshots and the label names in {@code label_index} order.
 */
record PinnedData(List<String> trainFiles, List<String> valFiles, List<String> labels) {

  private static final Logger LOG = LoggerFactory.getLogger(PinnedData.class);

  static PinnedData resolve(SparkSession spark, Warehouse warehouse, TableVersion train, TableVersion val) {
    long start = System.currentTimeMillis();
    List<String> trainFiles = warehouse.dataFiles(train);
    PinnedData pinned = new PinnedData(trainFiles, warehouse.dataFiles(val), labels(spark, train, trainFiles));
    LOG.info("pinned {} and {}: {} + {} data files, {} labels, in {} ms", train, val, trainFiles.size(),
        pinned.valFiles.size(), pinned.labels.size(), System.currentTimeMillis() - start);
    return pinned;
  }

  /**
   * Label names in label_index order: from the commit that wrote the pinned version when the prep
   * job recorded them there (no Spark job), else read from the snapshot's data files as the
   * executors will read them. Going through Delta's reader instead would rebuild the snapshot's
   * state with Spark jobs, which on a cold cluster took longer than the rest of a sweep's start-up.
   */
  private static List<String> labels(SparkSession spark, TableVersion train, List<String> files) {
    JsonNode recorded = DeltaIO.userMetadata(spark, train).map(m -> m.get(DeltaIO.LABELS)).orElse(null);
    if (recorded != null && recorded.isArray()) {
      List<String> labels = new ArrayList<>();
      recorded.forEach(l -> labels.add(l.asText()));
      return labels;
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("table " + train + " has no data files: nothing to train on");
    }
    // The schema is given (no footer-reading job) and the few distinct pairs are sorted here (no range-partitioning job).
    List<Row> rows = new ArrayList<>(spark.read().schema("label_index INT, label STRING")
        .parquet(files.toArray(String[]::new)).distinct().collectAsList());
    rows.sort(Comparator.comparing(r -> r.isNullAt(0) ? Integer.MIN_VALUE : r.getInt(0)));
    List<String> labels = new ArrayList<>();
    for (Row r : rows) {
      if (r.isNullAt(0) || r.getInt(0) != labels.size()) {
        throw new IllegalStateException("table " + train + " has label_index values that are not 0.." + (rows.size() - 1));
      }
      labels.add(r.getString(1));
    }
    return labels;
  }
}
