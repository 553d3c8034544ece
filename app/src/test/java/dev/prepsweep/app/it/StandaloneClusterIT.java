package dev.prepsweep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.spark.LocalSparkHome;
import dev.prepsweep.app.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A Spark standalone cluster started in the test from the project's jars on loopback (a Master and
 * two Workers, each a separate JVM), the packaged thin jar submitted through SparkSubmit, trials
 * checked to have run on both executors, every process stopped by PID.
 */
class StandaloneClusterIT {

  private static final Path WORK = Path.of("target/it-standalone").toAbsolutePath();

  @Test
  void submittedJobTrainsOnBothWorkers() throws Exception {
    Path appJar = Path.of("target/prepsweep-app.jar").toAbsolutePath();
    assertThat(appJar).exists();
    Path input = TestData.sample(WORK, 6);
    Path config = TestData.config(WORK, input, 4, 1);
    String warehouse = WORK.resolve("warehouse-" + System.nanoTime()).toString();
    Path sparkHome = WORK.resolve("spark-home");
    LocalSparkHome.fromThisJvm(sparkHome);
    Path slotScript = sparkHome.resolve("bin/trainer-slot.sh");
    Files.createDirectories(slotScript.getParent());
    Files.writeString(slotScript, "#!/bin/sh\necho '{\"name\":\"trainer\",\"addresses\":[\"0\"]}'\n");
    slotScript.toFile().setExecutable(true);
    Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13",
        "SPARK_LOCAL_IP", "127.0.0.1");
    int masterPort = LocalProcesses.freePort();
    String masterUrl = "spark://127.0.0.1:" + masterPort;

    try (LocalProcesses procs = new LocalProcesses(WORK.resolve("logs"))) {
      procs.java("master", env, List.of(), "org.apache.spark.deploy.master.Master",
          "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(LocalProcesses.freePort()));
      procs.awaitLog("master", "I have been elected leader", Duration.ofSeconds(60));
      for (int w = 1; w <= 2; w++) {
        Path workDir = WORK.resolve("worker-" + w);
        Files.createDirectories(workDir);
        procs.java("worker-" + w, env,
            List.of("-Dspark.worker.resource.trainer.amount=1",
                "-Dspark.worker.resource.trainer.discoveryScript=" + slotScript),
            "org.apache.spark.deploy.worker.Worker", masterUrl, "--host", "127.0.0.1", "--cores", "2",
            "--memory", "1536m", "--work-dir", workDir.toString(), "--webui-port", String.valueOf(LocalProcesses.freePort()));
      }
      procs.awaitLog("worker-1", "Successfully registered with master", Duration.ofSeconds(60));
      procs.awaitLog("worker-2", "Successfully registered with master", Duration.ofSeconds(60));

      Process submit = procs.java("submit", env, List.of(), "org.apache.spark.deploy.SparkSubmit",
          "--master", masterUrl, "--deploy-mode", "client", "--class", "dev.prepsweep.app.cli.Main",
          "--conf", "spark.executor.memory=1g", "--conf", "spark.executor.cores=2",
          "--conf", "spark.executor.resource.trainer.amount=1",
          "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
          appJar.toString(), "run", "--config", config.toString(), "--warehouse", warehouse);
      assertThat(submit.waitFor(8, TimeUnit.MINUTES)).as("spark-submit finished").isTrue();
      assertThat(submit.exitValue()).as(procs.log("submit")).isZero();
      assertThat(procs.log("submit")).contains("best val_accuracy = ");
    }

    SparkSession spark = SparkSessions.create("local[2]", "StandaloneClusterIT checks");
    try {
      Dataset<Row> complete = spark.read().format("delta").load(warehouse + "/trials").filter("state = 'COMPLETE'");
      assertThat(complete.count()).isEqualTo(4);
      assertThat(complete.select("executor_id").distinct().count()).as("trials ran on both workers' executors").isEqualTo(2);
      Row sweep = spark.read().format("delta").load(warehouse + "/sweeps").head();
      assertThat(sweep.<String>getAs("master")).isEqualTo("spark://127.0.0.1:" + masterPort);
    } finally {
      spark.stop();
    }
  }
}
