package dev.prepsweep.training;

import dev.prepsweep.common.TableVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Run in its own JVM by {@link GpuAddressTest}: a {@code local-cluster} with one worker whose GPU
 * discovery script reports fake addresses, two concurrent trial tasks of one GPU each. Prints one
 * {@code ADDR <gpu> <start millis> <end millis>} line per task.
 */
public final class GpuAddressProbe {
  public static void main(String[] args) throws Exception {
    String discovery = args[0];
    String extraClassPath = args[1];
    String executorOptions = args[2];
    SparkSession spark = SparkSession.builder()
        .master("local-cluster[1,2,1024]")
        .appName("gpu-address-probe")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.worker.resource.gpu.amount", "2")
        .config("spark.worker.resource.gpu.discoveryScript", discovery)
        .config("spark.executor.resource.gpu.amount", "2")
        .config("spark.executor.resource.gpu.discoveryScript", discovery)
        .config("spark.task.resource.gpu.amount", "1")
        .config("spark.executor.extraClassPath", extraClassPath)
        .config("spark.executor.extraJavaOptions", executorOptions)
        .getOrCreate();
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      TableVersion none = new TableVersion("train", "/nonexistent", 0);
      List<TrialSpec> specs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        // an invalid model name: the trial fails fast, after picking up its GPU address
        specs.add(new TrialSpec("probe", i, 1, Map.of("model", "none"), i, "val_accuracy", true, none, none,
            List.of("a", "b"), false));
      }
      List<String> lines = jsc.parallelize(specs, 2).map(spec -> {
        long start = System.currentTimeMillis();
        TrialOutcome o = TrialTask.run(spec);
        Thread.sleep(3000); // hold the GPU so both tasks overlap
        return "ADDR " + o.gpuAddress() + " " + start + " " + System.currentTimeMillis() + " " + o.error();
      }).collect();
      lines.forEach(System.out::println);
    } finally {
      spark.stop();
    }
  }
}
