package dev.prepsweep.common.spark;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Spark "installation" made of links: {@code jars/} links every jar of a classpath, {@code conf/}
 * holds the executors' log4j2 configuration. Spark's Workers (standalone or inside a
 * {@code local-cluster} driver) build executor command lines from {@code $SPARK_HOME/jars}, so this
 * is all a Worker needs; there is no Spark distribution to download. Class directories (module
 * {@code target/classes} in tests) cannot be linked into {@code jars/}, so they are returned for
 * {@code spark.executor.extraClassPath}.
 *
 * <p>It lives in {@code common} (plain Java, no Spark types) because both the application's embedded
 * cluster ({@code SparkSessions}) and the tests' clusters (the {@code test-kit} module, which every
 * module's tests may use) build one. The executors' log configuration comes from the class path
 * resource {@code /prepsweep-executor-log4j2.properties} when there is one (the app's).
 */
public final class LocalSparkHome {

  private final Path home;
  private final List<String> classDirectories;

  private LocalSparkHome(Path home, List<String> classDirectories) {
    this.home = home;
    this.classDirectories = classDirectories;
  }

  /** Builds (or refreshes) a Spark home at {@code home} from the entries of {@code classpath}. */
  public static LocalSparkHome prepare(Path home, List<String> classpath) {
    try {
      Path jars = home.resolve("jars");
      Files.createDirectories(jars);
      Files.createDirectories(home.resolve("conf"));
      Set<String> names = new LinkedHashSet<>();
      List<String> dirs = new ArrayList<>();
      for (String entry : classpath) {
        if (entry.isBlank()) {
          continue;
        }
        Path p = Path.of(entry).toAbsolutePath();
        if (Files.isDirectory(p)) {
          dirs.add(p.toString());
        } else if (Files.isRegularFile(p) && p.toString().endsWith(".jar") && names.add(p.getFileName().toString())) {
          Path link = jars.resolve(p.getFileName());
          if (!Files.isSymbolicLink(link) || !Files.readSymbolicLink(link).equals(p)) {
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, p);
          }
        }
      }
      try (InputStream log4j = LocalSparkHome.class.getResourceAsStream("/prepsweep-executor-log4j2.properties")) {
        if (log4j != null) {
          Files.copy(log4j, home.resolve("conf/log4j2.properties"), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return new LocalSparkHome(home, List.copyOf(dirs));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the local Spark home at " + home + ": " + e.getMessage(), e);
    }
  }

  /** Builds a Spark home from this JVM's own classpath. */
  public static LocalSparkHome fromThisJvm(Path home) {
    return prepare(home, List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
  }

  public Path home() {
    return home;
  }

  /** Class directories to pass as {@code spark.executor.extraClassPath} (empty when all entries were jars). */
  public String extraClassPath() {
    return String.join(File.pathSeparator, classDirectories);
  }
}
