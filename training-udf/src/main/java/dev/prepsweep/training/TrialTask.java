package dev.prepsweep.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one trial attempt inside a Spark task: reads the pinned train/val snapshots (cached per
 * executor), encodes them for the chosen model family, trains on the task's GPU or the CPU (continuing
 * from the trial's checkpoint when its artifact location holds one), keeps the best model with the
 * trial, and returns a small {@link TrialOutcome}. Every failure of the trial itself (bad parameters, diverging loss, unreadable
 * data) becomes a FAILED outcome with its reason instead of a task failure, so one bad trial never
 * takes an executor down or triggers Spark's retries meant for lost executors.
 */
public final class TrialTask {

  private static final Logger LOG = LoggerFactory.getLogger(TrialTask.class);

  /**
   * DJL allows one active gradient collector per JVM. Executor layouts give each training task its
   * own JVM; this permit only guards the one layout that cannot (several task slots in a single
   * local-mode JVM), where the driver already limits itself to one trial at a time.
   */
  private static final Semaphore ONE_TRAINING_PER_JVM = new Semaphore(1);

  /** Encoded snapshots per executor, keyed by table, version and featurizer settings. */
  private static final Map<String, Featurizer.Encoded> FEATURES = new java.util.LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Featurizer.Encoded> eldest) {
      return size() > 4;
    }
  };

  /** Why a task of a sweep that requires a GPU cannot run: Spark gave it none. */
  private static final String NO_GPU_ASSIGNED =
      "the sweep requires a GPU but Spark assigned none to this task; set spark.task.resource.gpu.amount";

  private TrialTask() {}

  /** Runs the attempt described by {@code spec}; never throws for a trial-level failure. */
  public static TrialOutcome run(TrialSpec spec) {
    return run(spec, m -> { });
  }

  /** As {@link #run(TrialSpec)}, calling {@code onEpoch} after each epoch this attempt trains. */
  public static TrialOutcome run(TrialSpec spec, Consumer<EpochMetrics> onEpoch) {
    long started = System.currentTimeMillis();
    long startedNanos = System.nanoTime();
    boolean cachedBefore;
    synchronized (FEATURES) {
      cachedBefore = !FEATURES.isEmpty();
    }
    String executorId = "driver";
    String host = "localhost";
    SparkEnv env = SparkEnv.get();
    if (env != null) {
      executorId = env.executorId();
      host = executorHost();
    }
    String gpuAddress = assignedGpu();
    List<EpochMetrics> epochs = new ArrayList<>();
    String device = "none";
    try {
      if (TrainerPlugins.isPlugin(spec.params())) {
        device = pluginDevice(gpuAddress, spec.requireGpu());
        PluginTrial.Result r = PluginTrial.run(spec, device, m -> {
          epochs.add(m);
          onEpoch.accept(m);
        });
        return outcome(spec, true, null, r.history(), executorId, host, gpuAddress, device, started, null,
            r.resumedFromEpoch(), null); // a plug-in keeps no model to measure
      }
      TrainingParams params = TrainingParams.from(spec.params());
      Device dev = chooseDevice(gpuAddress, spec.requireGpu());
      device = dev.toString();
      RegressionParams regression = RegressionParams.from(spec.params());
      // a regression model has one output; spec.labels() then names the label's quantile bins (label_index)
      int classes = regression.regression() ? 1 : spec.labels().size();
      SplitRows trainRows;
      SplitRows valRows;
      // under cross-validation the fold's rows of train validate, the other folds' rows train
      String part = "";
      if (spec.fold() >= 0) {
        SplitRows[] split = PinnedSnapshotReader.foldRows(spec.train(), spec.fold(), spec.folds());
        trainRows = split[0];
        valRows = split[1];
        part = "#fold" + spec.fold() + "of" + spec.folds();
      } else {
        trainRows = PinnedSnapshotReader.readRows(spec.train());
        valRows = PinnedSnapshotReader.readRows(spec.val());
      }
      checkLabels(trainRows.labels(), spec.labels().size(), "train");
      checkLabels(valRows.labels(), spec.labels().size(), spec.fold() >= 0 ? "train fold " + spec.fold() : "val");
      Featurizer featurizer = Featurizer.fit(params, trainRows);
      checkMemory(params, featurizer, trainRows.size(), valRows.size(), classes);
      Featurizer.Encoded train = encoded(spec.train(), part.isEmpty() ? "" : part + "-rest", params, featurizer, trainRows);
      Featurizer.Encoded val = encoded(spec.fold() >= 0 ? spec.train() : spec.val(), part, params, featurizer, valRows);
      float[] weights = switch (params.classWeights()) {
        case "table" -> {
          if (spec.classWeights() == null) {
            throw new IllegalArgumentException("class_weights = table, but the driver handed this trial no class"
                + " weights from the prep job's class_weights table");
          }
          yield classWeights(spec.classWeights(), trainRows.labels(), classes);
        }
        case "balanced" -> classWeights(null, trainRows.labels(), classes);
        default -> null;
      };
      CheckpointStore store = spec.trialArtifactUri() == null ? null
          : new CheckpointStore(spec.trialArtifactUri(), PinnedSnapshotReader.hadoopConf());
      Map<String, Object> meta = SavedModel.metadata(spec, featurizer);
      RegressionRun regressionRun = null;
      if (regression.regression()) {
        TargetScale scale = params.torchscript() != null ? TargetScale.IDENTITY : TargetScale.fit(trainRows.targets());
        regressionRun = new RegressionRun(regression, scale, trainRows.targets(), valRows.targets());
        meta.put("target", scale.toMap());
      }
      ModelTrainer.Result result;
      ONE_TRAINING_PER_JVM.acquireUninterruptibly();
      try {
        result = new ModelTrainer(params, classes, dev, spec.serving()).regression(regressionRun).train(train, val, spec.seed(), spec.objective(),
            spec.maximize(), weights, store, meta, m -> {
              epochs.add(m);
              onEpoch.accept(m);
              hangIfAsked(spec, m.epoch());
            });
      } finally {
        ONE_TRAINING_PER_JVM.release();
      }
      if (result.firstBatchNanos() > 0) {
        LOG.info("trial {} attempt {}: first batch {} ms after the task started (data {}cached on this executor)",
            spec.trialId(), spec.attempt(), (result.firstBatchNanos() - startedNanos) / 1_000_000, cachedBefore ? "" : "not ");
      }
      return outcome(spec, true, null, result.history(), executorId, host, gpuAddress, device, started,
          result.bestModelUri(), result.resumedFromEpoch(), result.serving());
    } catch (Exception | LinkageError e) {
      LOG.warn("trial {} attempt {} failed on executor {}: {}", spec.trialId(), spec.attempt(), executorId, reason(e));
      return outcome(spec, false, reason(e), epochs, executorId, host, gpuAddress, device, started, null, 0, null);
    }
  }

  /**
   * Test-only: the system property {@value #HANG_PROPERTY} lists attempt seeds (comma-separated)
   * whose attempts hang after their first epoch, as a trial stuck in a filesystem call would, until
   * Spark interrupts the task (the driver cancelling its job). Integration tests set it on executors
   * to prove that hung attempts are ended and retried ({@code SweepControlsIT}); nothing else sets it.
   */
  static final String HANG_PROPERTY = "prepsweep.test.hangSeeds";

  private static void hangIfAsked(TrialSpec spec, int epoch) {
    String hang = System.getProperty(HANG_PROPERTY);
    if (hang == null || epoch != 1 || !java.util.Arrays.asList(hang.split(",")).contains(String.valueOf(spec.seed()))) {
      return;
    }
    LOG.warn("trial {} attempt {}: hanging as {} asks (test only)", spec.trialId(), spec.attempt(), HANG_PROPERTY);
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while hanging on purpose (" + HANG_PROPERTY + ")", e);
    }
  }

  /**
   * Class weights per label index: the prep job's when the spec carries them, else the same balanced
   * formula ({@code rows / (classes present * rows of the class)}) over the train labels.
   */
  static float[] classWeights(List<Double> fromPrep, int[] trainLabels, int classes) {
    float[] w = new float[classes];
    if (fromPrep != null) {
      for (int c = 0; c < classes; c++) {
        w[c] = fromPrep.get(c).floatValue();
      }
      return w;
    }
    long[] counts = new long[classes];
    for (int y : trainLabels) {
      counts[y]++;
    }
    long present = java.util.Arrays.stream(counts).filter(c -> c > 0).count();
    for (int c = 0; c < classes; c++) {
      w[c] = counts[c] == 0 ? 0f : (float) ((double) trainLabels.length / (present * counts[c]));
    }
    return w;
  }

  private static TrialOutcome outcome(TrialSpec spec, boolean complete, String error, List<EpochMetrics> epochs,
      String executorId, String host, String gpu, String device, long started, String modelUri, int resumed,
      ServingCost serving) {
    EpochMetrics best = null;
    for (EpochMetrics m : epochs) {
      if (best == null || (spec.maximize() ? m.metric(spec.objective()) > best.metric(spec.objective())
          : m.metric(spec.objective()) < best.metric(spec.objective()))) {
        best = m;
      }
    }
    return new TrialOutcome(spec.sweepId(), spec.trialId(), spec.attempt(), complete, error, epochs,
        complete ? best : null, executorId, host, gpu, device, started, System.currentTimeMillis(), modelUri, resumed,
        complete ? serving : null);
  }

  /** The first GPU address Spark assigned to this task, or null outside a GPU-scheduled task. */
  static String assignedGpu() {
    TaskContext ctx = TaskContext.get();
    if (ctx == null) {
      return null;
    }
    ResourceInformation gpu = ctx.resources().get("gpu").getOrElse(() -> null);
    return gpu == null || gpu.addresses().length == 0 ? null : gpu.addresses()[0];
  }

  private static Device chooseDevice(String gpuAddress, boolean requireGpu) {
    int visible;
    try {
      visible = Engine.getInstance().getGpuCount();
    } catch (EngineException e) {
      throw new IllegalStateException("the PyTorch engine did not load: " + e.getMessage(), e);
    }
    if (gpuAddress != null && visible > 0) {
      return Device.gpu(Integer.parseInt(gpuAddress));
    }
    if (requireGpu) {
      throw new IllegalStateException(gpuAddress == null
          ? NO_GPU_ASSIGNED
          : "Spark assigned GPU " + gpuAddress + " but the PyTorch engine sees no CUDA device on " + "this executor;"
              + " add the CUDA natives (build profile 'cuda') or drop require_gpu");
    }
    return Device.cpu();
  }

  /**
   * Fails the attempt with its reason (a FAILED outcome, the executor lives on) when its encoded data
   * would not fit this executor's heap. Other trials' cached encodings are dropped first when keeping
   * them would be what makes it not fit: they can be encoded again, an executor killed by an
   * {@link OutOfMemoryError} cannot be saved.
   */
  private static void checkMemory(TrainingParams params, Featurizer featurizer, int trainRows, int valRows,
      int classes) {
    TrainerMemory need = TrainerMemory.of(params, trainRows, valRows, featurizer.rowSize(), featurizer.tokenIds(), classes);
    long maxHeap = Runtime.getRuntime().maxMemory();
    if (!need.fits(maxHeap)) {
      throw new TrainerMemoryException(need.tooLarge(params, maxHeap));
    }
    synchronized (FEATURES) {
      long cached = FEATURES.values().stream().mapToLong(TrialTask::bytes).sum();
      if (cached + need.totalBytes() > TrainerMemory.budget(maxHeap)) {
        LOG.info("dropping {} cached encodings ({} MiB) to make room for about {} MiB", FEATURES.size(),
            cached >> 20, need.totalBytes() >> 20);
        FEATURES.clear();
      }
    }
  }

  private static long bytes(Featurizer.Encoded e) {
    return e.floats() != null ? 4L * e.floats().length : e.ids() != null ? 8L * e.ids().length : 0;
  }

  /** A plug-in trainer's device, without loading the engine a plug-in may not use: {@code gpu:N} or {@code cpu}. */
  private static String pluginDevice(String gpuAddress, boolean requireGpu) {
    if (gpuAddress != null) {
      return "gpu:" + gpuAddress;
    }
    if (requireGpu) {
      throw new IllegalStateException(NO_GPU_ASSIGNED);
    }
    return "cpu";
  }

  /** Encoded rows of a pinned table, cached per executor by table, version and featurizer settings. */
  private static Featurizer.Encoded encoded(dev.prepsweep.common.TableVersion table, String part, TrainingParams p,
      Featurizer featurizer, SplitRows rows) {
    String cacheKey = table.path() + "@" + table.version() + part + "#" + featurizer.toMap();
    synchronized (FEATURES) {
      Featurizer.Encoded cached = FEATURES.get(cacheKey);
      if (cached != null) {
        return cached;
      }
    }
    Featurizer.Encoded x = featurizer.encode(rows);
    synchronized (FEATURES) {
      FEATURES.put(cacheKey, x);
    }
    return x;
  }

  private static void checkLabels(int[] labels, int classes, String table) {
    if (labels.length == 0) {
      throw new IllegalStateException("the " + table + " table has no rows");
    }
    for (int y : labels) {
      if (y < 0 || y >= classes) {
        throw new IllegalStateException("the " + table + " table has label_index " + y + " outside [0, " + classes + ")");
      }
    }
  }

  /** The message of the root cause, prefixed by the outer message when they differ. */
  static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String outer = e.getClass().getSimpleName() + ": " + e.getMessage();
    return root == e ? outer : outer + " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }

  /**
   * The host this executor advertises, as Spark chooses it (its block manager's host, which is not
   * public API): {@code SPARK_LOCAL_HOSTNAME}, else {@code SPARK_LOCAL_IP}, else the local address.
   */
  private static String executorHost() {
    String named = System.getenv("SPARK_LOCAL_HOSTNAME");
    if (named != null && !named.isBlank()) {
      return named;
    }
    String ip = System.getenv("SPARK_LOCAL_IP");
    if (ip != null && !ip.isBlank()) {
      return ip;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostAddress();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }
}
