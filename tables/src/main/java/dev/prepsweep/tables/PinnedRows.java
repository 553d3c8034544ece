package dev.prepsweep.tables;

/**
 * The rows of a pinned version as training needs them, row-aligned: {@code label_index}, {@code text}
 * (empty when null or absent), and {@code features} / {@code image} (null arrays when the table has no
 * such column), plus {@code id} as text when asked for (null otherwise), and the prep job's cross-validation
 * {@code fold} (null when the table has no such column; -1 for a row whose fold is null), and a regression
 * split's {@code target} (null when the table has no such column; NaN for a null value).
 */
public record PinnedRows(String[] ids, int[] labels, String[] texts, double[][] features, byte[][] images,
    int[] folds, double[] targets) {

  /** Rows without a regression {@code target} column. */
  public PinnedRows(String[] ids, int[] labels, String[] texts, double[][] features, byte[][] images, int[] folds) {
    this(ids, labels, texts, features, images, folds, null);
  }

  public int size() {
    return labels.length;
  }
}
