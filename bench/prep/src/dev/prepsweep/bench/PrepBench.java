package dev.prepsweep.bench;

import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.etl.PrepJob;
import dev.prepsweep.etl.PrepResult;
import dev.prepsweep.etl.internal.Balancer;
import dev.prepsweep.tables.DeltaIO;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the prep job on a generated CSV the way the reference script does its steps (exact dedupe,
 * mean imputation, stratified 80/10/10 split, SMOTE to the majority count), then random
 * under-sampling of train to the minority count, and writes timings and the heap peak as JSON.
 *
 * <p>With {@code -Dbench.runs=N} (N > 1) it does the whole measured run N times in the same JVM and
 * session, each into its own warehouse: OUT.json holds the first (cold JVM, as a spark-submit job)
 * and OUT-warm.json the per-figure medians of the later ones (a driver that has already run a prep:
 * a notebook or any long-lived session).
 *
 * <p>Usage: PrepBench IN.csv WAREHOUSE OUT.json [SEED]
 */
public final class PrepBench {
  static final String CONFIG = """
      prep:
        input: {format: csv, path: %s}
        columns: {id: id, label: label, text: text, features: [f0, f1, f2, f3, f4, f5, f6, f7]}
        clean: {unicode: NFKC, lowercase: true, min_text_chars: 1, missing: {'*': mean}}
        dedupe: {exact: true}
        split: {train: 0.8, val: 0.1, test: 0.1, stratify: true}
        balance: {method: smote, target: max, k: 5, class_weights: true}
      """;

  public static void main(String[] args) throws Exception {
    Path csv = Path.of(args[0]).toAbsolutePath();
    String warehouse = args[1];
    Path out = Path.of(args[2]);
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 42L;
    AtomicLong peak = new AtomicLong();
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();

    int cores = Integer.getInteger("bench.cores", 2);
    int runs = Integer.getInteger("bench.runs", 1);
    SparkSession spark = Sessions.local(cores);
    List<Map<String, Object>> results = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      peak.set(0);
      results.add(measure(spark, cores, csv, runs == 1 ? warehouse : warehouse + "/run-" + run, seed, peak));
    }
    sampler.interrupt();
    write(out, results.get(0));
    if (runs > 1) {
      Map<String, Object> warm = new LinkedHashMap<>(results.get(1));
      for (String key : warm.keySet()) {
        if (key.endsWith("_s") || key.endsWith("_mib")) {
          double[] v = results.subList(1, runs).stream().mapToDouble(r -> ((Number) r.get(key)).doubleValue()).sorted().toArray();
          warm.put(key, v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
        }
      }
      warm.put("warm_runs", runs - 1);
      write(Path.of(out.toString().replace(".json", "-warm.json")), warm);
    }
    spark.stop();
  }

  /** One measured run: the prep job, then under-sampling of its train table. */
  private static Map<String, Object> measure(SparkSession spark, int cores, Path csv, String warehouse, long seed,
      AtomicLong peak) {
    PrepConfig config = PrepConfig.parse(ConfigNode.parse(CONFIG.formatted(csv), "bench.yaml").required("prep"));
    long t0 = System.nanoTime();
    PrepResult r = PrepJob.run(spark, config, warehouse, seed);
    double prepSeconds = (System.nanoTime() - t0) / 1e9;
    Row run = spark.read().format("delta").load(r.tables().get("prep_runs").path())
        .where("run_id = '" + r.runId() + "'").first();
    Map<String, Long> durations = run.getJavaMap(run.fieldIndex("duration_ms"));
    Map<String, Long> rowsIn = run.getJavaMap(run.fieldIndex("rows_in"));

    // random under-sampling of train to the minority count (RandomUnderSampler's default)
    long t1 = System.nanoTime();
    PrepConfig.Balance under = new PrepConfig.Balance(PrepConfig.BalanceMethod.RANDOM, "min", Map.of(), 5, false);
    DeltaIO.Written uw;
    try (dev.prepsweep.etl.internal.Scratch scratch = new dev.prepsweep.etl.internal.Scratch(spark, warehouse, "undersample")) {
      Balancer.Result u = Balancer.apply(DeltaIO.read(spark, r.tables().get("train")), under, seed, scratch);
      uw = DeltaIO.overwrite(u.rows(), warehouse, "train_undersampled");
    }
    double underSeconds = (System.nanoTime() - t1) / 1e9;

    long train = r.splitClassCounts().get("train").values().stream().mapToLong(Long::longValue).sum();
    Map<String, Object> res = new LinkedHashMap<>();
    res.put("engine", "prepsweep (Spark local[" + cores + "])");
    res.put("rows_read", r.rowsRead());
    res.put("rows_clean", r.rowsClean());
    res.put("duplicates_removed", r.duplicatesRemoved());
    res.put("rows_train", train);
    res.put("rows_undersampled", uw.rows());
    res.put("read_clean_s", durations.get("clean") / 1e3);
    res.put("dedupe_s", (durations.get("dedupe") + durations.getOrDefault("quarantine", 0L)) / 1e3);
    res.put("impute_write_clean_s", durations.get("clean_table") / 1e3);
    res.put("split_s", durations.get("split") / 1e3);
    res.put("smote_s", durations.get("balance") / 1e3);
    res.put("smote_rows_in", rowsIn.get("balance"));
    res.put("undersample_s", underSeconds);
    res.put("prep_end_to_end_s", prepSeconds);
    res.put("end_to_end_s", prepSeconds + underSeconds);
    res.put("heap_peak_mib", peak.get() / (1024.0 * 1024.0));
    res.put("heap_max_mib", Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0));
    return res;
  }

  private static void write(Path out, Map<String, Object> res) throws IOException {
    StringBuilder json = new StringBuilder("{");
    res.forEach((k, v) -> json.append(json.length() > 1 ? ", " : "").append('"').append(k).append("\": ")
        .append(v instanceof String ? "\"" + v + "\"" : v.toString()));
    json.append("}\n");
    Files.writeString(out, json.toString(), StandardCharsets.UTF_8);
    System.out.print(json);
  }
}
