package dev.prepsweep.app.it;

import dev.prepsweep.testkit.LocalProcesses;
import dev.prepsweep.testkit.TestSparkHome;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptReport;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerReport;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * A real YARN cluster in the test JVM: Hadoop's {@link MiniYARNCluster} (a ResourceManager and
 * NodeManagers that launch containers as local processes), and spark-submit run as a child JVM on a
 * cluster's Spark installation ({@link ClusterInstall} plus Spark's YARN module), submitting the
 * packaged {@code -cluster} jar in cluster mode. Each NodeManager offers 3 GiB, so the driver's
 * container and two executors of 1.5 GiB cannot all fit on one node.
 */
final class YarnCluster implements AutoCloseable {

  /** Memory a NodeManager offers: two of the test's 1.5 GiB containers. */
  static final int NODE_MEMORY_MB = 3072;

  private final Path work;
  private final MiniYARNCluster yarn;
  private final YarnClient client;
  private final Path hadoopConf;
  private final ClusterInstall install;
  final LocalProcesses procs;

  YarnCluster(Path work, int nodeManagers) throws IOException, InterruptedException {
    this.work = work;
    this.install = ClusterInstall.prepare(work.resolve("spark-home"), "spark-yarn_");
    YarnConfiguration conf = new YarnConfiguration();
    conf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
    conf.setInt(YarnConfiguration.NM_PMEM_MB, NODE_MEMORY_MB);
    conf.setInt(YarnConfiguration.NM_VCORES, 2);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
    // DJL's natives and the JIT make executors' virtual and resident sizes vary: no memory kills
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    // a full shared disk must not mark the nodes unhealthy (they would get no containers)
    conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100.0f);
    // hadoop-client-minicluster has no capacity-scheduler.xml: one queue with everything (as Spark's own YARN tests)
    conf.set("yarn.scheduler.capacity.root.queues", "default");
    conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
    conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
    conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
    conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
    conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
    conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
    conf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 1.0f);
    conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
    this.yarn = new MiniYARNCluster("YarnClusterIT", nodeManagers, 1, 1);
    yarn.init(conf);
    yarn.start();
    // start() may return before the ResourceManager has written its bound port into the configuration
    Configuration live = yarn.getConfig();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (live.get(YarnConfiguration.RM_ADDRESS, ":0").endsWith(":0") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    this.hadoopConf = Files.createDirectories(work.resolve("hadoop-conf"));
    try (OutputStream out = Files.newOutputStream(hadoopConf.resolve("yarn-site.xml"))) {
      live.writeXml(out);
    }
    this.client = YarnClient.createYarnClient();
    client.init(live);
    client.start();
    this.procs = new LocalProcesses(work.resolve("logs"), Path.of("src/test/resources/it-cluster-log4j2.properties"),
        install.classpath() + java.io.File.pathSeparator + hadoopConf);
  }

  /**
   * Starts spark-submit of the {@code -cluster} jar in YARN cluster mode as application {@code appName}:
   * Spark's jars come from the installation already on every node ({@code local:}), the driver runs
   * in YARN's application master container, spark-submit waits for the application to end.
   */
  Process submit(String appName, List<String> sparkConf, String... appArgs) {
    String javaHome = System.getProperty("java.home");
    List<String> args = new ArrayList<>(List.of("--master", "yarn", "--deploy-mode", "cluster", "--name", appName,
        "--class", "dev.prepsweep.app.cli.Main",
        "--conf", "spark.yarn.jars=local:" + install.classpath(),
        "--conf", "spark.yarn.stagingDir=" + work.resolve("staging").toUri(),
        "--conf", "spark.yarn.maxAppAttempts=1",
        "--conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome, "--conf", "spark.executorEnv.JAVA_HOME=" + javaHome,
        "--conf", "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1", "--conf", "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1",
        "--conf", "spark.driver.extraJavaOptions=-Dai.djl.offline=true",
        "--conf", "spark.ui.enabled=false"));
    for (String c : sparkConf) {
      args.add("--conf");
      args.add(c);
    }
    args.add(ClusterInstall.clusterJar().toString());
    args.addAll(List.of(appArgs));
    Map<String, String> env = new HashMap<>(TestSparkHome.env(install.sparkHome()));
    env.put("HADOOP_CONF_DIR", hadoopConf.toString());
    return procs.java(appName, env, List.of("-Xmx512m"), "org.apache.spark.deploy.SparkSubmit", args.toArray(String[]::new));
  }

  /** The ResourceManager's report of the one application named {@code appName}, or null before it is submitted. */
  ApplicationReport report(String appName) throws Exception {
    List<ApplicationReport> apps = client.getApplications().stream().filter(a -> a.getName().equals(appName)).toList();
    if (apps.size() > 1) {
      throw new AssertionError("more than one YARN application named " + appName + ": " + apps);
    }
    return apps.isEmpty() ? null : apps.get(0);
  }

  /** The containers (id and node) the ResourceManager reports alive now for {@code report}'s attempts. */
  Map<String, String> liveContainers(ApplicationReport report) throws Exception {
    Map<String, String> containers = new ConcurrentHashMap<>();
    for (ApplicationAttemptReport attempt : client.getApplicationAttempts(report.getApplicationId())) {
      for (ContainerReport c : client.getContainers(attempt.getApplicationAttemptId())) {
        containers.put(c.getContainerId().toString(), c.getAssignedNode().toString());
      }
    }
    return containers;
  }

  /** Every container log (stdout, stderr) the NodeManagers kept for {@code appId}, for failure messages. */
  String containerLogs(String appId) {
    // MiniYARNCluster keeps its folders under Hadoop's test data folder (test.build.data, default target/test/data)
    Path base = Path.of(System.getProperty("test.build.data", "target/test/data"), "YarnClusterIT").toAbsolutePath();
    try (Stream<Path> files = Files.exists(base) ? Files.walk(base) : Stream.empty()) {
      Set<Path> logs = files.filter(p -> p.toString().contains(appId) && Files.isRegularFile(p)
          && (p.endsWith("stdout") || p.endsWith("stderr"))).collect(Collectors.toSet());
      StringBuilder text = new StringBuilder();
      for (Path p : logs) {
        String body = Files.readString(p);
        text.append("==> ").append(base.relativize(p)).append(" <==\n")
            .append(body.length() > 20_000 ? body.substring(body.length() - 20_000) : body).append('\n');
      }
      return text.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    procs.close();
    client.stop();
    yarn.stop();
  }
}
