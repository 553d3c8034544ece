package dev.prepsweep.app.config;

/** Job config text the app's tests share. */
public final class TestJobs {
  private TestJobs() {}

  /** A minimal valid {@code sweep:} section (random search over {@code lr}, three trials). */
  public static final String MINIMAL_SWEEP = """
      sweep:
        method: random
        metric: {name: val_accuracy, goal: maximize}
        parameters:
          lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}
        budget: {trials: 3}
      """;
}
