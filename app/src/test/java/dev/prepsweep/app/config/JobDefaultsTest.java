package dev.prepsweep.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * One test per section of a job file's own keys: an absent section and an empty one give the same
 * value, and it is the section's constant in {@link JobDefaults}. The {@code prep:} and
 * {@code sweep:} sections have their own tests ({@code PrepDefaultsTest}, {@link SweepDefaultsTest}).
 */
class JobDefaultsTest {

  private static JobConfig parse(String yaml) {
    return JobConfig.parse(yaml + TestJobs.MINIMAL_SWEEP, "job.yaml");
  }

  @Test
  void topLevelKeys() {
    JobConfig c = parse("");
    assertThat(c.warehouse()).isEqualTo(JobDefaults.WAREHOUSE);
    assertThat(c.seed()).isEqualTo(JobDefaults.SEED);
    assertThat(c.artifacts()).isEqualTo(JobDefaults.ARTIFACTS);
    assertThat(c.artifactsOr("/w")).isEqualTo("/w/_artifacts");
  }

  @Test
  void train() {
    assertThat(parse("train: {}\n").train()).isEqualTo(parse("").train()).isEqualTo(JobDefaults.TRAIN);
  }

  @Test
  void data() {
    assertThat(parse("data: {}\n").data()).isEqualTo(parse("").data()).isEqualTo(JobDefaults.DATA);
    assertThat(JobDefaults.DATA.train()).isEqualTo("train");
  }

  @Test
  void resources() {
    assertThat(parse("resources: {}\n").resources()).isEqualTo(parse("").resources()).isEqualTo(JobDefaults.RESOURCES);
  }

  @Test
  void cvHasNoEmptyForm() {
    // absent: no cross-validation; an empty section is an error, not a silent default number of folds
    assertThat(parse("").cv()).isEqualTo(JobDefaults.CV).isEmpty();
    assertThatThrownBy(() -> parse("cv: {}\n")).isInstanceOf(ConfigException.class)
        .hasMessage("job.yaml:1:5: key 'cv.folds' is required but missing");
  }

  @Test
  void recordsRejectWhatTheParserRejects() {
    assertThatThrownBy(() -> new TrialResources(1, 0, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("require_gpu needs resources.gpus > 0");
    assertThatThrownBy(() -> new CrossValidation(1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cv.folds");
  }
}
