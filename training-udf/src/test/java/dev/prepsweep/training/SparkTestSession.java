package dev.prepsweep.training;

import dev.prepsweep.testkit.SharedSpark;
import org.apache.spark.sql.SparkSession;

/**
 * The old name of the test kit's {@link SharedSpark} in this module, kept for one merge so tests
 * written against it still compile.
 *
 * @deprecated use {@link SharedSpark}; remove after the issue 18 merge
 */
@Deprecated
final class SparkTestSession {
  private SparkTestSession() {}

  static SparkSession get() {
    return SharedSpark.session();
  }
}
