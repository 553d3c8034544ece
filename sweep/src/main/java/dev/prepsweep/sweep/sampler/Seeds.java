package dev.prepsweep.sweep.sampler;

import java.util.SplittableRandom;

/** Derives independent, reproducible random streams from a study seed. */
public final class Seeds {
  private Seeds() {}

  /**
   * A generator for proposal {@code index} of a study seeded with {@code seed}. Seeding by the
   * proposal's index rather than advancing one generator keeps suggest() free of side effects and
   * lets a study rebuilt from its history draw exactly what the original drew.
   */
  public static SplittableRandom forIndex(long seed, long index) {
    return new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + index));
  }

  /**
   * The training seed of trial {@code trial} of a sweep seeded with {@code sweepSeed}: it depends on the two only,
   * so a retry repeats the attempt exactly. Drawn from indices a million past the proposals', so it is
   * independent of what the samplers draw for the same trial.
   */
  public static long forTrial(long sweepSeed, int trial) {
    return forIndex(sweepSeed, 1_000_000L + trial).nextLong();
  }

  /** SplitMix64's finaliser: spreads nearby inputs over the whole 64-bit range. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
