package dev.prepsweep.app.driver;

import dev.prepsweep.sweep.sampler.Seeds;
import dev.prepsweep.sweep.spec.EarlyTerminateSpec;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.training.ServingSettings;
import dev.prepsweep.training.TrialSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link TrialSpec} of each attempt of a sweep's trials (pure): the trial's parameters over the
 * config's {@code train:} settings, the epoch it trains to, its seed, and the pinned data.
 *
 * @param artifacts the qualified artifact location trials keep checkpoints and models under
 */
record AttemptSpecs(SweepRun run, String artifacts) {

  /** The trainer's default epoch count, for trials whose config sets none. */
  static final int DEFAULT_EPOCHS = 5;

  /** The spec of an attempt of {@code trial} that trains to epoch {@code targetEpochs} (-1: all of them). */
  TrialSpec of(Trial trial, int attempt, int targetEpochs) {
    Map<String, Object> params = new LinkedHashMap<>(run.config().train());
    params.putAll(trial.params());
    if (targetEpochs > 0) {
      params.put("epochs", (long) targetEpochs);
    } else if (!params.containsKey("epochs")) {
      params.put("epochs", (long) DEFAULT_EPOCHS);
    }
    // The trial seed depends on the sweep seed and trial number only, so a retry repeats the attempt exactly;
    // with retry_seed: new, a retry's seed derives from the trial seed and the attempt number instead.
    long trialSeed = retrySeed(Seeds.forTrial(run.seed(), trial.number()), attempt,
        run.spec().guards().retrySeed());
    TrialSpec spec = new TrialSpec(run.sweepId(), trial.number(), attempt, params, trialSeed, run.metric(),
        run.spec().directions().get(0) == Direction.MAXIMIZE, run.train(), run.val(), run.data().labels(),
        run.config().resources().requireGpu())
        .withArtifacts(artifacts)
        .withServing(servingSettings(run.spec()));
    // every trial gets the pinned weights; only those whose class_weights is 'table' use them
    return run.data().classWeightsTable() == null ? spec
        : spec.withClassWeights(run.data().classWeightsTable(), run.data().classWeights());
  }

  /** The seed of an attempt: the trial's, or for a retry under {@code retry_seed: new} one derived from it and the attempt. */
  static long retrySeed(long trialSeed, int attempt, SweepSpec.RetrySeed policy) {
    return policy == SweepSpec.RetrySeed.NEW && attempt > 1 ? Seeds.forIndex(trialSeed, attempt).nextLong() : trialSeed;
  }

  /** The epochs a trial trains in all: ASHA/Hyperband's max_resource, else its {@code epochs} setting. */
  int totalEpochs(Trial trial) {
    EarlyTerminateSpec et = run.spec().earlyTerminate();
    if (et instanceof EarlyTerminateSpec.Asha a) {
      return a.maxResource();
    }
    if (et instanceof EarlyTerminateSpec.Hyperband h) {
      return h.maxResource();
    }
    Object epochs = trial.params().containsKey("epochs") ? trial.params().get("epochs") : run.config().train().get("epochs");
    return epochs == null ? DEFAULT_EPOCHS : ((Number) epochs).intValue();
  }

  /** The epoch an attempt trains to. */
  static int targetOf(TrialSpec spec) {
    return ((Number) spec.params().get("epochs")).intValue();
  }

  /** How trials of {@code spec} measure serving cost ({@code sweep.serving}). */
  private static ServingSettings servingSettings(SweepSpec spec) {
    var o = spec.objectives();
    return new ServingSettings(o.servingBatchSize(), o.servingCalls(), o.servingWarmupCalls());
  }
}
