package dev.prepsweep.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Map;

/**
 * DJL side of the TorchScript benchmark (bench/training/torchscript.sh): prepsweep's trial loop
 * ({@link ModelTrainer}, {@code model: torchscript}) fine-tuning the scripted 64-128-128-10 MLP that
 * torchscript_mlp.py wrote, Adam, 5 epochs over the same synthetic data as {@link TrainingBench}, one
 * intra-op thread. Args: module path, runs, batch size. Prints one JSON line per run (the last runs are warm).
 */
public final class TorchScriptBench {

  public static void main(String[] args) {
    String module = args[0];
    int runs = Integer.parseInt(args[1]);
    int batch = Integer.parseInt(args[2]);
    int n = Integer.getInteger("bench.samples", 50_000);
    SplitRows train = TrainingBench.synthetic(n, 64, 10, 1);
    SplitRows val = TrainingBench.synthetic(512, 64, 10, 2);
    for (int run = 1; run <= runs; run++) {
      TrainingParams p = TrainingParams.from(Map.of("model", "torchscript", "path", module, "inputs", "features",
          "batch_size", (long) batch, "optimizer", "adam", "lr", 1e-3, "epochs", 5L));
      Featurizer f = Featurizer.fit(p, train);
      TrainingBench.EpochCpu cpu = new TrainingBench.EpochCpu();
      ModelTrainer.Result r = new ModelTrainer(p, 10, Device.cpu())
          .train(f.encode(train), f.encode(val), 42, "val_accuracy", true, null, null, null, cpu);
      double seconds = r.history().stream().mapToDouble(EpochMetrics::seconds).sum();
      long steps = 5L * ((n + batch - 1) / batch);
      System.out.printf("{\"impl\":\"djl-%s-torchscript\",\"run\":%d,\"batch\":%d,\"samples_per_s\":%.0f,"
              + "\"cpu_samples_per_s\":%.0f,\"ms_per_step\":%.4f,\"final_train_loss\":%.4f}%n",
          Engine.getInstance().getEngineName() + "-" + Engine.getInstance().getVersion(), run, batch,
          n * p.epochs() / seconds, cpu.samplesPerSecond(n), seconds * 1000 / steps, r.history().get(r.history().size() - 1).trainLoss());
    }
  }
}
