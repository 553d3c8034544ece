package dev.prepsweep.app.spark;

import dev.prepsweep.common.spark.LocalSparkHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the one SparkSession a prepsweep command uses. Settings given to spark-submit
 * ({@code --master}, {@code --conf}, {@code spark-defaults.conf}) always win; prepsweep only fills
 * what is unset. With no master at all it runs the embedded default: a {@code local-cluster} of two
 * executor JVMs on this machine, because DJL trains one model per JVM at a time and trials should
 * still use every core.
 */
public final class SparkSessions {

  private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);

  /** Two executor JVMs of 2 cores and 2 GiB: one trial per executor plus a core for Delta writes. */
  public static final String EMBEDDED_MASTER = "local-cluster[2,2,2048]";

  /**
   * The custom resource that makes every executor run at most one training task. Each executor owns
   * one "trainer" slot and every trial task asks for it, while Delta writes and other tasks need
   * none and use the executor's remaining cores.
   */
  public static final String TRAINER_RESOURCE = "trainer";

  /** {@code local-cluster[workers, cores per worker, memory per worker in MiB]}. */
  private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*\\d+\\s*]");

  /**
   * DJL offline with one intra-op thread per training task, and HotSpot compiling Spark's huge
   * generated methods (a wide projection's can pass the JIT's 8,000-byte limit and then runs
   * interpreted, 4x slower: docs/prep-benchmark.md).
   */
  static final String EXECUTOR_OPTIONS = "-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -XX:-DontCompileHugeMethods";

  private SparkSessions() {}

  /**
   * Creates the session. {@code master} (from the command line) overrides what spark-submit set;
   * null keeps it, or picks the embedded default when nothing set one.
   */
  public static SparkSession create(String master, String appName) {
    return create(master, appName, null);
  }

  /**
   * As {@link #create(String, String)}, shipping {@code jars} (comma-separated, the command line's
   * {@code --jars}) to the executors in addition to any {@code spark.jars} already set.
   */
  public static SparkSession create(String master, String appName, String jars) {
    SparkConf conf = new SparkConf();
    if (jars != null && !jars.isBlank()) {
      String given = conf.get("spark.jars", "");
      conf.set("spark.jars", given.isBlank() ? jars : given + "," + jars);
    }
    String chosen = master != null ? master : conf.get("spark.master", EMBEDDED_MASTER);
    conf.setMaster(chosen);
    conf.setIfMissing("spark.app.name", appName);
    conf.setIfMissing("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.setIfMissing("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    // Trial parameter structs gain fields when a later sweep adds parameters.
    conf.setIfMissing("spark.databricks.delta.schema.autoMerge.enabled", "true");
    String executorOptions = conf.get("spark.executor.extraJavaOptions", "");
    if (!executorOptions.contains("ai.djl.pytorch.num_threads")) {
      conf.set("spark.executor.extraJavaOptions", (executorOptions + " " + EXECUTOR_OPTIONS).trim());
    }
    if (chosen.startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.sql.shuffle.partitions", "8");
      conf.setIfMissing("spark.databricks.delta.snapshotPartitions", "2");
    }
    if (chosen.startsWith("local-cluster")) {
      configureEmbeddedCluster(conf, chosen);
    }
    LOG.info("starting Spark: master {}", chosen);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /** Whether tasks of this session share one JVM (local[N]), where only one trial may train at a time. */
  public static boolean isSingleJvm(SparkSession spark) {
    String master = spark.sparkContext().master();
    return master.startsWith("local") && !master.startsWith("local-cluster");
  }

  /** Whether executors carry the one-trainer-per-executor slot resource. */
  public static boolean hasTrainerSlots(SparkSession spark) {
    return spark.sparkContext().getConf().contains("spark.executor.resource." + TRAINER_RESOURCE + ".amount");
  }

  private static void configureEmbeddedCluster(SparkConf conf, String master) {
    String sparkHome = System.getenv("SPARK_HOME");
    if (sparkHome == null || System.getenv("SPARK_SCALA_VERSION") == null) {
      throw new IllegalStateException("the embedded cluster (" + EMBEDDED_MASTER + ") needs SPARK_HOME and"
          + " SPARK_SCALA_VERSION in the environment, which bin/prepsweep sets; run through bin/prepsweep,"
          + " or pass --master local[2] (one trial at a time) or a cluster URL");
    }
    LocalSparkHome home = LocalSparkHome.fromThisJvm(Path.of(sparkHome));
    if (!home.extraClassPath().isEmpty()) {
      conf.setIfMissing("spark.executor.extraClassPath", home.extraClassPath());
    }
    Path script = writeSlotScript(home.home());
    conf.setIfMissing("spark.worker.resource." + TRAINER_RESOURCE + ".amount", "1");
    conf.setIfMissing("spark.worker.resource." + TRAINER_RESOURCE + ".discoveryScript", script.toString());
    conf.setIfMissing("spark.executor.resource." + TRAINER_RESOURCE + ".amount", "1");
    // The session is ready once every executor JVM has registered (Spark waits for all expected
    // cores, at most spark.scheduler.maxRegisteredResourcesWaitingTime, 30 s): a command's first
    // jobs, and a sweep's clock, then start on a running cluster rather than on executors still
    // starting. Standalone scheduling expects spark.cores.max cores, so that is the cluster's total.
    Matcher shape = LOCAL_CLUSTER.matcher(master);
    if (shape.matches()) {
      conf.setIfMissing("spark.cores.max", String.valueOf(Integer.parseInt(shape.group(1)) * Integer.parseInt(shape.group(2))));
      conf.setIfMissing("spark.scheduler.minRegisteredResourcesRatio", "1.0");
    }
    String djlCache = System.getenv().getOrDefault("DJL_CACHE_DIR", System.getProperty("user.home") + "/.djl.ai");
    conf.setIfMissing("spark.executorEnv.DJL_CACHE_DIR", djlCache);
  }

  /**
   * A discovery script reporting {@code slots} trainer slots on a worker: what conf/trainer-slot.sh
   * prints, for the clusters prepsweep starts itself (no repository checkout needed).
   */
  public static String trainerSlotScript(int slots) {
    StringBuilder addresses = new StringBuilder();
    for (int i = 0; i < slots; i++) {
      addresses.append(i == 0 ? "" : ",").append('"').append(i).append('"');
    }
    return "#!/bin/sh\necho '{\"name\":\"" + TRAINER_RESOURCE + "\",\"addresses\":[" + addresses + "]}'\n";
  }

  private static Path writeSlotScript(Path home) {
    Path script = home.resolve("bin/trainer-slot.sh");
    try {
      Files.createDirectories(script.getParent());
      Files.writeString(script, trainerSlotScript(1));
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
      return script;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + script, e);
    }
  }
}
