package dev.prepsweep.training;

/** The loss became NaN or infinite: the trial ends FAILED with this reason, the executor lives on. */
public final class TrainingDivergedException extends RuntimeException {
  public TrainingDivergedException(String message) {
    super(message);
  }
}
