package com.example.trainer;

import dev.prepsweep.trainer.Checkpoints;
import dev.prepsweep.trainer.Rows;
import dev.prepsweep.trainer.Trainer;
import dev.prepsweep.trainer.TrainerContext;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A user's own trainer, in plain Java: multinomial logistic regression over hashed word counts,
 * trained by SGD. It shows the whole plug-in contract: the columns it reads, its parameters
 * ({@code lr}, {@code l2}, {@code buckets}), per-epoch metrics, a checkpoint to resume from, and
 * the pruning signal. Under {@code task: regression} ({@link TrainerContext#task()}) it fits a linear
 * model to the numeric label by least squares on the {@code features} column instead ({@link LeastSquaresSgd})
 * and reports {@code val_rmse}, {@code val_mae} and {@code val_r2}.
 */
public final class HashedLogisticTrainer implements Trainer {

  @Override
  public List<String> columns() {
    // text for classification, features for regression: a column a table lacks is only an error when read
    return List.of("text", "features", "label_index");
  }

  @Override
  public Set<String> parameters() {
    return Set.of("lr", "l2", "buckets");
  }

  @Override
  public void train(TrainerContext ctx) {
    double lr = number(ctx.params(), "lr", 0.1);
    double l2 = number(ctx.params(), "l2", 1e-4);
    if (ctx.task() == TrainerContext.Task.REGRESSION) {
      LeastSquaresSgd.train(ctx, lr, l2);
      return;
    }
    int buckets = (int) number(ctx.params(), "buckets", 1024);
    int classes = ctx.classes();
    int[][] train = hash(ctx.train().texts(), buckets);
    int[][] val = hash(ctx.val().texts(), buckets);
    int[] y = ctx.train().labels();
    int[] yVal = ctx.val().labels();

    double[] w = new double[classes * (buckets + 1)];
    int epoch = 0;
    var last = ctx.checkpoints().latest();
    if (last.isPresent()) {
      epoch = last.get().epoch();
      ByteBuffer.wrap(last.get().state()).asDoubleBuffer().get(w);
    }
    while (!ctx.shouldStop()) {
      epoch++;
      // one generator per epoch: a resumed trial shuffles exactly as the uninterrupted run
      SplittableRandom rng = new SplittableRandom(ctx.seed() * 31 + epoch);
      int[] order = new int[y.length];
      for (int i = 0; i < order.length; i++) {
        int j = rng.nextInt(i + 1);
        order[i] = order[j];
        order[j] = i;
      }
      double lossSum = 0;
      for (int i : order) {
        double[] p = probabilities(w, train[i], classes, buckets);
        lossSum -= Math.log(Math.max(p[y[i]], 1e-12));
        for (int c = 0; c < classes; c++) {
          double g = p[c] - (c == y[i] ? 1 : 0);
          int base = c * (buckets + 1);
          for (int f : train[i]) {
            w[base + f] -= lr * (g + l2 * w[base + f]);
          }
          w[base + buckets] -= lr * g;
        }
      }
      int correct = 0;
      double valLoss = 0;
      for (int i = 0; i < yVal.length; i++) {
        double[] p = probabilities(w, val[i], classes, buckets);
        valLoss -= Math.log(Math.max(p[yVal[i]], 1e-12));
        int best = 0;
        for (int c = 1; c < classes; c++) {
          best = p[c] > p[best] ? c : best;
        }
        correct += best == yVal[i] ? 1 : 0;
      }
      ctx.metrics().report(epoch, Map.of("train_loss", lossSum / y.length, "val_loss", valLoss / yVal.length,
          "val_accuracy", (double) correct / yVal.length));
      ByteBuffer state = ByteBuffer.allocate(w.length * Double.BYTES);
      state.asDoubleBuffer().put(w);
      ctx.checkpoints().save(epoch, state.array());
    }
  }

  private static double[] probabilities(double[] w, int[] features, int classes, int buckets) {
    double[] z = new double[classes];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      int base = c * (buckets + 1);
      double s = w[base + buckets];
      for (int f : features) {
        s += w[base + f];
      }
      z[c] = s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      z[c] = Math.exp(z[c] - max);
      sum += z[c];
    }
    for (int c = 0; c < classes; c++) {
      z[c] /= sum;
    }
    return z;
  }

  private static int[][] hash(String[] texts, int buckets) {
    int[][] out = new int[texts.length][];
    for (int i = 0; i < texts.length; i++) {
      String t = texts[i] == null ? "" : texts[i].toLowerCase(java.util.Locale.ROOT);
      out[i] = java.util.Arrays.stream(t.split("\\W+")).filter(s -> !s.isEmpty())
          .mapToInt(s -> Math.floorMod(s.hashCode(), buckets)).distinct().toArray();
    }
    return out;
  }

  private static double number(Map<String, Object> params, String name, double defaultValue) {
    Object v = params.get(name);
    return v == null ? defaultValue : ((Number) v).doubleValue();
  }
}
