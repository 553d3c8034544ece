package dev.prepsweep.training.torchscript;

/**
 * A user's model that cannot train on the sweep's data: the file is unreadable or not TorchScript, or
 * one forward pass on a real batch gives the wrong output shape or rejects the input's dtype. The
 * message names the file, the shape expected and the shape (or error) got; the sweep driver turns it
 * into exit code 2 before any trial runs.
 */
public final class ModelCheckException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  ModelCheckException(String message, Throwable cause) {
    super(message, cause);
  }
}
