package dev.prepsweep.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.ParameterStore;
import dev.prepsweep.training.torchscript.TorchScriptModule;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Trains one model family on one device with DJL (PyTorch engine), evaluating on the validation
 * rows after every epoch. The loop is written against the block and the engine directly (no DJL
 * {@code Trainer}): batches are assembled from the encoded rows on the heap, the loss is
 * one fused expression over a per-row target matrix (label smoothing and class weights folded in),
 * and the optimizer is {@link Optim}, whose state checkpoints can carry.
 *
 * <p>Determinism: the engine seed is set before initialisation and again at the start of every
 * epoch (dropout), and each epoch's batch order is drawn from its own seeded generator, so a trial
 * resumed from epoch k continues exactly as the uninterrupted run would have (on CPU).
 */
final class ModelTrainer {

  private final TrainingParams params;
  private final int classes;
  private final Device device;
  private final ServingSettings serving;
  /** Set for a regression model (one output, {@link RegressionLoss}); null for a classifier. */
  private RegressionRun regression;

  ModelTrainer(TrainingParams params, int classes, Device device) {
    this(params, classes, device, ServingSettings.DEFAULT);
  }

  /** A trainer that measures the trained model's serving cost with {@code serving} ({@link ServingProbe}). */
  ModelTrainer(TrainingParams params, int classes, Device device, ServingSettings serving) {
    this.params = params;
    this.classes = classes;
    this.device = device;
    this.serving = serving == null ? ServingSettings.DEFAULT : serving;
  }

  /** Trains a regression model (one output) with {@code run}'s loss, targets and metrics instead of a classifier. */
  ModelTrainer regression(RegressionRun run) {
    this.regression = run;
    return this;
  }

  /**
   * What a run produced.
   *
   * @param firstBatchNanos {@link System#nanoTime()} when the first batch's update finished (0 if none ran)
   * @param serving the trained model's serving cost, measured on this device after the last epoch (the
   *     best epoch's model has the same architecture, so the same cost)
   */
  record Result(List<EpochMetrics> history, int resumedFromEpoch, String bestModelUri, long firstBatchNanos,
      ServingCost serving) {}

