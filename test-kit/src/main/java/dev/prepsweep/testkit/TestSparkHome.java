package dev.prepsweep.testkit;

import dev.prepsweep.common.spark.LocalSparkHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The Spark home of a test's cluster (a standalone Master and Workers, or a {@code local-cluster}
 * in a child JVM): {@link LocalSparkHome} over this test JVM's class path, the same home the
 * application's embedded cluster uses, and the environment a child process needs to run Spark there.
 */
public final class TestSparkHome {

  private TestSparkHome() {}

  /**
   * Builds the home at {@code home}. Executors log with the tests' quiet configuration
   * ({@code conf/log4j2-test.properties}) unless the class path brings the application's.
   */
  public static LocalSparkHome prepare(Path home) {
    return withLogConfig(LocalSparkHome.fromThisJvm(home));
  }

  /**
   * Builds the home at {@code home} from the jars of {@code classpath} only: a cluster's Spark
   * installation without this test's application classes (for a test that submits an application jar).
   */
  public static LocalSparkHome prepare(Path home, List<String> classpath) {
    return withLogConfig(LocalSparkHome.prepare(home, classpath));
  }

  private static LocalSparkHome withLogConfig(LocalSparkHome sparkHome) {
    Path home = sparkHome.home();
    Path log4j = home.resolve("conf/log4j2.properties");
    if (!Files.exists(log4j)) {
      try {
        Files.copy(SharedSpark.repoRoot().resolve("conf/log4j2-test.properties"), log4j, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the executors' log configuration " + log4j + ": " + e.getMessage(), e);
      }
    }
    return sparkHome;
  }

  /** The environment of a child JVM that runs Spark with {@code home}: loopback only, Scala 2.13. */
  public static Map<String, String> env(LocalSparkHome home) {
    return Map.of("SPARK_HOME", home.home().toString(), "SPARK_SCALA_VERSION", "2.13", "SPARK_LOCAL_IP", "127.0.0.1");
  }
}
