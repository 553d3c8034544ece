package dev.prepsweep.trainer;

import java.util.Optional;

/**
 * The trial's checkpoint on the sweep's artifact location (any Hadoop filesystem), shared by every
 * attempt of the trial: a retried or promoted attempt resumes from it.
 */
public interface Checkpoints {

  /** A saved state: the epoch it was taken after and the trainer's own bytes. */
  record Checkpoint(int epoch, byte[] state) {}

  /** The last saved checkpoint of this trial, if any. */
  Optional<Checkpoint> latest();

  /**
   * Saves the trainer's state after {@code epoch} (which must have been reported), replacing the
   * previous checkpoint atomically.
   *
   * @throws java.io.UncheckedIOException when the artifact location cannot be written
   */
  void save(int epoch, byte[] state);
}
