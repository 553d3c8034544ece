package dev.prepsweep.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;

/**
 * Measures what serving a trained block costs, on the device and in the JVM that trained it. One
 * call is what a scoring service does per request: copy the encoded rows to the device, forward in
 * inference mode, softmax, copy the probabilities back (featurizing the raw text or image is not
 * included: it does not depend on the trial's parameters). {@link ServingSettings#warmupCalls()} untimed
 * calls first let PyTorch pick kernels and allocate its caches, then {@link ServingSettings#calls()}
 * calls of one row each give the latency percentiles ({@link LatencyStats}) and as many calls of
 * {@link ServingSettings#batchSize()} rows give the throughput. Inputs are validation rows, cycled.
 *
 * <p>Noise: the caller holds the JVM's one training permit, so no other trial of this executor trains
 * meanwhile; trials of other executors on the same host may. The host's load per core is sampled
 * before and after and the larger is kept with the result, so readers can tell a quiet measurement
 * (at most 1) from one that waited for the CPU (docs/training.md).
 */
final class ServingProbe {

  private final ServingSettings settings;

  ServingProbe(ServingSettings settings) {
    this.settings = settings;
  }

  /** The serving cost of {@code block} on {@code rows} (train seconds 0; the trainer adds them). */
  ServingCost measure(Block block, ParameterStore ps, NDManager manager, Featurizer.Encoded rows) {
    if (rows.size() == 0) {
      throw new IllegalStateException("cannot measure serving latency without validation rows");
    }
    double loadBefore = loadPerCore();
    NoGrad.enter();
    for (int i = 0; i < settings.warmupCalls(); i++) {
      call(block, ps, manager, rows, i, 1);
      call(block, ps, manager, rows, i, settings.batchSize());
    }
    long[] single = new long[settings.calls()];
    for (int i = 0; i < single.length; i++) {
      single[i] = call(block, ps, manager, rows, i, 1);
    }
    long batchedNanos = 0;
    for (int i = 0; i < settings.calls(); i++) {
      batchedNanos += call(block, ps, manager, rows, i * settings.batchSize(), settings.batchSize());
    }
    LatencyStats.Summary latency = LatencyStats.of(single);
    double throughput = LatencyStats.throughput((long) settings.calls() * settings.batchSize(), Math.max(1, batchedNanos));
    double load = Math.max(loadBefore, loadPerCore());
    return new ServingCost(latency.p50Ms(), latency.p95Ms(), throughput, settings.batchSize(), paramCount(block),
        modelBytes(block), 0, load);
  }

  /** One timed call on {@code count} rows starting at row {@code from} (wrapping around). */
  private static long call(Block block, ParameterStore ps, NDManager manager, Featurizer.Encoded rows, int from,
      int count) {
    int rowSize = Math.toIntExact(ModelTrainer.shape(1, rows.rowShape()).size());
    Shape shape = ModelTrainer.shape(count, rows.rowShape());
    // the host batch is assembled before the clock starts: a service receives its rows already encoded
    float[] floats = rows.floats() == null ? null : new float[count * rowSize];
    long[] ids = rows.ids() == null ? null : new long[count * rowSize];
    for (int i = 0; i < count; i++) {
      int row = Math.floorMod(from + i, rows.size());
      if (floats != null) {
        System.arraycopy(rows.floats(), row * rowSize, floats, i * rowSize, rowSize);
      } else {
        System.arraycopy(rows.ids(), row * rowSize, ids, i * rowSize, rowSize);
      }
    }
    long started = System.nanoTime();
    try (NDScope scope = new NDScope()) {
      NDArray x = floats != null ? manager.create(floats, shape) : manager.create(ids, shape);
      NDArray logits = block.forward(ps, new NDList(x), false).singletonOrThrow();
      float[] p = logits.softmax(1).toType(DataType.FLOAT32, false).toFloatArray();
      if (p.length == 0) {
        throw new IllegalStateException("the model returned no probabilities");
      }
    }
    return System.nanoTime() - started;
  }

  /** Scalars in the block's parameters. */
  static long paramCount(Block block) {
    long n = 0;
    for (Parameter p : block.getParameters().values()) {
      n += p.getArray().getShape().size();
    }
    return n;
  }

  /** Bytes of the block's parameters as {@link Block#saveParameters} writes them (the saved model's file). */
  static long modelBytes(Block block) {
    CountingStream counter = new CountingStream();
    try (DataOutputStream out = new DataOutputStream(counter)) {
      block.saveParameters(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize the model to measure its size", e);
    }
    return counter.count;
  }

  /** The 1-minute load average per core, NaN where the OS reports none. */
  static double loadPerCore() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    double load = os.getSystemLoadAverage();
    return load < 0 ? Double.NaN : load / os.getAvailableProcessors();
  }

  /** An output stream that only counts. */
  private static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
