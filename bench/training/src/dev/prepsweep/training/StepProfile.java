package dev.prepsweep.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Where a training step's time goes (docs/training-benchmark.md, "Profile of a step"): the step of
 * {@link ModelTrainer} taken apart into its phases, each timed in the thread's CPU time (so a loaded
 * machine's waits for a core are left out) over thousands of warm steps, with the arrays each phase creates (one native tensor, one JNI call to make
 * it and one to free it, each). Args: {@code mlp} or a TorchScript module path, batch size, steps.
 * Prints one JSON line: mean CPU microseconds per phase, arrays per step, wall and CPU microseconds per step.
 *
 * <p>The phases are the trial loop's own calls in the same order ({@code ModelTrainer.step} is private;
 * this copy must follow it when it changes). Each CPU-time read is a system call (about 0.3-1 us), which
 * {@code phases_us} includes and {@code cpu_us} partly too; compare phases with each other and with
 * step_profile.py's, which reads the same clock the same number of times.
 */
public final class StepProfile {
  private static final String[] PHASES = {"assemble", "upload", "collector_open", "forward", "loss", "loss_read",
      "backward", "collector_close", "optimizer", "scope_close"};
  private static final int COUNTED_STEPS = 100;

  public static void main(String[] args) {
    String model = args.length > 0 ? args[0] : "mlp"; // -Dprofile.before=true: the step before issue 14's changes
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
    int n = 50_000;
    SplitRows rows = TrainingBench.synthetic(n, 64, 10, 1);
    TrainingParams p = TrainingParams.from(model.equals("mlp")
        ? Map.of("model", "mlp", "layers", 2L, "hidden", 128L, "batch_size", (long) batch, "optimizer", "adam",
            "lr", 1e-3, "epochs", 1L, "standardize", false)
        : Map.of("model", "torchscript", "path", model, "inputs", "features", "batch_size", (long) batch,
            "optimizer", "adam", "lr", 1e-3, "epochs", 1L));
    Featurizer.Encoded train = Featurizer.fit(p, rows).encode(rows);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] nanos = new long[PHASES.length];
    long[] arrays = new long[PHASES.length];
    Engine.getInstance().setRandomSeed(42);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Block block = Models.create(p, 10, manager, new Shape(batch, 64));
      ParameterStore ps = new ParameterStore(manager, false);
      List<Parameter> parameters = new ArrayList<>(block.getParameters().values());
      Optim optim = new Optim(p, parameters);
      boolean before = Boolean.getBoolean("profile.before"); // the step as it was before issue 14's work
      ByteBuffer xBytes = ByteBuffer.allocateDirect(batch * 64 * Float.BYTES).order(ByteOrder.nativeOrder());
      ByteBuffer tBytes = ByteBuffer.allocateDirect(batch * 10 * Float.BYTES).order(ByteOrder.nativeOrder());
      BatchArrays batches = new BatchArrays(manager, Device.cpu(), batch, new long[] {64}, false, 10);
      FloatBuffer xf = before ? xBytes.asFloatBuffer() : batches.floats();
      FloatBuffer tf = before ? tBytes.asFloatBuffer() : batches.targets();
      int[] order = ModelTrainer.permutation(n, new SplittableRandom(7));
      // the trial's loop copies a full batch's target rows pre-scaled (-1/batch), and reuses the backward's seed
      float[] scaledTargets = new float[n * 10];
      for (int row = 0; row < n; row++) {
        scaledTargets[row * 10 + train.labels()[row]] = -1f / batch;
      }
      boolean old = Boolean.getBoolean("profile.beforeBackward"); // the step before the seed reuse and bulk targets
      LossBackward seed = new LossBackward(manager);
      int warmup = Math.max(1000, steps / 2);
      long cpuStart = 0;
      long wallStart = 0;
      for (int s = 0; s < warmup + steps; s++) {
        if (s == warmup) {
          java.util.Arrays.fill(nanos, 0);
          cpuStart = threads.getCurrentThreadCpuTime();
          wallStart = System.nanoTime();
        }
        long t = threads.getCurrentThreadCpuTime();
        boolean counting = s < COUNTED_STEPS;
        counted = counting ? manager.getManagedArrays().size() : -1;
        int from = (s * batch) % (n - batch);
        if (before) {
          xf.clear();
          tf.clear();
        } else {
          batches.clear();
        }
        for (int i = 0; i < batch; i++) {
          int row = order[from + i];
          xf.put(train.floats(), row * 64, 64);
          if (before || old) {
            for (int c = 0; c < 10; c++) {
              tf.put(c == train.labels()[row] ? -1f / batch : 0f);
            }
          } else {
            tf.put(scaledTargets, row * 10, 10);
          }
        }
        t = lap(threads, nanos, arrays, 0, t, manager, counting);
        try (NDScope scope = new NDScope()) {
          NDList inputs = before
              ? new NDList(manager.create(xBytes.clear(), new Shape(batch, 64), DataType.FLOAT32),
                  manager.create(tBytes.clear(), new Shape(batch, 10), DataType.FLOAT32))
              : batches.arrays(batch);
          NDArray input = inputs.get(0);
          NDArray target = inputs.get(1);
          t = lap(threads, nanos, arrays, 1, t, manager, counting);
          float value;
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            t = lap(threads, nanos, arrays, 2, t, manager, counting);
            NDArray logits = block.forward(ps, new NDList(input), true).singletonOrThrow();
            t = lap(threads, nanos, arrays, 3, t, manager, counting);
            NDArray loss = logits.logSoftmax(1).mul(target).sum();
            t = lap(threads, nanos, arrays, 4, t, manager, counting);
            value = before ? loss.getFloat() : loss.toFloatArray()[0];
            t = lap(threads, nanos, arrays, 5, t, manager, counting);
            if (before || old) {
              collector.backward(loss);
            } else {
              seed.backward(collector, loss);
            }
            t = lap(threads, nanos, arrays, 6, t, manager, counting);
          }
          t = lap(threads, nanos, arrays, 7, t, manager, counting);
          optim.step(1e-3);
          t = lap(threads, nanos, arrays, 8, t, manager, counting);
          if (!Float.isFinite(value)) {
            throw new IllegalStateException("loss " + value);
          }
        }
        lap(threads, nanos, arrays, 9, t, manager, counting);
      }
      double cpuUs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / steps;
      double wallUs = (System.nanoTime() - wallStart) / 1e3 / steps;
      StringBuilder json = new StringBuilder("{\"impl\":\"djl-step-profile" + (before ? "-before" : old ? "-before-backward" : "")
          + "\",\"model\":\"")
          .append(model.equals("mlp") ? "mlp" : "torchscript").append("\",\"batch\":").append(batch)
          .append(",\"steps\":").append(steps);
      double sum = 0;
      for (int i = 0; i < PHASES.length; i++) {
        sum += nanos[i] / 1e3 / steps;
        json.append(String.format(",\"%s_us\":%.1f", PHASES[i], nanos[i] / 1e3 / steps));
      }
      long made = 0;
      for (int i = 0; i < PHASES.length; i++) {
        made += Math.max(0, arrays[i]);
        json.append(String.format(",\"%s_arrays\":%.1f", PHASES[i], arrays[i] / (double) COUNTED_STEPS));
      }
      json.append(String.format(",\"phases_us\":%.1f,\"wall_us\":%.1f,\"cpu_us\":%.1f,\"arrays_per_step\":%.1f}",
          sum, wallUs, cpuUs, made / (double) COUNTED_STEPS));
      System.out.println(json);
    }
  }

  private static int counted = -1; // the manager's array count at the last lap of a counting step, or -1

  /**
   * Adds the time since {@code t} to phase {@code i}; on a counting step (the first warm-up steps, whose
   * times are discarded: listing the manager's arrays is slow) also the arrays the phase left on the manager.
   */
  private static long lap(ThreadMXBean threads, long[] nanos, long[] arrays, int i, long t, NDManager manager,
      boolean counting) {
    long now = threads.getCurrentThreadCpuTime();
    nanos[i] += now - t;
    if (counting) {
      int size = manager.getManagedArrays().size();
      if (counted >= 0) {
        arrays[i] += size - counted;
      }
      counted = size;
      return threads.getCurrentThreadCpuTime();
    }
    return now;
  }
}
