package dev.prepsweep.etl.augment;

import dev.prepsweep.etl.PrepConfig;
import org.apache.spark.sql.expressions.UserDefinedFunction;

/** Image augmentation (placeholder until image inputs land). */
public final class ImageAugment {
  private ImageAugment() {}

  public static UserDefinedFunction udf(PrepConfig.ImageAugment config, long seed) {
    throw new UnsupportedOperationException("image augmentation");
  }
}
