package dev.prepsweep.sweep.space;

/** A search space or distribution broke a rule; the message names the parameter, the value and the rule. */
public final class InvalidSearchSpaceException extends IllegalArgumentException {
  public InvalidSearchSpaceException(String message) {
    super(message);
  }
}
