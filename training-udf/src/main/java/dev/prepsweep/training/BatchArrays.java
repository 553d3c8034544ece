package dev.prepsweep.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The training loop's batch inputs: direct buffers the loop fills row by row (DJL wraps a direct
 * buffer without copying, where a heap array costs a fresh direct buffer per batch whose release waits
 * for the garbage collector), and the two arrays over them, the rows and the loss targets.
 *
 * <p>On the CPU an array made from a direct buffer shares the buffer's memory (PyTorch's {@code from_blob},
 * through the public {@link NDManager#create(java.nio.Buffer, Shape, DataType)}): one pair of arrays per
 * batch length then serves every step while the loop rewrites the buffers beneath them, which saves
 * creating and freeing two native tensors per step (docs/training-benchmark.md, "Profile of a step").
 * {@code BatchArraysTest} fails if an engine upgrade starts copying. On a GPU the engine copies the
 * buffer to the device, so every step makes fresh arrays in the caller's {@link NDScope}.
 */
final class BatchArrays {
  private final NDManager manager;
  private final boolean shared;
  private final long[] rowShape;
  private final int rowBytes;
  private final int classes;
  private final DataType inputType;
  private final ByteBuffer xBytes;
  private final ByteBuffer tBytes;
  private final FloatBuffer xFloats;
  private final LongBuffer xIds;
  private final FloatBuffer targets;
  /** Shared arrays by batch length (the full batch and the epoch's last, shorter one): {input, target}. */
  private final Map<Integer, NDList> byLength = new HashMap<>();

  /**
   * @param ids whether the rows are token ids (int64) rather than features (float32)
   */
  BatchArrays(NDManager manager, Device device, int batchSize, long[] rowShape, boolean ids, int classes) {
    this.manager = manager;
    this.shared = Device.Type.CPU.equals(device.getDeviceType());
    this.rowShape = rowShape;
    this.classes = classes;
    this.inputType = ids ? DataType.INT64 : DataType.FLOAT32;
    int rowSize = Math.toIntExact(ModelTrainer.shape(1, rowShape).size());
    this.rowBytes = rowSize * (ids ? Long.BYTES : Float.BYTES);
    this.xBytes = ByteBuffer.allocateDirect(batchSize * rowBytes).order(ByteOrder.nativeOrder());
    this.tBytes = ByteBuffer.allocateDirect(batchSize * classes * Float.BYTES).order(ByteOrder.nativeOrder());
    this.xFloats = ids ? null : xBytes.asFloatBuffer();
    this.xIds = ids ? xBytes.asLongBuffer() : null;
    this.targets = tBytes.asFloatBuffer();
  }

  /** Empties the buffers for the next batch's rows (which the loop then puts from the start). */
  void clear() {
    if (xFloats != null) {
      xFloats.clear();
    } else {
      xIds.clear();
    }
    targets.clear();
  }

  /** The rows' buffer when they are features, else null. */
  FloatBuffer floats() {
    return xFloats;
  }

  /** The rows' buffer when they are token ids, else null. */
  LongBuffer ids() {
    return xIds;
  }

  /** The loss targets' buffer, {@code classes} floats per row. */
  FloatBuffer targets() {
    return targets;
  }

  /**
   * {input, target} over the first {@code m} rows of the buffers as they are now. Call inside the step's
   * {@link NDScope}: on a GPU the arrays are new and the scope frees them; on the CPU they are the shared
   * ones, kept out of every scope and freed with the manager.
   */
  NDList arrays(int m) {
    if (!shared) {
      return create(m);
    }
    NDList arrays = byLength.get(m);
    if (arrays == null) {
      arrays = create(m);
      for (NDArray a : arrays) {
        NDScope.unregister(a);
      }
      byLength.put(m, arrays);
    }
    return arrays;
  }

  private NDList create(int m) {
    xBytes.clear().limit(m * rowBytes);
    tBytes.clear().limit(m * classes * Float.BYTES);
    NDArray input = manager.create(xBytes, ModelTrainer.shape(m, rowShape), inputType);
    NDArray target = manager.create(tBytes, new Shape(m, classes), DataType.FLOAT32);
    return new NDList(input, target);
  }
}
