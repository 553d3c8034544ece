package dev.prepsweep.sweep.study;

/** Whether an objective is to be made small or large. */
public enum Direction {
  MINIMIZE,
  MAXIMIZE;

  /** The value as a loss: unchanged when minimising, negated when maximising. */
  public double toLoss(double value) {
    return this == MINIMIZE ? value : -value;
  }

  /** Whether {@code a} is strictly better than {@code b}. */
  public boolean isBetter(double a, double b) {
    return this == MINIMIZE ? a < b : a > b;
  }

  public static Direction parse(String text) {
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "minimize", "minimise", "min" -> MINIMIZE;
      case "maximize", "maximise", "max" -> MAXIMIZE;
      default -> throw new IllegalArgumentException(
          "direction must be 'minimize' or 'maximize', got '" + text + "'");
    };
  }
}
