package dev.prepsweep.sweep.spec;

import dev.prepsweep.sweep.pruner.HyperbandPruner;
import dev.prepsweep.sweep.pruner.MedianPruner;
import dev.prepsweep.sweep.pruner.Pruner;
import dev.prepsweep.sweep.pruner.SuccessiveHalvingPruner;
import java.io.Serializable;

/**
 * The {@code sweep.early_terminate} section: which pruner stops or pauses trials early. Steps and
 * resources are the units trials report intermediate values in (usually epochs).
 */
public sealed interface EarlyTerminateSpec extends Serializable {

  /** The pruner this section describes; {@code seed} assigns Hyperband brackets. */
  Pruner toPruner(long seed);

  /** No {@code early_terminate} section: nothing stops early. */
  record None() implements EarlyTerminateSpec {
    @Override
    public Pruner toPruner(long seed) {
      return Pruner.NONE;
    }
  }

  /** {@code {type: median, min_steps, startup_trials}}; see {@link MedianPruner}. */
  record Median(int minSteps, int startupTrials) implements EarlyTerminateSpec {
    public Median {
      new MedianPruner(minSteps, startupTrials); // validates
    }

    @Override
    public Pruner toPruner(long seed) {
      return new MedianPruner(minSteps, startupTrials);
    }
  }

  /** {@code {type: asha, min_resource, max_resource, eta}}; see {@link SuccessiveHalvingPruner}. */
  record Asha(int minResource, int maxResource, int eta) implements EarlyTerminateSpec {
    public Asha {
      new SuccessiveHalvingPruner(minResource, maxResource, eta); // validates
    }

    @Override
    public Pruner toPruner(long seed) {
      return new SuccessiveHalvingPruner(minResource, maxResource, eta);
    }
  }

  /** {@code {type: hyperband, min_resource, max_resource, eta}}; see {@link HyperbandPruner}. */
  record Hyperband(int minResource, int maxResource, int eta) implements EarlyTerminateSpec {
    public Hyperband {
      new HyperbandPruner(minResource, maxResource, eta, 0); // validates
    }

    @Override
    public Pruner toPruner(long seed) {
      return new HyperbandPruner(minResource, maxResource, eta, seed);
    }
  }
}
