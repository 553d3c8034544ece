package dev.prepsweep.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * What {@link ModelTrainer} needs to train a regression model instead of a classifier: the loss, the target
 * scale, and the train and val targets. The model has one output; its loss is {@link RegressionLoss} over the
 * output and the scaled target, and each epoch reports {@code val_rmse}, {@code val_mae} and {@code val_r2}
 * of the predictions ({@link TargetScale#toPrediction}) against the val targets, and {@code val_loss} in the
 * loss's own units.
 */
record RegressionRun(RegressionParams params, TargetScale scale, double[] trainTargets, double[] valTargets) {

  RegressionRun {
    checkFinite(trainTargets, "train");
    checkFinite(valTargets, "val");
  }

  /** Row i's training target in output units. */
  float[] trainOutputs() {
    return scale.toOutput(trainTargets);
  }

  /** The epoch's metrics from the model's outputs on the val rows. */
  EpochMetrics epoch(int epoch, double trainLoss, float[] valOutputs, double seconds, long samples, double lr) {
    RegressionMetrics m = RegressionMetrics.of(scale.toPrediction(valOutputs), valTargets);
    double valLoss = RegressionLoss.of(params, valOutputs, scale.toOutput(valTargets));
    return new EpochMetrics(epoch, trainLoss, valLoss, Double.NaN, Double.NaN, seconds, samples, Double.NaN, lr,
        m.rmse(), m.mae(), m.r2());
  }

  /** The model's single output per row of {@code x}, without gradients, in chunks. */
  static float[] outputs(Block block, ParameterStore ps, NDManager manager, NDArray x) {
    long n = x.getShape().get(0);
    float[] out = new float[Math.toIntExact(n)];
    int chunk = 512;
    NoGrad.enter();
    for (long from = 0; from < n; from += chunk) {
      long to = Math.min(n, from + chunk);
      try (NDScope scope = new NDScope()) {
        NDArray y = block.forward(ps, new NDList(x.get(from + ":" + to)), false).singletonOrThrow();
        if (y.getShape().dimension() != 2 || y.getShape().get(1) != 1) {
          throw new IllegalStateException("a regression model returns one value per row, (batch, 1), but this one"
              + " returned " + y.getShape());
        }
        float[] v = y.toType(DataType.FLOAT32, false).toFloatArray();
        System.arraycopy(v, 0, out, Math.toIntExact(from), v.length);
      }
    }
    return out;
  }

  private static void checkFinite(double[] targets, String split) {
    if (targets == null) {
      throw new IllegalStateException("task: regression trains on the split tables' 'target' column, which the "
          + split + " table lacks; run prep with task: regression");
    }
    for (double t : targets) {
      if (!Double.isFinite(t)) {
        throw new IllegalStateException("the " + split + " table has a target of " + t + "; prep quarantines those"
            + " (rule label.not_numeric)");
      }
    }
  }
}
