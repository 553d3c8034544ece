package dev.prepsweep.trainer;

import java.util.List;

/** The rows of one split, column by column (row i of every column is the same record). */
public interface Rows {

  /** Columns a trainer may ask for. {@code features} and {@code image} exist only in tables that have them. */
  List<String> KNOWN_COLUMNS = List.of("id", "label_index", "text", "features", "image");

  int size();

  /** Label index of each row (into {@link TrainerContext#labels()}). */
  int[] labels();

  /**
   * The numeric label of each row under {@link TrainerContext.Task#REGRESSION} (the split's {@code target}
   * column, read like {@code label_index} without asking for it).
   *
   * @throws IllegalStateException under classification, where rows have no numeric label
   */
  default double[] targets() {
    throw new IllegalStateException("these rows have no numeric targets: only task: regression has them");
  }

  /** The {@code text} column. @throws IllegalStateException when the trainer did not ask for it */
  String[] texts();

  /** The {@code features} column (numeric vectors). @throws IllegalStateException when not asked for or absent */
  double[][] features();

  /** The {@code image} column (encoded image bytes). @throws IllegalStateException when not asked for or absent */
  byte[][] images();

  /** The {@code id} column. @throws IllegalStateException when the trainer did not ask for it */
  String[] ids();
}
