package dev.prepsweep.training;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The training settings of {@code task: regression}: the loss and Huber's threshold. Kept apart from
 * {@link TrainingParams} (whose names include these) so the classifier's settings stay as they are.
 *
 * @param regression whether the trial predicts a number (the job's top-level {@code task: regression})
 * @param loss {@code mse}, {@code mae} or {@code huber}
 * @param huberDelta where Huber's loss turns from squared to linear, in the units the loss is computed in
 *     (standard deviations of the train label for the built-in models, see {@link TargetScale})
 */
public record RegressionParams(boolean regression, String loss, double huberDelta) implements Serializable {

  public static final List<String> LOSSES = List.of("mse", "mae", "huber");
  /** The parameter names this record reads; {@code task} travels in the trial's parameters. */
  public static final Set<String> NAMES = Set.of("task", "loss", "huber_delta");

  public RegressionParams {
    TrainingParams.require(LOSSES.contains(loss), "loss", loss, "must be one of " + LOSSES);
    TrainingParams.require(huberDelta > 0 && huberDelta <= 1000, "huber_delta", huberDelta, "must be in (0, 1000]");
  }

  /**
   * Reads and checks the regression settings of a trial's parameters.
   *
   * @throws IllegalArgumentException naming the parameter, its value and the rule: a bad loss or delta, a
   *     loss for a classifier, or a classifier's setting (class weights, label smoothing) for regression
   */
  public static RegressionParams from(Map<String, Object> params) {
    Object task = params.get("task");
    boolean regression = task != null && task.toString().trim().equals("regression");
    TrainingParams.require(task == null || regression || task.toString().trim().equals("classification"), "task",
        task, "must be classification or regression");
    RegressionParams p = new RegressionParams(regression, TrainingParams.str(params, "loss", "mse"),
        TrainingParams.num(params, "huber_delta", 1.0));
    if (!regression) {
      for (String name : List.of("loss", "huber_delta")) {
        TrainingParams.require(!params.containsKey(name), name, params.get(name),
            "applies to task: regression (a classifier's loss is cross-entropy)");
      }
    } else {
      TrainingParams.require(TrainingParams.classWeights(params.get("class_weights")).equals("none"), "class_weights",
          params.get("class_weights"), "weights classes; task: regression has none (use none)");
      TrainingParams.require(TrainingParams.num(params, "label_smoothing", 0) == 0, "label_smoothing",
          params.get("label_smoothing"), "smooths class labels; task: regression has none (use 0)");
    }
    return p;
  }
}