  /**
   * Trains (or continues from the store's checkpoint) and returns the metrics of every epoch, restored ones
   * included (fewer than {@code epochs} when early stopping triggers).
   *
   * @param classWeights loss weight per class, or null for none
   * @param store where checkpoints and the best model go, or null for none
   * @param meta what to save with the best model besides its metrics (params, labels, featurizer), or null
   * @throws TrainingDivergedException when the training loss is NaN or infinite
   * @throws IllegalStateException when the checkpoint was written for another architecture
   */
  Result train(Featurizer.Encoded train, Featurizer.Encoded val, long seed, String objective, boolean maximize,
      float[] classWeights, CheckpointStore store, Map<String, Object> meta, Consumer<EpochMetrics> onEpoch) {
    int n = train.size();
    if (n == 0) {
      throw new IllegalStateException("the train split has no rows");
    }
    int batchSize = Math.min(params.batchSize(), n);
    long stepsPerEpoch = (n + batchSize - 1) / batchSize;
    LrSchedule schedule = LrSchedule.of(params, stepsPerEpoch);
    Engine engine = Engine.getInstance();
    engine.setRandomSeed(seedOf(seed, 0));
    List<EpochMetrics> history = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager(device)) {
      Block block = Models.create(params, classes, manager, shape(batchSize, train.rowShape()));
      ParameterStore ps = new ParameterStore(manager, false);
      List<Parameter> parameters = new ArrayList<>();
      Optim optim = optimizer(block, parameters);

      int start = 1;
      double best = Double.NaN;
      int sinceBest = 0;
      boolean stopped = false;
      int resumed = 0;
      CheckpointStore.State state = store == null ? null : store.latest().orElse(null);
      if (state != null) {
        if (!state.architecture().equals(jsonRoundTrip(params.architecture()))) {
          throw new IllegalStateException("the checkpoint at epoch " + state.epoch() + " was written for "
              + state.architecture() + " but this attempt has " + params.architecture()
              + "; resume with the trial's own parameters or use a new artifact location");
        }
        try {
          if (block instanceof PtSymbolBlock loaded) {
            // a TorchScript module is restored whole: its parameter list belongs to the module it was read from
            try (java.io.InputStream in = store.openCheckpoint("model.params")) {
              block = TorchScriptModule.read(manager, in, "the checkpoint at epoch " + state.epoch());
            }
            loaded.close();
            parameters.clear();
            optim = optimizer(block, parameters);
          } else {
            try (java.io.DataInputStream in = new java.io.DataInputStream(store.openCheckpoint("model.params"))) {
              block.loadParameters(manager, in);
            }
            for (Parameter parameter : parameters) {
              parameter.getArray().setRequiresGradient(true); // loading replaces the arrays
            }
          }
          try (java.io.DataInputStream in = new java.io.DataInputStream(store.openCheckpoint("optimizer.bin"))) {
            optim.load(in, manager);
          }
        } catch (IOException | ai.djl.MalformedModelException e) {
          throw new IllegalStateException("cannot restore the checkpoint at epoch " + state.epoch() + ": " + e.getMessage(), e);
        }
        history.addAll(state.history());
        start = state.epoch() + 1;
        best = state.bestValue();
        sinceBest = state.sinceBest();
        stopped = state.stopped();
        resumed = state.epoch();
      }

      float[] targets = regression != null ? regression.trainOutputs() : targets(train.labels(), classWeights);
      float[] rowWeight = new float[n];
      for (int i = 0; i < n; i++) {
        rowWeight[i] = classWeights == null ? 1f : classWeights[train.labels()[i]];
      }
      NDArray xVal = upload(manager, val);
      int rowSize = Math.toIntExact(shape(1, train.rowShape()).size());
      BatchArrays batches = new BatchArrays(manager, device, batchSize, train.rowShape(), train.ids() != null, classes);
      FloatBuffer xFloats = batches.floats();
      LongBuffer xIds = batches.ids();
      FloatBuffer tFloats = batches.targets();
      // a full batch of weight-1 rows has the same loss scale every step (-1/batchSize): its target rows,
      // scaled once here, are copied whole per row instead of scaled float by float (the same float products;
      // the copy is n x classes floats more heap, which TrainerMemory counts)
      float fullScale = regression != null ? 1f : -1f / batchSize;
      float[] fullBatchTargets = regression != null ? targets : classWeights == null ? scaled(targets, fullScale) : null;
      LossBackward backward = new LossBackward(manager);
      long firstBatch = 0;

      for (int epoch = start; epoch <= params.epochs() && !stopped; epoch++) {
        long started = System.nanoTime();
        engine.setRandomSeed(seedOf(seed, epoch));
        int[] order = permutation(n, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch));
        double lossSum = 0;
        double lr = Double.NaN;
        for (int from = 0; from < n; from += batchSize) {
          // Spark interrupts a cancelled task's thread (trial_timeout, missed heartbeats, sweep cancel; a slot
          // runner's cancel): the native calls never look at the flag, so without this check a cancelled
          // attempt trained to its last epoch and held its executor slot all that time
          if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("the attempt was cancelled in epoch " + epoch + " (batch at row " + from
                + "): its task was interrupted");
          }
          int m = Math.min(batchSize, n - from);
          // batches are assembled into reused direct buffers: for the small rows of these models that
          // is cheaper than a gather on the device (measured, see docs/training-benchmark.md)
          float weightSum = 0;
          batches.clear();
          for (int i = 0; i < m; i++) {
            int row = order[from + i];
            weightSum += rowWeight[row];
            if (xFloats != null) {
              xFloats.put(train.floats(), row * rowSize, rowSize);
            } else {
              xIds.put(train.ids(), row * rowSize, rowSize);
            }
          }
          if (weightSum <= 0) {
            continue; // every row of the batch has weight 0: nothing to learn from it
          }
          // the loss is sum(log_softmax * t) with t = -target / weightSum: the weighted mean
          // cross-entropy in two ops, without a scalar array per step
          float scale = regression != null ? 1f : -1f / weightSum;
          if (fullBatchTargets != null && scale == fullScale) {
            for (int i = 0; i < m; i++) {
              tFloats.put(fullBatchTargets, order[from + i] * classes, classes);
            }
          } else {
            for (int i = 0; i < m; i++) {
              int base = order[from + i] * classes;
              for (int c = 0; c < classes; c++) {
                tFloats.put(targets[base + c] * scale);
              }
            }
          }
          lr = schedule.at(optim.steps());
          float value = step(block, ps, optim, batches, backward, m, lr);
          if (!Float.isFinite(value)) {
            throw new TrainingDivergedException("training loss became " + value + " in epoch " + epoch
                + " (batch at row " + from + "); lower lr (" + params.lr() + ") or set clip_grad");
          }
          lossSum += (double) value * m;
          if (firstBatch == 0) {
            firstBatch = System.nanoTime();
          }
        }
        EpochMetrics metrics;
        if (regression != null) {
          metrics = regression.epoch(epoch, lossSum / n, RegressionRun.outputs(block, ps, manager, xVal),
              (System.nanoTime() - started) / 1e9, n, lr);
        } else {
          ClassificationMetrics v = evaluate(block, ps, manager, xVal, val.labels());
          metrics = new EpochMetrics(epoch, lossSum / n, v.logLoss(), v.accuracy(), v.macroF1(),
              (System.nanoTime() - started) / 1e9, n, v.rocAuc(), lr);
        }
        history.add(metrics);
        onEpoch.accept(metrics);
        double current = metrics.metric(objective);
        boolean improved = !Double.isNaN(current)
            && (Double.isNaN(best) || (maximize ? current > best : current < best));
        if (improved) {
          best = current;
          sinceBest = 0;
          if (store != null) {
            Map<String, Object> bestMeta = new LinkedHashMap<>(meta == null ? Map.of() : meta);
            bestMeta.put("epoch", epoch);
            bestMeta.put("metrics", metrics);
            store.saveBest(bestMeta, Models.bestFiles(block));
          }
        } else if (params.patience() > 0 && ++sinceBest >= params.patience()) {
          stopped = true;
        }
        if (store != null) {
          store.saveCheckpoint(new CheckpointStore.State(epoch, optim.steps(), stopped, 0, best, sinceBest,
              params.architecture(), List.copyOf(history)), Models.checkpointWriter(block), optim::save);
        }
      }
      double trainSeconds = history.stream().mapToDouble(EpochMetrics::seconds).sum();
      ServingCost cost = new ServingProbe(serving).measure(block, ps, manager, val).withTrainSeconds(trainSeconds);
      return new Result(history, resumed, store == null ? null : store.bestUri(), firstBatch, cost);
    }
  }

  /**
   * One optimizer step on the first {@code m} rows of {@code batches}: forward, loss, backward, update. Returns
   * the loss; when it is not finite nothing was updated. A method of its own so the JIT compiles
   * the hot path early rather than through on-stack replacement of the whole training loop.
   */
  private float step(Block block, ParameterStore ps, Optim optim, BatchArrays batches, LossBackward backward, int m,
      double lr) {
    try (NDScope scope = new NDScope()) {
      NDList arrays = batches.arrays(m);
      NDArray input = arrays.get(0);
      NDArray target = arrays.get(1);
      float value;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logits = block.forward(ps, new NDList(input), true).singletonOrThrow();
        NDArray loss = regression != null ? RegressionLoss.of(regression.params(), logits, target)
            : logits.logSoftmax(1).mul(target).sum();
        // toFloatArray reads the scalar's memory; getFloat would first index it (one more op, recorded
        // by autograd: ~30 us a step in the profile)
        value = loss.toFloatArray()[0];
        if (!Float.isFinite(value)) {
          return value;
        }
        backward.backward(collector, loss);
      }
      optim.step(lr);
      return value;
    }
  }

  /**
   * The optimizer over the parameters that train, which it adds to {@code parameters}: all of them, or for
   * a TorchScript module those {@code freeze} leaves, with the {@code head}'s learning-rate multiplier.
   */
  private Optim optimizer(Block block, List<Parameter> parameters) {
    if (params.torchscript() != null) {
      TorchScriptModule.Groups groups = TorchScriptModule.groups(block, params.torchscript(), params.torchscript().path());
      parameters.addAll(groups.trainable());
      return new Optim(params, parameters, groups.lrScale());
    }
    block.getParameters().values().forEach(parameters::add);
    return new Optim(params, parameters);
  }

  /** Class probabilities of the encoded rows, row-major {@code n x classes}. */
  static float[] probabilities(Block block, ParameterStore ps, NDManager manager, NDArray x, int classes) {
    long n = x.getShape().get(0);
    float[] out = new float[Math.toIntExact(n * classes)];
    int chunk = 512;
    NoGrad.enter();
    for (long from = 0; from < n; from += chunk) {
      long to = Math.min(n, from + chunk);
      try (NDScope scope = new NDScope()) {
        NDArray logits = block.forward(ps, new NDList(x.get(from + ":" + to)), false).singletonOrThrow();
        float[] p = logits.softmax(1).toType(DataType.FLOAT32, false).toFloatArray();
        System.arraycopy(p, 0, out, Math.toIntExact(from * classes), p.length);
      }
    }
    return out;
  }

  private ClassificationMetrics evaluate(Block block, ParameterStore ps, NDManager manager, NDArray xVal, int[] labels) {
    return ClassificationMetrics.of(probabilities(block, ps, manager, xVal, classes), labels, classes);
  }

  /** {@code values} times {@code scale}, element by element. */
  private static float[] scaled(float[] values, float scale) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] * scale;
    }
    return out;
  }

  /** Row i: {@code w[y_i] * ((1 - s) * onehot(y_i) + s / classes)}, s the label smoothing. */
  private float[] targets(int[] labels, float[] classWeights) {
    float s = (float) params.labelSmoothing();
    float[] t = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      float w = classWeights == null ? 1f : classWeights[labels[i]];
      for (int c = 0; c < classes; c++) {
        t[i * classes + c] = w * s / classes;
      }
      t[i * classes + labels[i]] += w * (1 - s);
    }
    return t;
  }

  static NDArray upload(NDManager manager, Featurizer.Encoded data) {
    Shape shape = shape(data.size(), data.rowShape());
    return data.ids() != null ? manager.create(data.ids(), shape) : manager.create(data.floats(), shape);
  }

  static Shape shape(long rows, long[] rowShape) {
    long[] dims = new long[rowShape.length + 1];
    dims[0] = rows;
    System.arraycopy(rowShape, 0, dims, 1, rowShape.length);
    return new Shape(dims);
  }

  private static int seedOf(long seed, int epoch) {
    long s = seed * 0x9E3779B97F4A7C15L + epoch;
    return (int) (s ^ (s >>> 32)) & 0x7fffffff;
  }

  /** The architecture map as it reads back from JSON (numbers and strings), for comparison with a checkpoint's. */
  private static Map<String, Object> jsonRoundTrip(Map<String, Object> m) {
    try {
      return CheckpointStore.JSON.readValue(CheckpointStore.JSON.writeValueAsBytes(m),
          new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int[] permutation(int n, SplittableRandom rng) {
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
