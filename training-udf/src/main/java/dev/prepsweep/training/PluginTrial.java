package dev.prepsweep.training;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.tables.PinnedReader;
import dev.prepsweep.tables.PinnedRows;
import dev.prepsweep.trainer.Checkpoints;
import dev.prepsweep.trainer.MetricsReporter;
import dev.prepsweep.trainer.Rows;
import dev.prepsweep.trainer.Trainer;
import dev.prepsweep.trainer.TrainerContext;
import dev.prepsweep.trainer.TrainerContext.Task;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.TaskContext;

/**
 * Runs one attempt of a user's {@link Trainer} in a Spark task: the pinned rows it asks for, the
 * trial's parameters, its device, a reporter turning each epoch into {@link EpochMetrics}, the
 * trial's checkpoint (the same store the built-in models use, so retries and ASHA promotions resume
 * from it) and the pruning signal.
 */
final class PluginTrial {

  /** What the attempt produced: every epoch (restored ones first) and the checkpoint epoch it resumed from. */
  record Result(List<EpochMetrics> history, int resumedFromEpoch) {}

  private PluginTrial() {}

  static Result run(TrialSpec spec, String device, Consumer<EpochMetrics> onEpoch) throws Exception {
    String className = spec.params().get(TrainerPlugins.CLASS_PARAM).toString();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Trainer trainer = TrainerPlugins.instantiate(className, loader == null ? PluginTrial.class.getClassLoader() : loader,
        "the jars Spark shipped to this executor");
    TrainerPlugins.check(className, trainer, spec.params().keySet());
    Set<String> columns = new HashSet<>(trainer.columns());
    int target = epochsOf(spec.params());
    CheckpointStore store = spec.trialArtifactUri() == null ? null
        : new CheckpointStore(spec.trialArtifactUri(), PinnedSnapshotReader.hadoopConf());
    Context ctx = new Context(spec, device, target, columns, store, onEpoch);
    trainer.train(ctx);
    if (ctx.history.isEmpty() || ctx.lastEpoch() < ctx.resumedFrom + 1) {
      throw new IllegalStateException("trainer class '" + className + "' returned without reporting an epoch;"
          + " report each epoch through context.metrics()");
    }
    return new Result(List.copyOf(ctx.history), ctx.resumedFrom);
  }

  /** The attempt's last epoch: the driver sets {@code epochs} on every spec (the trial's, or a rung). */
  private static int epochsOf(Map<String, Object> params) {
    Object e = params.get("epochs");
    int epochs = e instanceof Number n ? n.intValue() : e == null ? 5 : Integer.parseInt(e.toString());
    if (epochs < 1) {
      throw new IllegalArgumentException("training parameter 'epochs' = " + epochs + " must be >= 1");
    }
    return epochs;
  }

  private static final class Context implements TrainerContext, MetricsReporter, Checkpoints {
    private final TrialSpec spec;
    private final String device;
    private final int target;
    private final Set<String> columns;
    private final CheckpointStore store;
    private final Consumer<EpochMetrics> onEpoch;
    private final List<EpochMetrics> history = new ArrayList<>();
    private final int resumedFrom;
    private final long started = System.nanoTime();
    private final Task task;
    private Rows train;
    private Rows val;

    Context(TrialSpec spec, String device, int target, Set<String> columns, CheckpointStore store,
        Consumer<EpochMetrics> onEpoch) {
      this.spec = spec;
      this.device = device;
      this.target = target;
      this.columns = columns;
      this.store = store;
      this.onEpoch = onEpoch;
      this.task = TrainerPlugins.task(spec.params());
      Optional<CheckpointStore.State> state = store == null ? Optional.empty() : store.latest();
      // a checkpoint past this attempt's target (a retry with fewer epochs) is not used
      if (state.isPresent() && state.get().epoch() <= target) {
        history.addAll(state.get().history());
        resumedFrom = state.get().epoch();
      } else {
        resumedFrom = 0;
      }
    }

    int lastEpoch() {
      return history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
    }

    @Override
    public synchronized Rows train() {
      if (train == null) {
        train = spec.fold() >= 0 ? foldRows(false) : rows(spec.train());
      }
      return train;
    }

    @Override
    public synchronized Rows val() {
      if (val == null) {
        val = spec.fold() >= 0 ? foldRows(true) : rows(spec.val());
      }
      return val;
    }

    private Rows rows(TableVersion table) {
      return new PinnedColumns(read(table), columns, table.toString(), task);
    }

    private PinnedRows read(TableVersion table) {
      return columns.contains("id") ? PinnedReader.read(table, true, PinnedSnapshotReader.hadoopConf())
          : PinnedReader.cached(table);
    }

    /**
     * Under cross-validation, as for a built-in model: the train rows of the other folds train, the held-out
     * fold's rows of train validate ({@code val} is not read).
     */
    private Rows foldRows(boolean heldOut) {
      PinnedRows r = read(spec.train());
      int[] f = r.folds();
      if (f == null) {
        throw new IllegalStateException("table " + spec.train() + " has no fold column; cross-validation needs the"
            + " prep job's folds (prep.split.folds: " + spec.folds() + ")");
      }
      boolean[] keep = new boolean[f.length];
      for (int i = 0; i < f.length; i++) {
        keep[i] = (f[i] == spec.fold()) == heldOut;
      }
      PinnedRows part = new PinnedRows(pick(r.ids(), keep), pick(r.labels(), keep), pick(r.texts(), keep),
          pick(r.features(), keep), pick(r.images(), keep), pick(r.folds(), keep), pick(r.targets(), keep));
      return new PinnedColumns(part, columns, spec.train() + (heldOut ? " fold " : " without fold ") + spec.fold(),
          task);
    }

