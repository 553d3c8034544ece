package dev.prepsweep.sweep.pruner;

import static dev.prepsweep.sweep.pruner.Curves.paused;
import static dev.prepsweep.sweep.pruner.Curves.running;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HyperbandPrunerTest {

  private final HyperbandPruner hyperband = new HyperbandPruner(1, 27, 3, 7);

  @Test
  void bracketsStartTheirRungsOnePowerOfEtaLaterEach() {
    assertThat(hyperband.brackets()).extracting(SuccessiveHalvingPruner::rungs)
        .containsExactly(List.of(1, 3, 9), List.of(3, 9), List.of(9), List.of());
  }

  @Test
  void bracketsAreAssignedReproduciblyInProportionToTheirBudgets() {
    int n = 20_000;
    int brackets = hyperband.brackets().size();
    double[] weight = new double[brackets];
    for (int b = 0; b < brackets; b++) {
      int s = brackets - 1 - b;
      weight[b] = Math.ceil(brackets * Math.pow(3, s) / (s + 1));
    }
    double total = java.util.Arrays.stream(weight).sum();
    int[] counts = new int[brackets];
    IntStream.range(0, n).forEach(i -> counts[hyperband.bracketOf(i)]++);

    for (int b = 0; b < brackets; b++) {
      // A binomial share with n = 20000 has a standard deviation below 0.0036; 0.02 is over 5 sigma.
      assertThat((double) counts[b] / n).as("share of bracket %d", b).isCloseTo(weight[b] / total,
          org.assertj.core.data.Offset.offset(0.02));
    }
    assertThat(IntStream.range(0, 100).map(new HyperbandPruner(1, 27, 3, 7)::bracketOf).toArray())
        .isEqualTo(IntStream.range(0, 100).map(hyperband::bracketOf).toArray());
    assertThat(IntStream.range(0, 100).map(new HyperbandPruner(1, 27, 3, 8)::bracketOf).toArray())
        .isNotEqualTo(IntStream.range(0, 100).map(hyperband::bracketOf).toArray());
  }

  @Test
  void trialsCompeteOnlyWithinTheirBracket() {
    List<Integer> bracket0 = numbersIn(0, 3);
    List<Integer> bracket1 = numbersIn(1, 3);
    Trial t = running(bracket0.get(2), 0.5);
    List<Trial> trials = new ArrayList<>(List.of(paused(bracket0.get(0), 0.9), paused(bracket0.get(1), 0.8), t));
    // Better values at step 1 from another bracket (which reports every step but judges at 3 and 9).
    bracket1.forEach(n -> trials.add(running(n, 0.1)));

    assertThat(hyperband.decide(t, trials, Direction.MINIMIZE)).isEqualTo(PruneDecision.PROMOTE);
    assertThat(hyperband.brackets().get(0).decide(t, trials, Direction.MINIMIZE)).isEqualTo(PruneDecision.STOP);
  }

  @Test
  void promotableLooksInEveryBracket() {
    List<Integer> bracket1 = numbersIn(1, 3);
    List<Trial> trials = List.of(
        paused(bracket1.get(0), 0.5, 0.5, 0.1),
        paused(bracket1.get(1), 0.5, 0.5, 0.2),
        paused(bracket1.get(2), 0.5, 0.5, 0.3));

    assertThat(hyperband.promotable(trials, Direction.MINIMIZE)).map(Trial::number).contains(bracket1.get(0));
  }

  private List<Integer> numbersIn(int bracket, int count) {
    return IntStream.iterate(0, i -> i + 1).filter(i -> hyperband.bracketOf(i) == bracket).limit(count).boxed().toList();
  }
}
