package dev.prepsweep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.spark.SparkSessions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A Spark standalone cluster on loopback (the test JVM's {@link SharedCluster}: a Master and
 * Workers, each a separate JVM) from a cluster's Spark installation without prepsweep or DJL
 * ({@link ClusterInstall}), the packaged {@code -cluster} jar submitted through SparkSubmit with
 * two executors, trials checked to have run on both, every process stopped by PID.
 */
class StandaloneClusterIT {

  private static final Path WORK = Path.of("target/it-standalone").toAbsolutePath();

  @Test
  void submittedClusterJarTrainsOnBothWorkers() throws Exception {
    assertThat(ClusterInstall.clusterJar()).exists();
    Path input = TestData.sample(WORK, 6);
    Path config = TestData.config(WORK, input, 4, 1);
    String warehouse = WORK.resolve("warehouse-" + System.nanoTime()).toString();
    StandaloneCluster cluster = SharedCluster.whole();
    String masterUrl = cluster.masterUrl;
    // two executors of two cores (the cluster has three workers): one on each of two workers
    Process submit = cluster.submit("standalone-run", List.of("spark.executor.memory=1g", "spark.executor.cores=2",
            "spark.cores.max=4"),
        "run", "--config", config.toString(), "--warehouse", warehouse);
    // generous: CI machines may be loaded (on a 2-core machine at load 35 the prep alone took 8 minutes)
    assertThat(submit.waitFor(15, TimeUnit.MINUTES)).as("spark-submit finished").isTrue();
    assertThat(submit.exitValue()).as(cluster.procs.log("standalone-run")).isZero();
    assertThat(cluster.procs.log("standalone-run")).contains("best val_accuracy = ");

    SparkSession spark = SparkSessions.create("local[2]", "StandaloneClusterIT checks");
    try {
      Dataset<Row> complete = spark.read().format("delta").load(warehouse + "/trials").filter("state = 'COMPLETE'");
      assertThat(complete.count()).isEqualTo(4);
      assertThat(complete.select("executor_id").distinct().count()).as("trials ran on both workers' executors").isEqualTo(2);
      Row sweep = spark.read().format("delta").load(warehouse + "/sweeps").head();
      assertThat(sweep.<String>getAs("master")).isEqualTo(masterUrl);
    } finally {
      spark.stop();
    }
  }
}
