package dev.prepsweep.trainer;

import java.util.List;
import java.util.Set;

/**
 * A user's training code, run by prepsweep as one trial attempt inside a Spark task. Name the
 * implementing class in the job config ({@code train: {model: {class: com.example.MyTrainer}}}) and
 * ship its jar with {@code --jars} (or {@code spark.jars}). prepsweep reads the pinned split tables,
 * passes the rows, the trial's parameters and a {@link TrainerContext}, and records every reported
 * epoch in the {@code trials} and {@code trial_metrics} tables like a built-in model's.
 *
 * <p>Contract: a public class with a public no-argument constructor; one instance per attempt, so
 * fields need no synchronisation. Nothing in this interface is a Spark, Delta or DJL type.
 */
public interface Trainer {

  /**
   * The columns of the split tables this trainer reads, from {@link Rows#KNOWN_COLUMNS}
   * ({@code label_index} is always included). Checked on the driver before any trial runs.
   */
  List<String> columns();

  /**
   * The parameter names this trainer reads besides prepsweep's own ({@code epochs}, ...): sweep
   * parameters and fixed {@code train:} settings must be among them. Checked before any trial runs.
   */
  default Set<String> parameters() {
    return Set.of();
  }

  /**
   * Trains, reporting each epoch through {@link TrainerContext#metrics()}. Return when
   * {@link TrainerContext#shouldStop()} says so or after epoch {@link TrainerContext#epochs()}.
   *
   * @throws Exception any failure: the attempt is recorded FAILED with its message; the sweep goes on
   */
  void train(TrainerContext context) throws Exception;
}
