package dev.prepsweep.training.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The scorers' chunked partitions without Spark: lazy, one chunk at a time, every row once and in order. */
class ChunkedRowsTest {

  /** Rows 0..n-1 that count how many were taken. */
  static final class Counting implements Iterator<Row> {
    private final int n;
    int taken;

    Counting(int n) {
      this.n = n;
    }

    @Override
    public boolean hasNext() {
      return taken < n;
    }

    @Override
    public Row next() {
      return RowFactory.create(taken++);
    }
  }

  @Test
  void takesOneChunkAtATimeAndScoresEveryRowOnceInOrder() {
    Counting in = new Counting(600);
    List<Integer> chunks = new ArrayList<>();
    ChunkedRows out = new ChunkedRows(in, 256, chunk -> {
      chunks.add(chunk.size());
      return chunk.stream().map(r -> RowFactory.create(r.getInt(0) * 10)).toList();
    });
    assertThat(in.taken).as("nothing is read before the first row is asked for").isZero();
    assertThat(out.next().getInt(0)).isZero();
    assertThat(in.taken).as("the first chunk only").isEqualTo(256);
    List<Integer> rest = new ArrayList<>();
    for (int i = 1; i < 256; i++) {
      rest.add(out.next().getInt(0));
    }
    assertThat(in.taken).as("the first chunk's outputs are used before the second is read").isEqualTo(256);
    out.forEachRemaining(r -> rest.add(r.getInt(0)));
    assertThat(rest).isEqualTo(IntStream.range(1, 600).map(i -> i * 10).boxed().toList());
    assertThat(chunks).containsExactly(256, 256, 88);
    assertThatThrownBy(out::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void anEmptyPartitionScoresNothingAndAnExactMultipleNoEmptyChunk() {
    List<Integer> chunks = new ArrayList<>();
    assertThat(new ChunkedRows(new Counting(0), 4, c -> {
      chunks.add(c.size());
      return c;
    }).hasNext()).isFalse();
    ChunkedRows exact = new ChunkedRows(new Counting(8), 4, c -> {
      chunks.add(c.size());
      return c;
    });
    exact.forEachRemaining(r -> { });
    assertThat(chunks).containsExactly(4, 4);
  }
}
