package dev.prepsweep.etl;

/**
 * The prep job could not run or its result broke an invariant (e.g. conservation of rows). The
 * message says what, why and how to fix it, with the values; build instances with
 * {@link PrepErrors}.
 */
public final class PrepException extends RuntimeException {
  PrepException(String message) {
    super(message);
  }

  PrepException(String message, Throwable cause) {
    super(message, cause);
  }
}
