package dev.prepsweep.training;

/**
 * The learning rate of every optimizer step: an optional linear warmup (from {@code lr / warmupSteps}
 * to {@code lr} over the first {@code warmupSteps} steps) followed by a constant, cosine (from
 * {@code lr} to {@code lrMin} over the remaining steps) or step ({@code lr * gamma^floor(epoch /
 * stepEpochs)}) schedule. A pure function of the step, so a resumed trial continues on the same curve.
 */
record LrSchedule(String kind, double lr, double lrMin, long warmupSteps, long stepsPerEpoch, int epochs,
    int stepEpochs, double gamma) {

  static LrSchedule of(TrainingParams p, long stepsPerEpoch) {
    return new LrSchedule(p.lrSchedule(), p.lr(), p.lrMin(), Math.round(p.warmupEpochs() * stepsPerEpoch),
        stepsPerEpoch, p.epochs(), p.lrStepEpochs(), p.lrGamma());
  }

  /** The learning rate of step {@code step} (0-based, counted over the whole trial). */
  double at(long step) {
    if (step < warmupSteps) {
      return lr * (step + 1) / warmupSteps;
    }
    return switch (kind) {
      case "cosine" -> {
        long total = Math.max(1, stepsPerEpoch * epochs - warmupSteps);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / total);
        yield lrMin + (lr - lrMin) * (1 + Math.cos(Math.PI * progress)) / 2;
      }
      case "step" -> lr * Math.pow(gamma, Math.floorDiv(step / Math.max(1, stepsPerEpoch), stepEpochs));
      default -> lr;
    };
  }
}
