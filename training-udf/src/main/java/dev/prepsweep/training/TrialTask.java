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
 * executor), hashes text to features, trains on the task's GPU or the CPU, and returns a small
 * {@link TrialOutcome}. Every failure of the trial itself (bad parameters, diverging loss, unreadable
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

  /** Featurised snapshots per executor, keyed by table, version and hashing width. */
  private static final Map<String, float[]> FEATURES = new java.util.LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
      return size() > 4;
    }
  };

  private TrialTask() {}

  /** Runs the attempt described by {@code spec}; never throws for a trial-level failure. */
  public static TrialOutcome run(TrialSpec spec) {
    return run(spec, m -> { });
  }

  /** As {@link #run(TrialSpec)}, calling {@code onEpoch} after each epoch. */
  public static TrialOutcome run(TrialSpec spec, Consumer<EpochMetrics> onEpoch) {
    long started = System.currentTimeMillis();
    String executorId = "driver";
    String host = "localhost";
    SparkEnv env = SparkEnv.get();
    if (env != null) {
      executorId = env.executorId();
      host = env.blockManager().blockManagerId().host();
    }
    String gpuAddress = assignedGpu();
    List<EpochMetrics> epochs = new ArrayList<>();
    String device = "none";
    try {
      TextMlpParams params = TextMlpParams.from(spec.params());
      Device dev = chooseDevice(gpuAddress, spec.requireGpu());
      device = dev.toString();
      float[] trainX = features(spec.train().path() + "@" + spec.train().version(), params.hashDim(),
          PinnedSnapshotReader.read(spec.train(), spec.trainFiles()));
      LabeledTexts val = PinnedSnapshotReader.read(spec.val(), spec.valFiles());
      float[] valX = features(spec.val().path() + "@" + spec.val().version(), params.hashDim(), val);
      int[] trainY = PinnedSnapshotReader.read(spec.train(), spec.trainFiles()).labels();
      checkLabels(trainY, spec.labels().size(), "train");
      checkLabels(val.labels(), spec.labels().size(), "val");
      ONE_TRAINING_PER_JVM.acquireUninterruptibly();
      try {
        new TextMlpTrainer(params, spec.labels().size(), dev)
            .train(trainX, trainY, valX, val.labels(), spec.seed(), spec.objective(), spec.maximize(),
                m -> {
                  epochs.add(m);
                  onEpoch.accept(m);
                });
      } finally {
        ONE_TRAINING_PER_JVM.release();
      }
      return outcome(spec, true, null, epochs, executorId, host, gpuAddress, device, started);
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("trial {} attempt {} failed on executor {}: {}", spec.trialId(), spec.attempt(), executorId, reason(e));
      return outcome(spec, false, reason(e), epochs, executorId, host, gpuAddress, device, started);
    }
  }

  private static TrialOutcome outcome(TrialSpec spec, boolean complete, String error, List<EpochMetrics> epochs,
      String executorId, String host, String gpu, String device, long started) {
    EpochMetrics best = null;
    for (EpochMetrics m : epochs) {
      if (best == null || (spec.maximize() ? m.metric(spec.objective()) > best.metric(spec.objective())
          : m.metric(spec.objective()) < best.metric(spec.objective()))) {
        best = m;
      }
    }
    return new TrialOutcome(spec.sweepId(), spec.trialId(), spec.attempt(), complete, error, epochs,
        complete ? best : null, executorId, host, gpu, device, started, System.currentTimeMillis());
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
          ? "the sweep requires a GPU but Spark assigned none to this task; set spark.task.resource.gpu.amount"
          : "Spark assigned GPU " + gpuAddress + " but the PyTorch engine sees no CUDA device on " + "this executor;"
              + " add the CUDA natives (build profile 'cuda') or drop require_gpu");
    }
    return Device.cpu();
  }

  private static float[] features(String key, int dim, LabeledTexts rows) {
    String cacheKey = key + "#" + dim;
    synchronized (FEATURES) {
      float[] cached = FEATURES.get(cacheKey);
      if (cached != null) {
        return cached;
      }
    }
    HashingVectorizer vectorizer = new HashingVectorizer(dim);
    float[] x = new float[rows.size() * dim];
    for (int i = 0; i < rows.size(); i++) {
      vectorizer.transform(rows.texts()[i], x, i * dim);
    }
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
}
