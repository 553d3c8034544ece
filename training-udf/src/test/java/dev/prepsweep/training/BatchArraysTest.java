package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * The training loop's shared batch arrays on the CPU: the engine's array over a direct buffer must see
 * the buffer rewritten (from_blob, no copy). If a DJL or PyTorch upgrade starts copying, these fail and
 * training would silently repeat the first batch: BatchArrays must then make arrays per step again.
 */
class BatchArraysTest {

  @Test
  void cpuArraysShareTheBuffersAcrossSteps() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      BatchArrays batches = new BatchArrays(manager, Device.cpu(), 2, new long[] {3}, false, 2);
      fill(batches, 1f, 2);
      NDList first;
      try (NDScope scope = new NDScope()) {
        first = batches.arrays(2);
        assertThat(first.get(0).toFloatArray()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
      }
      // the scope closed, the shared arrays live on; the next batch's rows are what they read
      fill(batches, 10f, 2);
      try (NDScope scope = new NDScope()) {
        NDList second = batches.arrays(2);
        assertThat(second.get(0)).isSameAs(first.get(0));
        assertThat(second.get(0).toFloatArray()).containsExactly(10f, 11f, 12f, 13f, 14f, 15f);
        assertThat(second.get(1).toFloatArray()).containsExactly(-10f, -11f, -12f, -13f);
        // what the loss does with them: an op over the shared array reads the current rows
        assertThat(second.get(0).sum().toFloatArray()[0]).isEqualTo(75f);
      }
    }
  }

  @Test
  void theEpochsShorterLastBatchHasItsOwnArraysOverTheSameBuffers() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      BatchArrays batches = new BatchArrays(manager, Device.cpu(), 2, new long[] {3}, false, 2);
      fill(batches, 1f, 2);
      NDArray full = batches.arrays(2).get(0);
      fill(batches, 7f, 1);
      NDArray last = batches.arrays(1).get(0);
      assertThat(last.getShape()).isEqualTo(new Shape(1, 3));
      assertThat(last.toFloatArray()).containsExactly(7f, 8f, 9f);
      assertThat(full.getShape()).isEqualTo(new Shape(2, 3));
      assertThat(batches.arrays(2).get(0)).isSameAs(full);
    }
  }

  @Test
  void tokenIdsAreInt64() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      BatchArrays batches = new BatchArrays(manager, Device.cpu(), 2, new long[] {2}, true, 2);
      batches.clear();
      batches.ids().put(new long[] {5, 6, 7, 8});
      batches.targets().put(new float[] {0, 1, 1, 0});
      NDArray ids = batches.arrays(2).get(0);
      assertThat(ids.getDataType()).isEqualTo(DataType.INT64);
      assertThat(ids.toLongArray()).containsExactly(5L, 6L, 7L, 8L);
      batches.clear();
      batches.ids().put(new long[] {1, 2, 3, 4});
      assertThat(batches.arrays(2).get(0).toLongArray()).containsExactly(1L, 2L, 3L, 4L);
    }
  }

  /** Rows {@code from, from+1, ...} (3 floats each) and targets {@code -from, -from-1, ...}, as the loop puts them. */
  private static void fill(BatchArrays batches, float from, int rows) {
    batches.clear();
    for (int i = 0; i < rows * 3; i++) {
      batches.floats().put(from + i);
    }
    for (int i = 0; i < rows * 2; i++) {
      batches.targets().put(-(from + i));
    }
  }
}
