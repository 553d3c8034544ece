package dev.prepsweep.tables;

import dev.prepsweep.testkit.SharedSpark;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The old name of the test kit's {@link SharedSpark} in this module, kept for one merge so tests
 * written against it still compile.
 *
 * @deprecated use {@link SharedSpark}; remove after the issue 18 merge
 */
@Deprecated
public final class TestSpark {

  private TestSpark() {}

  public static SparkSession get() {
    return SharedSpark.session();
  }

  public static Path tempDir(String prefix) {
    return SharedSpark.tempDir(prefix);
  }

  public static Path repoRoot() {
    return SharedSpark.repoRoot();
  }
}
