package dev.prepsweep.app.it;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one standalone cluster of this test JVM (failsafe runs every IT in one JVM): a Master and
 * {@link #WORKERS} Workers on a cluster's Spark installation without prepsweep or DJL
 * ({@link StandaloneCluster#withClusterJar}), started by the first test that asks and stopped by PID
 * when the JVM exits. Tests take turns (JUnit runs them one at a time), each submitting its own
 * application with the packaged {@code -cluster} jar; Spark starts executors per application, so no
 * test sees another's. Starting the Master and Workers once saves each test their start and the
 * installation's preparation. A test that kills workers starts them again ({@link #whole}).
 */
final class SharedCluster {

  /** Three workers: the chaos test kills one and still has two; tests wanting fewer set {@code spark.cores.max}. */
  static final int WORKERS = 3;
  /** Each worker's cores: one executor of {@code spark.executor.cores=2}, or two of one core. */
  static final int CORES_PER_WORKER = 2;
  /**
   * Two trainer slots per worker: a worker may host two one-core executors, of the trials' resource
   * profile and of the default one (Delta writes), under dynamic allocation.
   */
  static final int TRAINER_SLOTS = 2;

  private static final Path WORK = Path.of("target/it-cluster").toAbsolutePath();
  private static StandaloneCluster cluster;

  private SharedCluster() {}

  /**
   * The cluster, started on first use, with every worker up: workers a previous test killed are
   * started again first.
   */
  static synchronized StandaloneCluster whole() throws IOException, InterruptedException {
    if (cluster == null) {
      cluster = StandaloneCluster.withClusterJar(WORK, WORKERS, CORES_PER_WORKER, "1536m", TRAINER_SLOTS);
      StandaloneCluster started = cluster;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop the shared standalone cluster"));
    }
    cluster.restartDownWorkers();
    return cluster;
  }
}
