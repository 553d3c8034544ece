package dev.prepsweep.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build rule of issue 16: main code uses the public APIs of Spark and Delta only, and only the
 * {@code tables} module knows Delta's log layout. The app's test class path holds the main classes of
 * every module, so this one test sees them all; it fails {@code mvn verify} on a violation.
 */
class ArchitectureTest {

  /**
   * Packages main code must not depend on. {@code org.apache.spark.sql.delta..} is Delta's
   * implementation (its public API is {@code io.delta.tables}; the catalog and extension class names
   * given to the session as strings are not dependencies); {@code io.delta.kernel.internal..} is
   * Kernel's. Spark's: {@code deploy} ({@code SparkHadoopUtil}, {@code private[spark]}),
   * {@code storage} ({@code BlockManager}), {@code util} ({@code Utils},
   * {@code SerializableConfiguration}), {@code internal} and {@code sql.internal} (configuration and
   * session state), {@code sql.catalyst} and {@code sql.execution} (the planner and physical plans,
   * which Spark documents as internal and changes between minor versions), {@code sql.classic} (the
   * implementation behind the {@code sql} interfaces since Spark 4).
   */
  static final String[] PRIVATE_PACKAGES = {
      "org.apache.spark.sql.delta..", "io.delta.kernel.internal..",
      "org.apache.spark.deploy..", "org.apache.spark.storage..", "org.apache.spark.util..",
      "org.apache.spark.internal..", "org.apache.spark.sql.internal..", "org.apache.spark.sql.catalyst..",
      "org.apache.spark.sql.execution..", "org.apache.spark.sql.classic.."};

  /**
   * The one class allowed Kernel internals: Kernel 4.0's documented read path (its USER_GUIDE) needs
   * a scan file's status, the physical read schema and the deletion vector descriptor, which only
   * {@code io.delta.kernel.internal} exposes; {@code KernelInternalsTest} fails when they move.
   */
  static final String KERNEL_INTERNALS_HOME = "dev.prepsweep.tables.KernelInternals";

  /**
   * Spark's public API inside those packages: the accumulators ({@code org.apache.spark.util}'s
   * {@code AccumulatorV2} family, documented for users; the sweep's heartbeat is one).
   */
  static final DescribedPredicate<JavaClass> PUBLIC_IN_PRIVATE_PACKAGES = DescribedPredicate.describe(
      "Spark's public accumulators", (JavaClass c) -> c.getPackageName().equals("org.apache.spark.util")
          && c.getSimpleName().matches("AccumulatorV2|LongAccumulator|DoubleAccumulator|CollectionAccumulator"));

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.prepsweep");

  @Test
  void mainCodeUsesNoDeltaOrSparkInternals() {
    assertThat(MAIN.stream().map(JavaClass::getPackageName)).as("the importer sees every module's main classes")
        .contains("dev.prepsweep.tables", "dev.prepsweep.etl.internal", "dev.prepsweep.training",
            "dev.prepsweep.app.cli", "dev.prepsweep.sweep.space", "dev.prepsweep.common");
    noClasses().that().resideInAPackage("dev.prepsweep..")
        .should().dependOnClassesThat(JavaClass.Predicates.resideInAnyPackage(
            Arrays.stream(PRIVATE_PACKAGES).filter(p -> !p.equals("io.delta.kernel.internal..")).toArray(String[]::new))
            .and(DescribedPredicate.not(PUBLIC_IN_PRIVATE_PACKAGES)))
        .because("main code uses the public APIs of Spark and Delta (issue 16)")
        .check(MAIN);
    noClasses().that().resideInAPackage("dev.prepsweep..")
        .and(DescribedPredicate.describe("are not " + KERNEL_INTERNALS_HOME,
            (JavaClass c) -> !c.getName().replaceAll("\\$.*", "").equals(KERNEL_INTERNALS_HOME)))
        .should().dependOnClassesThat().resideInAPackage("io.delta.kernel.internal..")
        .because("an unavoidable internal API lives in one class with a comment why (" + KERNEL_INTERNALS_HOME + ")")
        .check(MAIN);
  }

  /** ArchUnit does not see string constants: the sources are searched for the log folder's name. */
  @Test
  void onlyTheTablesModuleNamesTheDeltaLog() throws IOException {
    // surefire runs in the app module's folder; the repository root holds every module
    Path root = Path.of("").toAbsolutePath().getParent();
    assertThat(root.resolve("tables/src/main/java")).isDirectory();
    List<Path> offenders;
    try (Stream<Path> files = Files.walk(root, 6)) {
      offenders = files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> root.relativize(p).toString().matches("[^/]+/src/main/java/.*"))
          .filter(p -> !root.relativize(p).startsWith("tables"))
          .filter(ArchitectureTest::namesDeltaLog)
          .toList();
    }
    assertThat(offenders).as("main code outside tables/ that names _delta_log").isEmpty();
  }

  private static boolean namesDeltaLog(Path file) {
    try {
      return Files.readString(file).contains("_delta_log");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
