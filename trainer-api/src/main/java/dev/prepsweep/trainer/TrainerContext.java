package dev.prepsweep.trainer;

import java.util.List;
import java.util.Map;

/** What prepsweep hands a {@link Trainer} for one trial attempt. */
public interface TrainerContext {

  /** The train split at the sweep's pinned version, with the columns {@link Trainer#columns()} asked for. */
  Rows train();

  /** The val split at the sweep's pinned version. */
  Rows val();

  /** Class names in label-index order. */
  List<String> labels();

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
