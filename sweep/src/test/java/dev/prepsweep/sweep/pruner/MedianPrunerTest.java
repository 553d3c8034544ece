package dev.prepsweep.sweep.pruner;

import static dev.prepsweep.sweep.pruner.Curves.complete;
import static dev.prepsweep.sweep.pruner.Curves.paused;
import static dev.prepsweep.sweep.pruner.Curves.running;
import static dev.prepsweep.sweep.pruner.Curves.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Trial;
import java.util.List;
import org.junit.jupiter.api.Test;

class MedianPrunerTest {

  // Three finished loss curves; their values at step 2 are 0.4, 0.5 and 0.6.
  private final List<Trial> done = List.of(
      complete(0, 0.5, 0.4, 0.3),
      complete(1, 0.6, 0.5, 0.45),
      complete(2, 0.7, 0.6, 0.55));
  private final double medianAtStep2 = MedianPruner.median(new double[] {0.4, 0.5, 0.6});
  private final MedianPruner pruner = new MedianPruner(1, 3);

  private PruneDecision decide(MedianPruner p, Trial t, List<Trial> others, Direction d) {
    return p.decide(t, with(others, t), d);
  }

  @Test
  void stopsATrialWhoseBestSoFarIsWorseThanTheMedianAtItsStep() {
    Trial bad = running(3, 0.9, 0.8);
    assertThat(Math.min(0.9, 0.8)).isGreaterThan(medianAtStep2);

    assertThat(decide(pruner, bad, done, Direction.MINIMIZE)).isEqualTo(PruneDecision.STOP);
  }

  @Test
  void keepsATrialWhoseBestSoFarBeatsOrTiesTheMedian() {
    assertThat(decide(pruner, running(3, 0.9, 0.45), done, Direction.MINIMIZE)).isEqualTo(PruneDecision.CONTINUE);
    // Its best so far (0.5 at step 1) ties the median at step 2: not strictly worse.
    assertThat(decide(pruner, running(4, medianAtStep2, 0.7), done, Direction.MINIMIZE)).isEqualTo(PruneDecision.CONTINUE);
  }

  @Test
  void maximisingFlipsTheComparison() {
    // As accuracies, 0.8 beats the median 0.5 and 0.3 does not.
    assertThat(decide(pruner, running(3, 0.1, 0.8), done, Direction.MAXIMIZE)).isEqualTo(PruneDecision.CONTINUE);
    assertThat(decide(pruner, running(3, 0.1, 0.3), done, Direction.MAXIMIZE)).isEqualTo(PruneDecision.STOP);
  }

  @Test
  void nothingStopsBeforeEnoughTrialsCompleted() {
    MedianPruner needsFour = new MedianPruner(1, 4);
    assertThat(decide(needsFour, running(3, 0.9, 0.8), done, Direction.MINIMIZE)).isEqualTo(PruneDecision.CONTINUE);
  }

  @Test
  void nothingStopsBeforeMinSteps() {
    MedianPruner threeSteps = new MedianPruner(3, 3);
    assertThat(decide(threeSteps, running(3, 0.9, 0.8), done, Direction.MINIMIZE)).isEqualTo(PruneDecision.CONTINUE);
    assertThat(decide(threeSteps, running(3, 0.9, 0.8, 0.7), done, Direction.MINIMIZE)).isEqualTo(PruneDecision.STOP);
  }

  @Test
  void onlyCompletedTrialsSetTheMedian() {
    // Running and pruned trials with very bad values would drag the median up if they counted.
    List<Trial> mixed = List.of(done.get(0), done.get(1), done.get(2),
        running(5, 5.0, 5.0), paused(6, 9.0, 9.0), running(7, 9.0, 9.0));
    assertThat(decide(pruner, running(3, 0.9, 0.8), mixed, Direction.MINIMIZE)).isEqualTo(PruneDecision.STOP);
  }

  @Test
  void stepsNoCompletedTrialReachedAreNotJudged() {
    assertThat(decide(pruner, running(3, 9, 9, 9, 9), done, Direction.MINIMIZE)).isEqualTo(PruneDecision.CONTINUE);
  }

  @Test
  void nanStops() {
    assertThat(decide(pruner, running(3, Double.NaN, Double.NaN), done, Direction.MINIMIZE)).isEqualTo(PruneDecision.STOP);
  }

  @Test
  void negativeSettingsAreRejected() {
    assertThatThrownBy(() -> new MedianPruner(-1, 0))
        .hasMessage("median pruner needs min_steps >= 0 and startup_trials >= 0, got min_steps=-1, startup_trials=0");
  }
}
