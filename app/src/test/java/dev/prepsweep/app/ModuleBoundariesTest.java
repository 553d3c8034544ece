package dev.prepsweep.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.prepsweep.app.cli.Main;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of issue 18, checked by {@code mvn verify}: the sweep core stays pure, prep's
 * {@code internal} package is prep's own, and only the command line ends the process. The app's test
 * class path holds the main classes of every module, so this one test sees them all (and the app's
 * own tests). {@link ArchitectureTest} holds the Spark/Delta public-API rule of issue 16.
 *
 * <p>ArchUnit fails a rule whose {@code that()} matches no class, so a rule cannot pass because the
 * importer missed a module.
 */
class ModuleBoundariesTest {

  /**
   * Main classes of every module plus the app module's test classes (one import: it is the slow part;
   * the other modules' test classes are not on this class path).
   */
  private static final JavaClasses CLASSES = new ClassFileImporter().importPackages("dev.prepsweep");

  @Test
  void sweepCoreUsesNoSparkDeltaOrDjl() {
    noClasses().that().resideInAPackage("dev.prepsweep.sweep..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.apache.spark..", "io.delta..", "ai.djl..", "org.apache.hadoop..", "scala..")
        .because("the sweep core (samplers, pruners, studies) is pure: unit-tested without Spark, and used by"
            + " the driver, the trial tasks and the optimizer benchmark alike (issue 18)")
        .check(CLASSES);
  }

  @Test
  void sweepCoreReadsNoYaml() {
    noClasses().that().resideInAPackage("dev.prepsweep.sweep..")
        .should().dependOnClassesThat().resideInAnyPackage("org.yaml..", "dev.prepsweep.common.config..")
        .because("the sweep core keeps plain records (SweepSpec, SweepDefaults); the sweep: section is parsed by"
            + " the app's dev.prepsweep.app.config.SweepSpecParser with the other config parsers (issue 18)")
        .check(CLASSES);
  }

  @Test
  void etlInternalIsUsedOnlyByEtl() {
    noClasses().that().resideOutsideOfPackage("dev.prepsweep.etl..")
        .should().dependOnClassesThat().resideInAPackage("dev.prepsweep.etl.internal..")
        .because("prep's internal classes may change with prep; other modules use the public"
            + " dev.prepsweep.etl API (PrepJob, PrepConfig, PrepResult, PrepRunsTable, LeakageAudit, ...) (issue 18)")
        .check(CLASSES);
  }

  @Test
  void onlyTheCommandLineEndsTheProcess() {
    noClasses().that().doNotHaveFullyQualifiedName(Main.class.getName())
        .should().callMethod(System.class, "exit", int.class)
        .orShould().callMethod(Runtime.class, "exit", int.class)
        .orShould().callMethod(Runtime.class, "halt", int.class)
        .because("library code returns an exit code or throws; only the command line (" + Main.class.getName()
            + ") decides when the process ends, so tests and embedding callers keep running (issue 18)")
        .check(CLASSES);
  }
}
