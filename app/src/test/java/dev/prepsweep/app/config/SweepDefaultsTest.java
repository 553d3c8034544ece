package dev.prepsweep.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.sweep.sampler.SamplerMethod;
import dev.prepsweep.sweep.spec.EarlyTerminateSpec;
import dev.prepsweep.sweep.spec.SweepDefaults;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.sweep.study.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One test per part of {@code sweep:}: a part left out and an empty one give the same record, the
 * constant in {@link SweepDefaults}; and a spec built in code without those parts (the sweep core's
 * short constructors) equals the parsed one.
 */
class SweepDefaultsTest {

  private static final String REQUIRED = """
      sweep:
        method: random
        metric: {name: val_accuracy, goal: maximize}
        parameters:
          lr: {distribution: uniform, min: 0.0, max: 1.0}
        budget: {trials: 3}
      """;

  private static SweepSpec parse(String extra) {
    return SweepSpecParser.parse(ConfigNode.parse(REQUIRED + extra, "s.yaml").required("sweep"));
  }

  @Test
  void topLevelKeys() {
    SweepSpec s = parse("");
    assertThat(s.parallelism()).isEqualTo(SweepDefaults.PARALLELISM);
    assertThat(s.maxRetries()).isEqualTo(SweepDefaults.MAX_RETRIES);
    assertThat(s.seed()).isEqualTo(SweepDefaults.SEED);
    assertThat(s.warmStart()).isEqualTo(SweepDefaults.WARM_START).isEqualTo(parse("  warm_start: []\n").warmStart());
  }

  @Test
  void budget() {
    SweepSpec.Budget b = parse("").budget();
    assertThat(b).isEqualTo(new SweepSpec.Budget(3, SweepDefaults.WALL_TIME, SweepDefaults.FAILURES, SweepDefaults.TARGET));
  }

  @Test
  void earlyTerminate() {
    assertThat(parse("").earlyTerminate()).isEqualTo(SweepDefaults.EARLY_TERMINATE);
    assertThat(parse("  early_terminate: {type: median}\n").earlyTerminate()).isEqualTo(SweepDefaults.MEDIAN);
    assertThat(parse("  early_terminate: {type: asha, max_resource: 9}\n").earlyTerminate())
        .isEqualTo(new EarlyTerminateSpec.Asha(SweepDefaults.MIN_RESOURCE, 9, SweepDefaults.ETA));
    assertThat(parse("  early_terminate: {type: hyperband, max_resource: 9}\n").earlyTerminate())
        .isEqualTo(new EarlyTerminateSpec.Hyperband(SweepDefaults.MIN_RESOURCE, 9, SweepDefaults.ETA));
  }

  @Test
  void guards() {
    assertThat(parse("").guards()).isEqualTo(SweepDefaults.GUARDS);
  }

  @Test
  void objectives() {
    assertThat(parse("  serving: {}\n  constraints: []\n").objectives()).isEqualTo(parse("").objectives())
        .isEqualTo(SweepDefaults.OBJECTIVES);
  }

  @Test
  void theShortConstructorsUseTheSameDefaults() {
    SweepSpec parsed = parse("");
    SweepSpec built = new SweepSpec(SamplerMethod.RANDOM, List.of(new SweepSpec.Metric("val_accuracy", Direction.MAXIMIZE)),
        parsed.space(), null, parsed.budget(), SweepDefaults.PARALLELISM, SweepDefaults.MAX_RETRIES, SweepDefaults.SEED);
    assertThat(built).isEqualTo(parsed);
  }
}
