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
    return new SplitRows(rows.texts(), rows.labels(), rows.features(), rows.images(), rows.targets());
  }

  /**
   * The train rows of a cross-validation fold: {@code table}'s rows whose {@code fold} is not {@code fold}
   * (to train on) and those whose {@code fold} is (to validate on), in table order.
   *
   * @throws IllegalStateException when the table has no {@code fold} column or a row's fold is outside [0, folds)
   */
  public static SplitRows[] foldRows(TableVersion table, int fold, int folds) {
    PinnedRows rows = PinnedReader.cached(table);
    int[] f = rows.folds();
    if (f == null) {
      throw new IllegalStateException("table " + table + " has no fold column; cross-validation needs the prep job's"
          + " folds (prep.split.folds: " + folds + ")");
    }
    boolean[] held = new boolean[f.length];
    int heldOut = 0;
    for (int i = 0; i < f.length; i++) {
      if (f[i] < 0 || f[i] >= folds) {
        throw new IllegalStateException("table " + table + " has a row with fold " + f[i] + ", outside [0, " + folds
            + "): cv.folds must match the prep job's prep.split.folds, and every row needs a fold");
      }
      held[i] = f[i] == fold;
      heldOut += held[i] ? 1 : 0;
    }
    return new SplitRows[] {subset(rows, held, false, f.length - heldOut), subset(rows, held, true, heldOut)};
  }

  private static SplitRows subset(PinnedRows rows, boolean[] held, boolean keep, int n) {
    String[] texts = new String[n];
    int[] labels = new int[n];
    double[][] features = rows.features() == null ? null : new double[n][];
    byte[][] images = rows.images() == null ? null : new byte[n][];
    double[] targets = rows.targets() == null ? null : new double[n];
    int j = 0;
    for (int i = 0; i < held.length; i++) {
      if (held[i] != keep) {
        continue;
      }
      texts[j] = rows.texts()[i];
      labels[j] = rows.labels()[i];
      if (features != null) {
        features[j] = rows.features()[i];
      }
      if (images != null) {
        images[j] = rows.images()[i];
      }
      if (targets != null) {
        targets[j] = rows.targets()[i];
      }
      j++;
    }
    return new SplitRows(texts, labels, features, images, targets);
  }

  /** The executor's Hadoop configuration (with spark.hadoop.* settings), or a default one outside Spark. */
  static Configuration hadoopConf() {
    return SparkHadoopConf.current();
  }
}
