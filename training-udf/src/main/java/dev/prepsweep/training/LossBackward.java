package dev.prepsweep.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * Backpropagates the training step's loss with a seed gradient (ones of the loss's shape) made once per
 * run. DJL's {@link GradientCollector#backward(NDArray)} makes that seed every step: it reads the loss's
 * shape, type and device (a native call each), creates a ones array and later frees it, about eight
 * native calls a step around the one that matters (docs/training-benchmark.md, issue 14). The seed never
 * changes (the loss is a scalar of the same type on the same device every step), and PyTorch's backward
 * only reads it, so one serves the whole run.
 *
 * <p>The call is {@link JniUtils#backward}, the PyTorch engine's public utility that DJL's collector itself
 * calls (with keep-graph and create-graph off, as the collector does); it runs inside the caller's
 * collector, which keeps grad mode on and guards the JVM-wide "one collector at a time". Arrays of another
 * engine go through the collector.
 */
final class LossBackward {
  private final NDManager manager;
  /** Ones of the loss's shape and type on the manager's device, made at the first step; freed with the manager. */
  private NDArray seed;

  LossBackward(NDManager manager) {
    this.manager = manager;
  }

  /**
   * {@code collector.backward(loss)}, with the seed gradient reused.
   *
   * @throws IllegalStateException (from the engine) when the loss's shape or type changed since the first step
   */
  void backward(GradientCollector collector, NDArray loss) {
    if (!(loss instanceof PtNDArray pt)) {
      collector.backward(loss);
      return;
    }
    if (seed == null) {
      seed = manager.ones(loss.getShape(), loss.getDataType());
      NDScope.unregister(seed); // made inside the step's scope, kept for the run
    }
    JniUtils.backward(pt, (PtNDArray) seed, false, false);
  }
}
