package dev.prepsweep.tables;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import scala.Tuple2;

/**
 * The Hadoop configuration of the JVM this runs in, through Spark's public API: on an executor
 * (or the driver) Hadoop's defaults plus every {@code spark.hadoop.*} setting of the application,
 * as Spark documents them ("spark.hadoop.abc.def=xyz" sets the Hadoop property "abc.def"); outside
 * Spark, Hadoop's defaults. This replaces {@code SparkHadoopUtil} (private to Spark).
 */
public final class SparkHadoopConf {
  private static final String PREFIX = "spark.hadoop.";

  private SparkHadoopConf() {}

  /** A fresh configuration for this JVM (callers may change it). */
  public static Configuration current() {
    SparkEnv env = SparkEnv.get();
    return env == null ? new Configuration() : of(env.conf());
  }

  /** Hadoop's defaults overlaid with {@code conf}'s {@code spark.hadoop.*} settings. */
  public static Configuration of(SparkConf conf) {
    Configuration out = new Configuration();
    for (Tuple2<String, String> kv : conf.getAllWithPrefix(PREFIX)) {
      out.set(kv._1(), kv._2());
    }
    return out;
  }
}
