package dev.prepsweep.app.driver;

import dev.prepsweep.app.config.TrialResources;
import dev.prepsweep.app.spark.SparkSessions;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * How many attempts the cluster has room for now, for either launcher: the executors alive (Spark's
 * status tracker lists the driver too) times their trial slots. Under dynamic allocation one executor
 * more, up to {@code spark.dynamicAllocation.maxExecutors}: Spark adds executors only for tasks that
 * wait, so there must be trials waiting for the sweep to grow.
 */
final class TrialCapacity {
  private final SparkContext sc;
  private final int slotsPerExecutor;
  private final boolean singleJvm;
  private final boolean dynamicAllocation;
  private final int maxExecutors;

  TrialCapacity(SparkSession spark, TrialResources resources) {
    this.sc = spark.sparkContext();
    SparkConf conf = sc.getConf();
    this.singleJvm = SparkSessions.isSingleJvm(spark);
    this.slotsPerExecutor = SparkSessions.hasTrainerSlots(spark)
        ? (int) conf.getDouble("spark.executor.resource." + SparkSessions.TRAINER_RESOURCE + ".amount", 1)
        : conf.contains("spark.executor.cores") ? conf.getInt("spark.executor.cores", 1) / resources.cpus() : 0;
    this.dynamicAllocation = conf.getBoolean("spark.dynamicAllocation.enabled", false);
    this.maxExecutors = conf.getInt("spark.dynamicAllocation.maxExecutors", Integer.MAX_VALUE);
  }

  /** The room now; {@code watch} counts the executors that joined since the sweep started. */
  int now(AttemptWatch watch) {
    if (singleJvm) {
      return Integer.MAX_VALUE;
    }
    // the status tracker knows the executors that were there before the sweep; the watch those added since
    // (the tracker's store can lag far behind Spark's listener bus on a loaded driver)
    int executors = Math.max(sc.statusTracker().getExecutorInfos().length - 1, watch.executorsJoined());
    if (dynamicAllocation) {
      executors = Math.min(maxExecutors, executors + 1);
    }
    if (slotsPerExecutor <= 0) {
      return executors == 0 ? 0 : Integer.MAX_VALUE;
    }
    return executors * slotsPerExecutor;
  }
}
