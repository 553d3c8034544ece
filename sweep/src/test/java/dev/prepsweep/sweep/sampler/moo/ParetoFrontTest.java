package dev.prepsweep.sweep.sampler.moo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParetoFrontTest {

  static Trial done(int number, double a, double b) {
    return Trial.running(number, Map.of("x", (double) number)).complete(List.of(a, b));
  }

  @Test
  void frontKeepsNonDominatedCompleteTrialsRespectingDirections() {
    // minimise loss, maximise accuracy
    List<Direction> dirs = List.of(Direction.MINIMIZE, Direction.MAXIMIZE);
    List<Trial> trials = List.of(
        done(0, 1.0, 0.90),  // front: lowest loss
        done(1, 2.0, 0.95),  // front: highest accuracy
        done(2, 2.0, 0.80),  // dominated by 0 and 1
        done(3, 1.5, 0.92),  // front: trade-off
        done(4, 1.0, 0.90),  // ties with 0: kept too
        Trial.running(5, Map.of("x", 5.0)).withState(TrialState.FAILED),
        Trial.running(6, Map.of("x", 6.0)));

    assertThat(ParetoFront.of(trials, dirs)).extracting(Trial::number).containsExactly(0, 1, 3, 4);
  }

  @Test
  void ranksAndCrowding() {
    double[][] losses = {{0, 3}, {1, 2}, {2, 1}, {3, 0}, {2, 3}, {3, 3}};
    assertThat(ParetoFront.ranks(losses)).containsExactly(0, 0, 0, 0, 1, 2);
    double[] crowd = ParetoFront.crowdingDistance(losses, List.of(0, 1, 2, 3));
    assertThat(crowd[0]).isInfinite();
    assertThat(crowd[3]).isInfinite();
    // inner points: (2 - 0) / 3 in each objective
    assertThat(crowd[1]).isEqualTo(4.0 / 3);
    assertThat(crowd[2]).isEqualTo(4.0 / 3);
  }

  @Test
  void hypervolumeOfAStaircase() {
    double[][] losses = {{0, 2}, {1, 1}, {2, 0}, {3, 3}};
    // reference (3, 3): strips 3x1 + 2x1 + 1x1 = 6; (3, 3) itself adds nothing
    assertThat(ParetoFront.hypervolume2d(losses, new double[] {3, 3})).isEqualTo(6.0);
  }

  @Test
  void valueCountMustMatchDirections() {
    assertThatThrownBy(() -> ParetoFront.of(List.of(done(0, 1, 2)), List.of(Direction.MINIMIZE)))
        .hasMessage("trial 0 has 2 objective values but the study has 1 directions [MINIMIZE]");
  }
}
