package dev.prepsweep.training;

/**
 * The rows of one split as the trainer needs them, row-aligned: label index, text, and the optional
 * numeric {@code features} (null when the table has no such column) and {@code image} bytes (null
 * when absent), and a regression split's {@code target} values (null when absent).
 */
public record SplitRows(String[] texts, int[] labels, double[][] features, byte[][] images, double[] targets) {

  /** Rows without regression targets. */
  public SplitRows(String[] texts, int[] labels, double[][] features, byte[][] images) {
    this(texts, labels, features, images, null);
  }

  public SplitRows {
    if (targets != null && targets.length != labels.length) {
      throw new IllegalArgumentException(targets.length + " targets for " + labels.length + " rows");
    }
    if (texts.length != labels.length || (features != null && features.length != labels.length)
        || (images != null && images.length != labels.length)) {
      throw new IllegalArgumentException("columns of different lengths: " + labels.length + " labels, " + texts.length
          + " texts, " + (features == null ? "no" : features.length) + " feature rows, "
          + (images == null ? "no" : images.length) + " images");
    }
  }

  public int size() {
    return labels.length;
  }

  LabeledTexts labeledTexts() {
    return new LabeledTexts(texts, labels);
  }
}
