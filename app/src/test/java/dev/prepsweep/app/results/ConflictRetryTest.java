package dev.prepsweep.app.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.exceptions.ConcurrentAppendException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The retry policy for Delta write conflicts, without Spark: what is retried, how long it waits, when it gives up. */
class ConflictRetryTest {

  private static RuntimeException conflict() {
    return new ConcurrentAppendException("Files were added to the root of the table by a concurrent update.");
  }

  @Test
  void waitsGrowExponentiallyWithJitterWithinTheCap() {
    SplittableRandom r = new SplittableRandom(1);
    for (int attempt = 1; attempt <= 12; attempt++) {
      long full = Math.min(ConflictRetry.CAP_MILLIS, ConflictRetry.BASE_MILLIS << (attempt - 1));
      for (int i = 0; i < 200; i++) {
        // equal jitter: at least half the exponential wait, never more than all of it
        assertThat(ConflictRetry.delay(attempt, r)).isBetween(full / 2, full);
      }
    }
  }

  @Test
  void aConflictIsRetriedUntilTheWriteSucceeds() {
    List<Long> waits = new ArrayList<>();
    ConflictRetry retry = new ConflictRetry(5, new SplittableRandom(2), waits::add);
    AtomicInteger calls = new AtomicInteger();
    String result = retry.run("test write", () -> {
      if (calls.incrementAndGet() < 3) {
        // MERGE surfaces the conflict wrapped at times: the cause chain counts
        throw new IllegalStateException("wrapped", conflict());
      }
      return "ok";
    });
    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(3);
    assertThat(waits).hasSize(2);
    assertThat(retry.conflicts()).isEqualTo(2);
  }

  @Test
  void otherFailuresAreNotRetried() {
    ConflictRetry retry = new ConflictRetry(5, new SplittableRandom(3), ms -> { });
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retry.run("test write", () -> {
      calls.incrementAndGet();
      throw new IllegalArgumentException("schema mismatch");
    })).isInstanceOf(IllegalArgumentException.class).hasMessage("schema mismatch");
    assertThat(calls).hasValue(1);
  }

  @Test
  void givingUpNamesTheWriteAndKeepsTheConflictAsCause() {
    ConflictRetry retry = new ConflictRetry(3, new SplittableRandom(4), ms -> { });
    assertThatThrownBy(() -> retry.run("recording 2 row(s) in trials", () -> {
      throw conflict();
    })).isInstanceOf(IllegalStateException.class)
        .hasMessage("recording 2 row(s) in trials: lost 3 concurrent-write races in a row to other writers of the table"
            + " (ConcurrentAppendException); is something rewriting it in a loop?")
        .hasCauseInstanceOf(ConcurrentAppendException.class);
  }
}
