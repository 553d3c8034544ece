package dev.prepsweep.app.it;

import java.nio.file.Path;

/**
 * The old home of the test kit's {@link dev.prepsweep.testkit.LocalProcesses}, kept for one merge so
 * tests written against it still compile; logs with the integration tests' cluster configuration.
 *
 * @deprecated use {@link dev.prepsweep.testkit.LocalProcesses}; remove after the issue 18 merge
 */
@Deprecated(forRemoval = true)
final class LocalProcesses extends dev.prepsweep.testkit.LocalProcesses {

  /** Keeps the deploy INFO lines that tell when a Master or Worker is ready. */
  static final Path LOG_CONFIG = Path.of("src/test/resources/it-cluster-log4j2.properties");

  LocalProcesses(Path logs) {
    super(logs, LOG_CONFIG);
  }
}
