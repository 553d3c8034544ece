package dev.prepsweep.training;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.tables.PinnedReader;
import dev.prepsweep.tables.PinnedRows;
import dev.prepsweep.tables.SparkHadoopConf;
import org.apache.hadoop.conf.Configuration;

/**
 * Executor-side reader of a pinned Delta version for training: the table module's
 * {@link PinnedReader} (Delta Kernel: exactly the rows Delta gives at that version, deletion vectors,
 * column mapping and partition columns included) as {@link SplitRows}, cached per executor JVM by
 * table path and version, so trials after the first on an executor skip the read.
 */
public final class PinnedSnapshotReader {

  private PinnedSnapshotReader() {}

  /** The {@code text} and {@code label_index} columns of the table at its pinned version. */
  public static LabeledTexts read(TableVersion table) {
    return readRows(table).labeledTexts();
  }

  /** {@code label_index}, {@code text} and, when present, {@code features} and {@code image} at the pinned version. */
  public static SplitRows readRows(TableVersion table) {
    PinnedRows rows = PinnedReader.cached(table);
    return new SplitRows(rows.texts(), rows.labels(), rows.features(), rows.images());
  }

  /** The executor's Hadoop configuration (with spark.hadoop.* settings), or a default one outside Spark. */
  static Configuration hadoopConf() {
    return SparkHadoopConf.current();
  }
}
