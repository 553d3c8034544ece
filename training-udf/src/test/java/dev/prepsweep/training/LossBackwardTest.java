package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The training step's backward with a seed gradient made once: every step's gradient must be the one
 * DJL's own {@code collector.backward} gives, also after the step's scope closed (the seed outlives it).
 */
class LossBackwardTest {

  @Test
  void gradientsEqualTheCollectorsOwnStepAfterStep() {
    float[] w0 = {0.5f, -1f, 2f};
    float[] x = {3f, 4f, -5f};
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray w = manager.create(w0);
      w.setRequiresGradient(true);
      NDArray xs = manager.create(x);
      LossBackward backward = new LossBackward(manager);
      for (int step = 0; step < 3; step++) {
        float[] ours = gradient(w, xs, backward::backward);
        float[] djls = gradient(w, xs, GradientCollector::backward);
        // loss = sum(w * w * x): d/dw = 2 w x, computed here on the heap
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) {
          expected[i] = 2 * w0[i] * x[i];
        }
        assertThat(ours).as("step %d", step).containsExactly(expected);
        assertThat(ours).as("step %d", step).containsExactly(djls);
      }
    }
  }

  /** One step in its own scope: forward, the given backward, the gradient read and zeroed. */
  private static float[] gradient(NDArray w, NDArray x, BiConsumer<GradientCollector, NDArray> backward) {
    try (NDScope scope = new NDScope(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss = w.mul(w).mul(x).sum();
      backward.accept(collector, loss);
      NDArray grad = w.getGradient();
      float[] values = grad.toFloatArray();
      grad.subi(grad); // zero for the next step, as the optimizer's update does
      return values;
    }
  }
}
