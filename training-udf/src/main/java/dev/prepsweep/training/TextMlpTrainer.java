package dev.prepsweep.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains the hashed bag-of-words MLP on one device with DJL (PyTorch engine) and evaluates it on
 * the validation rows after every epoch. Batches are drawn from a seeded permutation (DJL's own
 * samplers use a global unseeded generator), and the engine seed is set before initialisation, so
 * a trial's result depends only on its spec.
 */
final class TextMlpTrainer {

  private final TextMlpParams params;
  private final int classes;
  private final Device device;

  TextMlpTrainer(TextMlpParams params, int classes, Device device) {
    this.params = params;
    this.classes = classes;
    this.device = device;
  }

  /**
   * Trains and returns the metrics of every epoch run (fewer than {@code epochs} when early
   * stopping triggers).
   *
   * @throws TrainingDivergedException when the training loss is NaN or infinite
   */
  List<EpochMetrics> train(float[] trainX, int[] trainY, float[] valX, int[] valY, long seed,
      String objective, boolean maximize, Consumer<EpochMetrics> onEpoch) {
    int dim = params.hashDim();
    int n = trainY.length;
    Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    List<EpochMetrics> history = new ArrayList<>();
    try (Model model = Model.newInstance("text-mlp", device)) {
      model.setBlock(block());
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optOptimizer(optimizer())
          .optDevices(new Device[] {device});
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(params.batchSize(), dim));
        SplittableRandom rng = new SplittableRandom(seed);
        double bestObjective = Double.NaN;
        int sinceBest = 0;
        for (int epoch = 1; epoch <= params.epochs(); epoch++) {
          long started = System.nanoTime();
          double lossSum = 0;
          int[] order = permutation(n, rng);
          for (int from = 0; from < n; from += params.batchSize()) {
            int m = Math.min(params.batchSize(), n - from);
            float[] xb = new float[m * dim];
            long[] yb = new long[m];
            for (int i = 0; i < m; i++) {
              int row = order[from + i];
              System.arraycopy(trainX, row * dim, xb, i * dim, dim);
              yb[i] = trainY[row];
            }
            try (NDManager batch = trainer.getManager().newSubManager(device)) {
              NDArray x = batch.create(xb, new Shape(m, dim));
              NDArray y = batch.create(yb);
              try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList prediction = trainer.forward(new NDList(x));
                NDArray loss = trainer.getLoss().evaluate(new NDList(y), prediction);
                float value = loss.getFloat();
                if (!Float.isFinite(value)) {
                  throw new TrainingDivergedException("training loss became " + value + " in epoch " + epoch
                      + " (batch at row " + from + "); lower lr (" + params.lr() + ") or enable clip_grad");
                }
                collector.backward(loss);
                lossSum += (double) value * m;
              }
              trainer.step();
            }
          }
          ClassificationMetrics val = evaluate(trainer, valX, valY);
          EpochMetrics metrics = new EpochMetrics(epoch, lossSum / n, val.logLoss(), val.accuracy(), val.macroF1(),
              (System.nanoTime() - started) / 1e9, n);
          history.add(metrics);
          onEpoch.accept(metrics);
          double current = metrics.metric(objective);
          if (Double.isNaN(bestObjective) || (maximize ? current > bestObjective : current < bestObjective)) {
            bestObjective = current;
            sinceBest = 0;
          } else if (params.patience() > 0 && ++sinceBest >= params.patience()) {
            break;
          }
        }
      }
    }
    return history;
  }

  private ClassificationMetrics evaluate(Trainer trainer, float[] valX, int[] valY) {
    int dim = params.hashDim();
    int n = valY.length;
    float[] probabilities = new float[n * classes];
    int chunk = 512;
    for (int from = 0; from < n; from += chunk) {
      int m = Math.min(chunk, n - from);
      float[] xb = new float[m * dim];
      System.arraycopy(valX, from * dim, xb, 0, m * dim);
      try (NDManager batch = trainer.getManager().newSubManager(device)) {
        NDArray logits = trainer.evaluate(new NDList(batch.create(xb, new Shape(m, dim)))).singletonOrThrow();
        float[] p = logits.softmax(1).toFloatArray();
        System.arraycopy(p, 0, probabilities, from * classes, m * classes);
      }
    }
    return ClassificationMetrics.of(probabilities, valY, classes);
  }

  private SequentialBlock block() {
    SequentialBlock block = new SequentialBlock();
    for (int i = 0; i < params.layers(); i++) {
      block.add(Linear.builder().setUnits(params.hidden()).build());
      block.add(Activation::relu);
      if (params.dropout() > 0) {
        block.add(Dropout.builder().optRate((float) params.dropout()).build());
      }
    }
    block.add(Linear.builder().setUnits(classes).build());
    return block;
  }

  private Optimizer optimizer() {
    Tracker lr = Tracker.fixed((float) params.lr());
    float wd = (float) params.weightDecay();
    float clip = params.clipGrad() > 0 ? (float) params.clipGrad() : -1f;
    return switch (params.optimizer()) {
      case "sgd" -> Optimizer.sgd().setLearningRateTracker(lr).optMomentum((float) params.momentum())
          .optWeightDecays(wd).optClipGrad(clip).build();
      case "adamw" -> Optimizer.adamW().optLearningRateTracker(lr).optWeightDecays(wd).optClipGrad(clip).build();
      default -> Optimizer.adam().optLearningRateTracker(lr).optWeightDecays(wd).optClipGrad(clip).build();
    };
  }

  private static int[] permutation(int n, SplittableRandom rng) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
