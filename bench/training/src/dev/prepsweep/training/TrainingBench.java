package dev.prepsweep.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * DJL side of the training benchmark (bench/training/README in docs/training-benchmark.md): the
 * production training loop ({@link ModelTrainer}, model {@code mlp}) on a 64-128-128-10 MLP, batch 128,
 * Adam, 5 epochs over 50k synthetic samples, one intra-op thread. Prints one JSON line per run.
 *
 * <p>Run 1 in a fresh JVM is the cold start: its time to first batch counts from JVM start (engine
 * load, data generation, encoding, model initialisation). Later runs reuse the loaded engine, the JIT-compiled
 * loop and the data in memory, as a warm executor with a cached snapshot does: their time to first
 * batch counts from the start of the run (encoding, model initialisation, first step).
 */
public final class TrainingBench {

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int n = Integer.getInteger("bench.samples", 50_000); // fewer for a quick check of the harness
    int d = 64;
    int classes = 10;
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    SplitRows train = synthetic(n, d, classes, 1);
    SplitRows val = synthetic(512, d, classes, 2);
    for (int run = 1; run <= runs; run++) {
      long t0 = System.nanoTime(); // warm runs: the data is in memory, as on an executor that cached it
      TrainingParams p = TrainingParams.from(Map.of("model", "mlp", "layers", 2L, "hidden", 128L, "batch_size", 128L,
          "optimizer", "adam", "lr", 1e-3, "epochs", 5L, "standardize", false));
      Featurizer f = Featurizer.fit(p, train);
      EpochCpu cpu = new EpochCpu();
      ModelTrainer.Result r = new ModelTrainer(p, classes, Device.cpu())
          .train(f.encode(train), f.encode(val), 42, "val_accuracy", true, null, null, null, cpu);
      double seconds = r.history().stream().mapToDouble(EpochMetrics::seconds).sum();
      double firstBatchMs = run == 1
          ? System.currentTimeMillis() - jvmStart - (System.nanoTime() - r.firstBatchNanos()) / 1e6
          : (r.firstBatchNanos() - t0) / 1e6;
      System.out.printf("{\"impl\":\"djl-%s\",\"run\":%d,\"threads\":%s,\"samples_per_s\":%.0f,"
              + "\"cpu_samples_per_s\":%.0f,\"first_batch_ms\":%.0f,\"first_batch_from\":\"%s\","
              + "\"final_train_loss\":%.4f}%n",
          Engine.getInstance().getEngineName() + "-" + Engine.getInstance().getVersion(), run,
          System.getProperty("ai.djl.pytorch.num_threads", "default"),
          n * p.epochs() / seconds, cpu.samplesPerSecond(n), firstBatchMs, run == 1 ? "jvm_start" : "run_start",
          r.history().get(r.history().size() - 1).trainLoss());
    }
  }

  /**
   * The training thread's CPU time at the end of each epoch (the callback runs on it): samples per
   * CPU-second over epochs 2 to the last, which a loaded machine's waits for a core leave out
   * (torch_mlp.py and torchscript_mlp.py measure the same span with {@code time.thread_time}).
   */
  static final class EpochCpu implements java.util.function.Consumer<EpochMetrics> {
    private final java.util.List<Long> nanos = new java.util.ArrayList<>();

    @Override
    public void accept(EpochMetrics m) {
      nanos.add(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
    }

    double samplesPerSecond(int n) {
      return nanos.size() < 2 ? Double.NaN
          : (double) n * (nanos.size() - 1) / ((nanos.get(nanos.size() - 1) - nanos.get(0)) / 1e9);
    }
  }

  /** Gaussian inputs labelled by a fixed random linear teacher (learnable, balanced enough). */
  static SplitRows synthetic(int n, int d, int classes, long seed) {
    SplittableRandom teacher = new SplittableRandom(12345);
    double[][] w = new double[classes][d];
    for (double[] row : w) {
      for (int j = 0; j < d; j++) {
        row[j] = teacher.nextDouble(-1, 1);
      }
    }
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] x = new double[n][d];
    int[] y = new int[n];
    String[] texts = new String[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
      }
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
          s += w[c][j] * x[i][j];
        }
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      y[i] = best;
      texts[i] = "";
    }
    return new SplitRows(texts, y, x, null);
  }
}
