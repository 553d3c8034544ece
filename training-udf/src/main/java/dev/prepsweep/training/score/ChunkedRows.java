package dev.prepsweep.training.score;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.sql.Row;

/**
 * A partition scored lazily, one chunk at a time: it takes up to {@code size} rows from the input only when the
 * previous chunk's output is used up, so a partition of any size holds at most one chunk of input rows and their
 * output rows in memory (Spark pulls the output as it writes it). The classifier's and the regression scorer's
 * partitions both score through it.
 */
final class ChunkedRows implements Iterator<Row> {

  private final Iterator<Row> rows;
  private final int size;
  private final Function<List<Row>, List<Row>> score;
  private List<Row> out = List.of();
  private int next;

  /**
   * @param score the output rows of one chunk (one per input row, in order); the chunk is not reused after the call
   */
  ChunkedRows(Iterator<Row> rows, int size, Function<List<Row>, List<Row>> score) {
    if (size < 1) {
      throw new IllegalArgumentException("chunk size must be at least 1, got " + size);
    }
    this.rows = rows;
    this.size = size;
    this.score = score;
  }

  @Override
  public boolean hasNext() {
    while (next >= out.size()) {
      if (!rows.hasNext()) {
        return false;
      }
      List<Row> chunk = new ArrayList<>(size);
      while (chunk.size() < size && rows.hasNext()) {
        chunk.add(rows.next());
      }
      out = score.apply(chunk);
      next = 0;
    }
    return true;
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return out.get(next++);
  }
}
