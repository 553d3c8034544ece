package dev.prepsweep.app.it;

import dev.prepsweep.common.spark.LocalSparkHome;
import dev.prepsweep.testkit.TestSparkHome;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A cluster's Spark installation as the tests see it, for submitting the packaged {@code -cluster}
 * jar: a Spark home whose {@code jars/} hold Spark, Delta, Hadoop and their dependencies
 * ({@code target/cluster-classpath.txt}, written by {@code mvn package}) and nothing of prepsweep, DJL
 * or the other libraries only the {@code -cluster} jar brings. A job that runs there proves the jar
 * carries what it needs.
 */
final class ClusterInstall {

  private final LocalSparkHome home;

  private ClusterInstall(LocalSparkHome home) {
    this.home = home;
  }

  /**
   * Builds the installation at {@code dir}, adding the jars of this test's class path whose file
   * names start with one of {@code extraJarPrefixes} (a cluster manager's module, e.g. {@code spark-yarn_}).
   */
  static ClusterInstall prepare(Path dir, String... extraJarPrefixes) {
    Path listFile = Path.of("target/cluster-classpath.txt").toAbsolutePath();
    List<String> jars = new ArrayList<>();
    try {
      jars.addAll(Arrays.asList(Files.readString(listFile).trim().split(File.pathSeparator)));
    } catch (IOException e) {
      throw new UncheckedIOException(listFile + " is missing: run 'mvn package' (failsafe's verify does) first", e);
    }
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (Stream.of(extraJarPrefixes).anyMatch(name::startsWith)) {
        jars.add(entry);
      }
    }
    // links left by an earlier run (perhaps of another class path) would put their jars back
    try (Stream<Path> old = Files.exists(dir.resolve("jars")) ? Files.list(dir.resolve("jars")) : Stream.empty()) {
      for (Path link : (Iterable<Path>) old::iterator) {
        Files.delete(link);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot empty " + dir.resolve("jars") + ": " + e.getMessage(), e);
    }
    return new ClusterInstall(TestSparkHome.prepare(dir, jars));
  }

  /** The packaged {@code prepsweep-app-<version>-cluster.jar}. */
  static Path clusterJar() {
    try (Stream<Path> files = Files.list(Path.of("target").toAbsolutePath())) {
      List<Path> jars = files.filter(p -> p.getFileName().toString().matches("prepsweep-app-.+-cluster\\.jar")).toList();
      if (jars.size() != 1) {
        throw new IllegalStateException("expected one prepsweep-app-<version>-cluster.jar in target/, found " + jars);
      }
      return jars.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  LocalSparkHome sparkHome() {
    return home;
  }

  /** The installation's class path ({@code jars/*}), for Spark's own JVMs and spark-submit. */
  String classpath() {
    return home.home().resolve("jars").toString() + File.separator + "*";
  }
}
