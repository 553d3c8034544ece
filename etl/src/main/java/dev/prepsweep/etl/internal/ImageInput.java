package dev.prepsweep.etl.internal;

import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.etl.PrepErrors;
import org.apache.spark.sql.SparkSession;

/** Image folders (Spark's binaryFile source) and IDX files. */
final class ImageInput {
  private ImageInput() {}

  static RawInput read(SparkSession spark, PrepConfig config, String location) {
    throw PrepErrors.unsupported("format image", "not implemented yet");
  }

  static RawInput readIdx(SparkSession spark, PrepConfig config, String location) {
    throw PrepErrors.unsupported("format idx", "not implemented yet");
  }
}
