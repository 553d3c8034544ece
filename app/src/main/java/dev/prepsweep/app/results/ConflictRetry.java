package dev.prepsweep.app.results;

import io.delta.exceptions.DeltaConcurrentModificationException;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a Delta write again when it lost an optimistic-concurrency race to another writer of the same
 * table (another sweep's driver writing {@code trials}, two drivers creating a table at once): Delta
 * then throws one of the public {@code io.delta.exceptions.*} conflicts, all subclasses of
 * {@link DeltaConcurrentModificationException}, and nothing was committed, so running the same write
 * on the new table version is safe. Waits between tries grow exponentially ({@value #BASE_MILLIS} ms
 * doubling up to {@value #CAP_MILLIS} ms) with "equal jitter" (a random half of each wait) so two
 * drivers that collided do not collide again in lock step. Any other failure is not retried.
 */
final class ConflictRetry {

  private static final Logger LOG = LoggerFactory.getLogger(ConflictRetry.class);

  /** Tries in all; about 40 s of waiting at most before giving up. */
  static final int MAX_TRIES = 10;
  static final long BASE_MILLIS = 200;
  static final long CAP_MILLIS = 10_000;

  /** Sleeps between tries (a test passes one that records instead). */
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private final int maxTries;
  private final SplittableRandom jitter;
  private final Sleeper sleeper;
  /** Conflicts retried so far (for the log and tests). */
  private int conflicts;

  ConflictRetry() {
    // Jitter must differ between drivers: seeded from this process and moment, not from the sweep seed.
    this(MAX_TRIES, new SplittableRandom(System.nanoTime() ^ ProcessHandle.current().pid()), Thread::sleep);
  }

  ConflictRetry(int maxTries, SplittableRandom jitter, Sleeper sleeper) {
    if (maxTries < 1) {
      throw new IllegalArgumentException("maxTries must be >= 1, got " + maxTries);
    }
    this.maxTries = maxTries;
    this.jitter = jitter;
    this.sleeper = sleeper;
  }

  /**
   * Runs {@code write}, again after a wait each time it fails with a Delta concurrent-write conflict.
   *
   * @throws IllegalStateException after {@link #MAX_TRIES} conflicts in a row, or when interrupted while waiting
   * @throws RuntimeException any other failure of {@code write}, as thrown
   */
  <T> T run(String what, Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (RuntimeException e) {
        DeltaConcurrentModificationException conflict = conflictIn(e);
        if (conflict == null) {
          throw e;
        }
        if (attempt >= maxTries) {
          throw new IllegalStateException(what + ": lost " + attempt + " concurrent-write races in a row to other writers of"
              + " the table (" + conflict.getClass().getSimpleName() + "); is something rewriting it in a loop?", e);
        }
        conflicts++;
        long wait = delay(attempt, jitter);
        LOG.info("{}: another writer committed first ({}); trying again in {} ms", what,
            conflict.getClass().getSimpleName(), wait);
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(what + ": interrupted while waiting to retry a write conflict", e);
        }
      }
    }
  }

  int conflicts() {
    return conflicts;
  }

  /** The wait after the {@code attempt}-th failed try: half of {@code min(cap, base * 2^(attempt-1))} plus a random half. */
  static long delay(int attempt, SplittableRandom jitter) {
    long exp = Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(attempt - 1, 20));
    long half = exp / 2;
    return half + jitter.nextLong(exp - half + 1);
  }

  /** The Delta conflict in {@code e}'s cause chain, or null (MERGE may wrap it). */
  static DeltaConcurrentModificationException conflictIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DeltaConcurrentModificationException c) {
        return c;
      }
    }
    return null;
  }
}
