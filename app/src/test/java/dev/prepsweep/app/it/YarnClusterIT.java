package dev.prepsweep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.spark.SparkSessions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * YARN for real: Hadoop's MiniYARNCluster (a ResourceManager and two NodeManagers in this JVM), the
 * packaged {@code -cluster} jar submitted through SparkSubmit with {@code --master yarn --deploy-mode
 * cluster} onto a Spark installation without prepsweep or DJL, running {@code run} (prep and sweep) on
 * a small sample with the warehouse on the local filesystem. Its trials train in two executor
 * containers, YARN reports the application SUCCEEDED, everything is stopped at the end.
 */
class YarnClusterIT {

  private static final Path WORK = Path.of("target/it-yarn").toAbsolutePath();
  private static final String APP = "prepsweep-yarn-it";

  @Test
  void clusterJarRunsPrepAndSweepInYarnContainers() throws Exception {
    Path input = TestData.sample(WORK, 6);
    Path config = TestData.config(WORK, input, 4, 1);
    String warehouse = WORK.resolve("warehouse-" + System.nanoTime()).toString();
    Map<String, String> containers = new TreeMap<>();
    ApplicationReport report;
    String appId = null;
    try (YarnCluster yarn = new YarnCluster(WORK, 2)) {
      // executors of one core: each trains one trial at a time, so two trials at once need both;
      // small data, so few partitions (Delta's snapshot state defaults to 50)
      Process submit = yarn.submit(APP, List.of("spark.driver.memory=1g", "spark.executor.instances=2",
              "spark.executor.cores=1", "spark.executor.memory=1g", "spark.sql.shuffle.partitions=4",
              "spark.databricks.delta.snapshotPartitions=2"),
          "run", "--config", config.toString(), "--warehouse", warehouse);
      // The ResourceManager lists an attempt's containers while they run: record every one seen
      // (generous limit: CI machines may be loaded)
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
      while (!submit.waitFor(1, TimeUnit.SECONDS)) {
        assertThat(System.nanoTime()).as("spark-submit finished within 15 minutes:\n%s", yarn.procs.log(APP))
            .isLessThan(deadline);
        ApplicationReport now = yarn.report(APP);
        if (now != null) {
          appId = now.getApplicationId().toString();
          containers.putAll(yarn.liveContainers(now));
        }
      }
      report = yarn.report(APP);
      assertThat(report).as(yarn.procs.log(APP)).isNotNull();
      appId = report.getApplicationId().toString();
      String logs = yarn.procs.log(APP) + "\n" + yarn.containerLogs(appId);
      assertThat(submit.exitValue()).as(logs).isZero();
      assertThat(report.getFinalApplicationStatus()).as(logs).isEqualTo(FinalApplicationStatus.SUCCEEDED);
      assertThat(yarn.containerLogs(appId)).as("the driver's stdout (in the AM container)")
          .contains("best val_accuracy = ");
    }
    // the AM (the driver) and two executors, more than one NodeManager's memory: spread over both nodes
    assertThat(containers).as("containers YARN ran for %s", appId).hasSizeGreaterThanOrEqualTo(3);
    assertThat(containers.values().stream().distinct().count()).as("NodeManagers used: %s", containers).isEqualTo(2);

    SparkSession spark = SparkSessions.create("local[2]", "YarnClusterIT checks");
    try {
      Dataset<Row> complete = spark.read().format("delta").load(warehouse + "/trials").filter("state = 'COMPLETE'");
      assertThat(complete.count()).isEqualTo(4);
      assertThat(complete.select("executor_id").distinct().count())
          .as("trials trained in both executor containers").isEqualTo(2);
      Row sweep = spark.read().format("delta").load(warehouse + "/sweeps").head();
      assertThat(sweep.<String>getAs("master")).isEqualTo("yarn");
      assertThat(spark.read().format("delta").load(warehouse + "/prep_runs").count()).as("the prep ran").isEqualTo(1);
    } finally {
      spark.stop();
    }
  }
}
