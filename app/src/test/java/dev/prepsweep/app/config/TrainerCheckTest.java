package dev.prepsweep.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.trainer.Trainer;
import dev.prepsweep.trainer.TrainerContext;
import dev.prepsweep.training.TrainerPlugins;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plug-in trainer checks that run on the driver before Spark starts (no Spark here). */
class TrainerCheckTest {

  /** A trainer on the test class path (a user's would arrive in a jar: examples/trainer-plugin's TrainerPluginIT). */
  public static final class ReadsLr implements Trainer {
    @Override
    public List<String> columns() {
      return List.of("text", "label_index");
    }

    @Override
    public Set<String> parameters() {
      return Set.of("lr");
    }

    @Override
    public void train(TrainerContext context) {}
  }

  /** Asks for a column split tables do not have. */
  public static final class AsksForAnUnknownColumn implements Trainer {
    @Override
    public List<String> columns() {
      return List.of("pixels");
    }

    @Override
    public void train(TrainerContext context) {}
  }

  private static JobConfig job(String trainerClass, String sweptParameter) {
    return JobConfig.parse("""
        train:
          model: {class: %s}
          epochs: 2
        sweep:
          method: random
          metric: {name: val_accuracy, goal: maximize}
          parameters:
            %s: {values: [0.1, 0.2]}
          budget: {trials: 2}
        """.formatted(trainerClass, sweptParameter), "job.yaml");
  }

  @Test
  void aPluginJobCarriesItsClassAndItsOwnParameters() {
    JobConfig config = job(ReadsLr.class.getName(), "lr");
    assertThat(config.train()).containsEntry(TrainerPlugins.CLASS_PARAM, ReadsLr.class.getName())
        .containsEntry("epochs", 2L);
    TrainerCheck.check(config, List.of());
  }

  @Test
  void aRegressionPluginJobTellsTheTrialItsTaskAndIsHeldToRegressionMetrics() {
    String regression = """
        task: regression
        train:
          model: {class: %s}
        sweep:
          method: random
          metric: {name: %s, goal: minimize}
          parameters:
            lr: {values: [0.1, 0.2]}
          budget: {trials: 2}
        """;
    JobConfig config = JobConfig.parse(regression.formatted(ReadsLr.class.getName(), "val_rmse"), "job.yaml");
    assertThat(config.train()).containsEntry("task", "regression");
    TrainerCheck.check(config, List.of());
    assertThatThrownBy(() -> JobConfig.parse(regression.formatted(ReadsLr.class.getName(), "val_loss"), "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metric 'val_loss' is not reported for task: regression; a regression sweep reports"
            + " [val_rmse, val_mae, val_r2]");
    assertThat(job(ReadsLr.class.getName(), "lr").train()).as("classification: no task parameter")
        .doesNotContainKey("task");
    assertThatThrownBy(() -> JobConfig.parse("""
        train:
          model: {class: %s}
          task: regression
        """.formatted(ReadsLr.class.getName()), "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("job.yaml:3:9: key 'train.task'").hasMessageContaining("set at the top level");
  }

  @Test
  void aMissingClassFailsNamingTheClassTheJarsAndTheRule() {
    assertThatThrownBy(() -> TrainerCheck.check(job("com.example.Nope", "lr"), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("job.yaml:2:18: key 'train.model.class' = com.example.Nope: trainer class"
            + " 'com.example.Nope' was not found on the class path or in no jar (ship one with --jars);"
            + " a plug-in trainer's jar must be shipped with --jars (or spark.jars)");
  }

  @Test
  void aClassThatIsNoTrainerFails() {
    assertThatThrownBy(() -> TrainerCheck.check(job("java.lang.StringBuilder", "lr"), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("trainer class 'java.lang.StringBuilder' does not implement dev.prepsweep.trainer.Trainer");
  }

  @Test
  void parametersTheTrainerDoesNotReadAndUnknownColumnsFail() {
    assertThatThrownBy(() -> TrainerCheck.check(job(ReadsLr.class.getName(), "momentum"), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("parameter 'momentum' is not read by trainer class '" + ReadsLr.class.getName()
            + "'; it reads [epochs, lr, task, trainer_class]");
    assertThatThrownBy(() -> TrainerCheck.check(job(AsksForAnUnknownColumn.class.getName(), "lr"), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("asks for column 'pixels'; columns a trainer can read are [id, label_index, text,"
            + " features, image]");
  }

  @Test
  void aJarThatDoesNotExistFailsAndNotAClassName() {
    assertThatThrownBy(() -> TrainerCheck.check(job(ReadsLr.class.getName(), "lr"), List.of("target/none.jar")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("jar 'target/none.jar'").hasMessageContaining("does not exist");
    assertThatThrownBy(() -> job("com.example.My-Trainer", "lr"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'com.example.My-Trainer' is not a Java class name");
  }
}
