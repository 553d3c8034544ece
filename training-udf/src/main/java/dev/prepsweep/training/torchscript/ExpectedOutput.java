package dev.prepsweep.training.torchscript;

import ai.djl.ndarray.types.Shape;

/**
 * What a user's module must return for each row, by the sweep's task: one logit per label for a classifier,
 * one value for {@code task: regression}.
 *
 * @param regression whether the sweep predicts a number
 * @param width the outputs per row: the label count for a classifier, 1 for regression
 */
public record ExpectedOutput(boolean regression, int width) {

  public ExpectedOutput {
    if (width < 1 || (regression && width != 1)) {
      throw new IllegalArgumentException("a module returns one value per row for regression and one logit per label"
          + " (at least 1) for a classifier, not " + width + (regression ? " values (regression)" : " logits"));
    }
  }

  /** A classifier's output: {@code labels} logits per row, in label-index order. */
  public static ExpectedOutput classifier(int labels) {
    return new ExpectedOutput(false, labels);
  }

  /** A regression model's output: one value per row. */
  public static ExpectedOutput forRegression() {
    return new ExpectedOutput(true, 1);
  }

  /** The output shape of a batch of {@code rows}. */
  public Shape shape(long rows) {
    return new Shape(rows, width);
  }

  /** What the output holds, for messages. */
  public String meaning() {
    return regression ? "one value per row (regression)" : "batch x " + width + " classes, one logit per label";
  }
}
