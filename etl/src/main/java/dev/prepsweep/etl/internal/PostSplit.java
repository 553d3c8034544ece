package dev.prepsweep.etl.internal;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.etl.PrepConfig;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Train-only stages after the split: augmentation, balancing, class weights. */
public final class PostSplit {
  private PostSplit() {}

  public static void apply(SparkSession spark, PrepConfig config, List<String> labels, long seed, String warehouse,
      Map<String, TableVersion> tables, Lineage lineage) {
    // filled in by the augmentation and balancing stages
  }
}
