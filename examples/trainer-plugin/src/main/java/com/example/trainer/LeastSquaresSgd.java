package com.example.trainer;

import dev.prepsweep.trainer.TrainerContext;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The regression half of {@link HashedLogisticTrainer}: a linear model over the {@code features} column fitted
 * to the rows' numeric {@code targets()} by SGD on the squared error (least squares, with L2). Features and
 * target are standardized with the train split's mean and deviation, so one learning rate suits any units;
 * the reported metrics are in the target's own units.
 */
final class LeastSquaresSgd {

  private LeastSquaresSgd() {}

  static void train(TrainerContext ctx, double lr, double l2) {
    double[][] x = ctx.train().features();
    double[] y = ctx.train().targets();
    double[][] xVal = ctx.val().features();
    double[] yVal = ctx.val().targets();
    int d = x[0].length;
    // standardization from train only (val must not leak into the model)
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (int j = 0; j < d; j++) {
      for (double[] row : x) {
        mean[j] += row[j] / x.length;
      }
      for (double[] row : x) {
        sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / x.length;
      }
      sd[j] = sd[j] > 0 ? Math.sqrt(sd[j]) : 1;
    }
    double yMean = 0;
    for (double v : y) {
      yMean += v / y.length;
    }
    double ySd = 0;
    for (double v : y) {
      ySd += (v - yMean) * (v - yMean) / y.length;
    }
    ySd = ySd > 0 ? Math.sqrt(ySd) : 1;

    double[] w = new double[d + 1]; // weights, then the bias
    int epoch = 0;
    var last = ctx.checkpoints().latest();
    if (last.isPresent()) {
      epoch = last.get().epoch();
      ByteBuffer.wrap(last.get().state()).asDoubleBuffer().get(w);
    }
    while (!ctx.shouldStop()) {
      epoch++;
      SplittableRandom rng = new SplittableRandom(ctx.seed() * 31 + epoch);
      double lossSum = 0;
      for (int n = 0; n < y.length; n++) {
        int i = rng.nextInt(y.length);
        double err = predict(w, x[i], mean, sd) - (y[i] - yMean) / ySd;
        lossSum += err * err;
        for (int j = 0; j < d; j++) {
          w[j] -= lr * (err * (x[i][j] - mean[j]) / sd[j] + l2 * w[j]);
        }
        w[d] -= lr * err;
      }
      double sse = 0;
      double sae = 0;
      double sst = 0;
      double valMean = 0;
      for (double v : yVal) {
        valMean += v / yVal.length;
      }
      for (int i = 0; i < yVal.length; i++) {
        double e = predict(w, xVal[i], mean, sd) * ySd + yMean - yVal[i];
        sse += e * e;
        sae += Math.abs(e);
        sst += (yVal[i] - valMean) * (yVal[i] - valMean);
      }
      ctx.metrics().report(epoch, Map.of("train_loss", lossSum / y.length, "val_loss", sse / yVal.length / (ySd * ySd),
          "val_rmse", Math.sqrt(sse / yVal.length), "val_mae", sae / yVal.length, "val_r2", 1 - sse / sst));
      ByteBuffer state = ByteBuffer.allocate(w.length * Double.BYTES);
      state.asDoubleBuffer().put(w);
      ctx.checkpoints().save(epoch, state.array());
    }
  }

  /** The standardized prediction of one row. */
  private static double predict(double[] w, double[] row, double[] mean, double[] sd) {
    double s = w[w.length - 1];
    for (int j = 0; j < row.length; j++) {
      s += w[j] * (row[j] - mean[j]) / sd[j];
    }
    return s;
  }
}
