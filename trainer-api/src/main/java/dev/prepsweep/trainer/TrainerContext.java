package dev.prepsweep.trainer;

import java.util.List;
import java.util.Map;

/** What prepsweep hands a {@link Trainer} for one trial attempt. */
public interface TrainerContext {

  /** The train split at the sweep's pinned version, with the columns {@link Trainer#columns()} asked for. */
  Rows train();

  /** The val split at the sweep's pinned version. */
  Rows val();

  /** What a trial predicts: the job's top-level {@code task:}. */
  enum Task {
    /** One of {@link #labels()}: a row's {@link Rows#labels() label index}; report val_accuracy, val_loss, ... */
    CLASSIFICATION,
    /** A number: a row's {@link Rows#targets() target}; report val_rmse, val_mae, val_r2 (and losses). */
    REGRESSION
  }

  /**
   * The sweep's task. Prepsweep checks the reported metrics against it (see {@link MetricsReporter#KNOWN}).
   * The default exists only so that a test double written against an older interface still compiles.
   */
  default Task task() {
    return Task.CLASSIFICATION;
  }

  /**
   * Class names in label-index order. Under {@link Task#REGRESSION} these are not classes but the names of
   * the label's quantile bins the split was stratified on ({@link Rows#labels()} indexes them).
   */
  List<String> labels();

  /** The number of classes a classifier predicts ({@code labels().size()}); 0 under {@link Task#REGRESSION}. */
  default int classes() {
    return task() == Task.REGRESSION ? 0 : labels().size();
  }

  /**
   * The trial's parameters: fixed {@code train:} settings with the sampled ones over them (values are
   * {@code Long}, {@code Double}, {@code String} or {@code Boolean}).
   */
  Map<String, Object> params();

  /** The trial's seed: the same for every retry of the attempt, so training can be reproducible. */
  long seed();

  /**
   * Where to train: {@code "cpu"}, or {@code "gpu:N"} when Spark assigned GPU address N to this task.
   */
  String device();

  /**
   * The last epoch this attempt trains: the trial's {@code epochs}, or a lower rung when a pruner
   * (ASHA, Hyperband) runs trials in rungs; a promoted trial continues from its checkpoint.
   */
  int epochs();

  /** Receives the metrics of each finished epoch. */
  MetricsReporter metrics();

  /** The trial's checkpoint: resume from it, save to it after each epoch. */
  Checkpoints checkpoints();

  /**
   * The pruning signal: true once the attempt reached {@link #epochs()} or the sweep ended it
   * (pruned, cancelled, out of time). Check it after each epoch and return when it is true.
   */
  boolean shouldStop();
}
