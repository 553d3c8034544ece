package dev.prepsweep.bench;

import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.etl.PrepJob;
import dev.prepsweep.etl.PrepResult;
import java.nio.file.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Runs PrepJob once from a YAML file: RunPrep CONFIG.yaml WAREHOUSE [SEED]. Prints the result. */
public final class RunPrep {
  public static void main(String[] args) {
    ConfigNode root = ConfigNode.parse(Path.of(args[0]));
    PrepConfig config = PrepConfig.parse(root.required("prep"));
    SparkSession spark = Sessions.local(Integer.getInteger("bench.cores", 2));
    long t0 = System.nanoTime();
    PrepResult r = PrepJob.run(spark, config, args[1], args.length > 2 ? Long.parseLong(args[2]) : 42L);
    System.out.printf("prep done in %.1f s: read=%d clean=%d quarantined=%d duplicates=%d%n",
        (System.nanoTime() - t0) / 1e9, r.rowsRead(), r.rowsClean(), r.rowsQuarantined(), r.duplicatesRemoved());
    System.out.println("splits " + r.splitClassCounts());
    Row run = spark.read().format("delta").load(r.tables().get("prep_runs").path())
        .where("run_id = '" + r.runId() + "'").first();
    System.out.println("duration_ms " + run.getJavaMap(run.fieldIndex("duration_ms")));
    spark.stop();
  }
}
