package dev.prepsweep.training;

/** A trial whose data would not fit the executor's memory, found before training started. */
public final class TrainerMemoryException extends IllegalStateException {
  public TrainerMemoryException(String message) {
    super(message);
  }
}
