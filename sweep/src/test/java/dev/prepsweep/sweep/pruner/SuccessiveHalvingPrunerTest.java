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

class SuccessiveHalvingPrunerTest {

  private static final int ETA = 3;
  private final SuccessiveHalvingPruner asha = new SuccessiveHalvingPruner(1, 27, ETA);

  @Test
  void rungsAreMinResourceTimesPowersOfEtaBelowMaxResource() {
    assertThat(asha.rungs()).containsExactly(1, 3, 9);
    assertThat(new SuccessiveHalvingPruner(1, 27, ETA, 1).rungs()).containsExactly(3, 9);
    assertThat(new SuccessiveHalvingPruner(2, 100, 2).rungs()).containsExactly(2, 4, 8, 16, 32, 64);
    assertThat(new SuccessiveHalvingPruner(1, 27, ETA, 3).rungs()).isEmpty();
  }

  @Test
  void theFirstTrialsAtARungPauseBecauseTheTopThirdOfFewerThanThreeIsEmpty() {
    Trial first = running(0, 0.1);
    assertThat(asha.decide(first, List.of(first), Direction.MINIMIZE)).isEqualTo(PruneDecision.STOP);

    List<Trial> one = List.of(paused(0, 0.5));
    Trial second = running(1, 0.1);
    assertThat(asha.decide(second, with(one, second), Direction.MINIMIZE)).isEqualTo(PruneDecision.STOP);
  }

  @Test
  void aTrialInTheTopOneOverEtaOfItsRungIsPromoted() {
    List<Trial> atRung = List.of(paused(0, 0.5), paused(1, 0.4));
    Trial best = running(2, 0.3);
    Trial notBest = running(2, 0.45);

    // 3 trials at rung 1: the top floor(3 / 3) = 1 is promoted.
    assertThat(asha.decide(best, with(atRung, best), Direction.MINIMIZE)).isEqualTo(PruneDecision.PROMOTE);
    assertThat(asha.decide(notBest, with(atRung, notBest), Direction.MINIMIZE)).isEqualTo(PruneDecision.STOP);
    assertThat(asha.decide(notBest, with(atRung, notBest), Direction.MAXIMIZE)).isEqualTo(PruneDecision.STOP);
    assertThat(asha.decide(best, with(atRung, best), Direction.MAXIMIZE)).isEqualTo(PruneDecision.STOP);
  }

  @Test
  void theTopGrowsWithTheNumberOfTrialsAtTheRung() {
    // 6 trials at rung 1 (this one included): the top 2 are promoted; this trial is second.
    List<Trial> atRung = List.of(paused(0, 0.1), paused(1, 0.6), paused(2, 0.7), paused(3, 0.8), paused(4, 0.9));
    Trial second = running(5, 0.2);

    assertThat(asha.decide(second, with(atRung, second), Direction.MINIMIZE)).isEqualTo(PruneDecision.PROMOTE);
  }

  @Test
  void higherRungsCompareOnlyTrialsThatReachedThem() {
    // Rung 3 is reached by trials with three values; trial 2's 0.35 at step 3 is the best there.
    List<Trial> others = List.of(running(0, 0.5, 0.4, 0.4), running(1, 0.5, 0.4, 0.38), paused(3, 0.9));
    Trial t = running(2, 0.6, 0.5, 0.35);

    assertThat(asha.decide(t, with(others, t), Direction.MINIMIZE)).isEqualTo(PruneDecision.PROMOTE);
  }

  @Test
  void stepsBetweenRungsContinue() {
    Trial t = running(0, 0.9, 0.9);
    assertThat(asha.decide(t, List.of(t), Direction.MINIMIZE)).isEqualTo(PruneDecision.CONTINUE);
  }

  @Test
  void aPausedTrialBecomesPromotableWhenEnoughTrialsReachItsRung() {
    List<Trial> two = List.of(paused(0, 0.1), paused(1, 0.5));
    assertThat(asha.promotable(two, Direction.MINIMIZE)).isEmpty();

    List<Trial> three = with(two, paused(2, 0.7));
    assertThat(asha.promotable(three, Direction.MINIMIZE)).map(Trial::number).contains(0);
  }

  @Test
  void promotedTrialsAreNotPromotedAgain() {
    // Trial 0 was resumed and trained past rung 1; trial 1 (second of three) is not in the top third.
    List<Trial> trials = List.of(running(0, 0.1, 0.1), paused(1, 0.5), paused(2, 0.7));
    assertThat(asha.promotable(trials, Direction.MINIMIZE)).isEmpty();
  }

  @Test
  void higherRungsAreServedFirst() {
    List<Trial> trials = List.of(
        // Rung 1: 0, 1, 2, 3, 4, 5 reached it; top 2 are trials 0 and 1 (0 passed on, 1 paused there).
        running(0, 0.1, 0.1, 0.1), paused(1, 0.2),
        // Rung 3: trials 0, 2, 3, 4 reached it; trial 2 is the best and paused there.
        paused(2, 0.3, 0.3, 0.05), paused(3, 0.4, 0.4, 0.5), paused(4, 0.5, 0.5, 0.6), paused(5, 0.9));

    assertThat(asha.promotable(trials, Direction.MINIMIZE)).map(Trial::number).contains(2);
  }

  @Test
  void completedTrialsCountAtTheRungsTheyPassed() {
    List<Trial> trials = List.of(complete(0, 0.1, 0.1, 0.1, 0.1), paused(1, 0.2), paused(2, 0.3),
        paused(3, 0.4), paused(4, 0.5), paused(5, 0.6));

    // 6 at rung 1, top 2 = trials 0 (already past) and 1 (paused): 1 is promotable.
    assertThat(asha.promotable(trials, Direction.MINIMIZE)).map(Trial::number).contains(1);
  }

  @Test
  void badSettingsAreRejectedWithTheirValues() {
    assertThatThrownBy(() -> new SuccessiveHalvingPruner(3, 3, 3))
        .hasMessage("successive halving needs 1 <= min_resource < max_resource and eta >= 2,"
            + " got min_resource=3, max_resource=3, eta=3");
  }

  @Test
  void whenNoTrialCompletedTheDeepestBestPausedTrialIsFinished() {
    // trial 2 paused at step 3 beats the ones paused at step 1, even with a worse value
    List<Trial> paused = List.of(paused(0, 0.1), paused(1, 0.2), paused(2, 0.5, 0.4, 0.6), paused(3, 0.5, 0.4, 0.3));
    assertThat(asha.finishing(paused, Direction.MINIMIZE)).map(Trial::number).contains(3);
    assertThat(asha.finishing(paused, Direction.MAXIMIZE)).map(Trial::number).contains(2);
    // at one step, the best value wins, then the lower number
    assertThat(asha.finishing(List.of(paused(4, 0.3), paused(5, 0.2)), Direction.MINIMIZE)).map(Trial::number).contains(5);
    assertThat(asha.finishing(List.of(paused(7, 0.2), paused(6, 0.2)), Direction.MINIMIZE)).map(Trial::number).contains(6);
    // NaN values are never finished
    assertThat(asha.finishing(List.of(paused(8, Double.NaN)), Direction.MINIMIZE)).isEmpty();
  }

  @Test
  void aCompletedTrialMeansNothingIsFinishedEarly() {
    List<Trial> trials = List.of(paused(0, 0.1), complete(1, 0.5, 0.5, 0.5, 0.5));
    assertThat(asha.finishing(trials, Direction.MINIMIZE)).isEmpty();
  }
}
