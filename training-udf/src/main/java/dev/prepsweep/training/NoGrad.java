package dev.prepsweep.training;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's grad mode is per thread and on by default in threads the engine did not start (Spark
 * task threads): inference there would record autograd graphs for nothing. Evaluation and scoring
 * switch it off for the calling thread; a {@link ai.djl.training.GradientCollector} switches it back
 * on for training and restores it on close.
 */
final class NoGrad {
  private NoGrad() {}

  static void enter() {
    JniUtils.setGradMode(false);
  }
}
