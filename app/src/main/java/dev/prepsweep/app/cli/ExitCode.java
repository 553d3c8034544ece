package dev.prepsweep.app.cli;

/** What the process exit code means; scripts and schedulers can branch on it. */
public enum ExitCode {
  /** The command did what was asked. */
  OK(0),
  /** An unexpected internal error (a bug or an environment problem); the log has the stack trace. */
  INTERNAL(1),
  /** The command line or the configuration is invalid; nothing was run. */
  USAGE(2),
  /** The input data was rejected (unreadable input, failed conservation check). */
  DATA(3),
  /** The sweep ran but no trial completed, or its failure budget was spent. */
  SWEEP_FAILED(4),
  /** The sweep was cancelled ({@code prepsweep sweep cancel}). */
  CANCELLED(5);

  public final int code;

  ExitCode(int code) {
    this.code = code;
  }
}
