package dev.prepsweep.tables;

/**
 * A pinned table version cannot be read exactly as Delta reads it: its log or a file it needs is
 * gone, or it uses a table feature the reader does not support. Nothing should train or score on
 * it; the CLI exits with code 3 (data rejected). Build instances with {@link TableErrors}.
 */
public final class PinnedDataException extends RuntimeException {
  PinnedDataException(String message) {
    super(message);
  }

  PinnedDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