    @Override
    public Task task() {
      return task;
    }

    @Override
    public List<String> labels() {
      return spec.labels();
    }

    @Override
    public Map<String, Object> params() {
      return spec.params();
    }

    @Override
    public long seed() {
      return spec.seed();
    }

    @Override
    public String device() {
      return device;
    }

    @Override
    public int epochs() {
      return target;
    }

    @Override
    public MetricsReporter metrics() {
      return this;
    }

    @Override
    public Checkpoints checkpoints() {
      return this;
    }

    @Override
    public boolean shouldStop() {
      TaskContext task = TaskContext.get();
      return lastEpoch() >= target || Thread.currentThread().isInterrupted() || (task != null && task.isInterrupted());
    }

    @Override
    public void report(int epoch, Map<String, Double> metrics) {
      if (epoch <= lastEpoch() || epoch > target) {
        throw new IllegalArgumentException("epoch " + epoch + " reported after epoch " + lastEpoch() + " of at most "
            + target + "; report epochs in order (resume after checkpoints().latest()) up to context.epochs()");
      }
      for (String name : metrics.keySet()) {
        TrainerPlugins.checkMetric(name, task);
      }
      EpochMetrics m = new EpochMetrics(epoch, get(metrics, "train_loss"), get(metrics, "val_loss"),
          get(metrics, "val_accuracy"), get(metrics, "val_macro_f1"), (System.nanoTime() - started) / 1e9,
          train().size(), get(metrics, "val_roc_auc"), Double.NaN, get(metrics, "val_rmse"), get(metrics, "val_mae"),
          get(metrics, "val_r2"));
      history.add(m);
      onEpoch.accept(m);
    }

    private static double get(Map<String, Double> metrics, String name) {
      Double v = metrics.get(name);
      return v == null ? Double.NaN : v;
    }

    @Override
    public Optional<Checkpoint> latest() {
      if (store == null || resumedFrom == 0) {
        return Optional.empty();
      }
      try (InputStream in = store.openCheckpoint(STATE_FILE)) {
        return Optional.of(new Checkpoint(resumedFrom, in.readAllBytes()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot read the checkpoint of trial " + spec.trialId() + ": "
            + e.getMessage(), e);
      }
    }

    @Override
    public void save(int epoch, byte[] state) {
      if (epoch != lastEpoch()) {
        throw new IllegalArgumentException("checkpoint of epoch " + epoch + " but the last reported epoch is "
            + lastEpoch() + "; report an epoch's metrics before saving its checkpoint");
      }
      if (store == null) {
        return; // the sweep keeps no artifacts: nothing to resume from later
      }
      store.saveCheckpoint(new CheckpointStore.State(epoch, 0, false, 0, Double.NaN, 0,
          Map.of(TrainerPlugins.CLASS_PARAM, spec.params().get(TrainerPlugins.CLASS_PARAM).toString()),
          List.copyOf(history)), Map.of(STATE_FILE, out -> out.write(state)));
    }
  }

  static final String STATE_FILE = "trainer.bin";

  /** The elements of {@code values} (an array, or null for an absent column) where {@code keep} is true. */
  @SuppressWarnings("unchecked")
  private static <T> T pick(T values, boolean[] keep) {
    if (values == null) {
      return null;
    }
    int n = 0;
    for (boolean k : keep) {
      n += k ? 1 : 0;
    }
    Object out = java.lang.reflect.Array.newInstance(values.getClass().getComponentType(), n);
    for (int i = 0, j = 0; i < keep.length; i++) {
      if (keep[i]) {
        java.lang.reflect.Array.set(out, j++, java.lang.reflect.Array.get(values, i));
      }
    }
    return (T) out;
  }

  /** The columns the trainer asked for; asking for another fails with the rule. */
  private record PinnedColumns(PinnedRows rows, Set<String> asked, String table, Task task) implements Rows {
    @Override
    public int size() {
      return rows.size();
    }

    @Override
    public int[] labels() {
      return rows.labels();
    }

    @Override
    public double[] targets() {
      if (task != Task.REGRESSION) {
        Rows.super.targets(); // throws: a classification split has no numeric label
      }
      if (rows.targets() == null) {
        throw new IllegalStateException("table " + table + " has no column 'target'; it was not prepped with"
            + " task: regression");
      }
      return rows.targets();
    }

    @Override
    public String[] texts() {
      return col("text", rows.texts());
    }

    @Override
    public double[][] features() {
      return col("features", rows.features());
    }

    @Override
    public byte[][] images() {
      return col("image", rows.images());
    }

    @Override
    public String[] ids() {
      return col("id", rows.ids());
    }

    private <T> T col(String name, T values) {
      if (!asked.contains(name)) {
        throw new IllegalStateException("column '" + name + "' was not asked for; add it to the trainer's columns()");
      }
      if (values == null) {
        throw new IllegalStateException("table " + table + " has no column '" + name + "'");
      }
      return values;
    }
  }
}
