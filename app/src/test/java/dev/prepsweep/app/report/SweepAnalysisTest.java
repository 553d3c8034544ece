package dev.prepsweep.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.report.SweepAnalysis.HistoryPoint;
import dev.prepsweep.app.report.SweepAnalysis.Importance;
import dev.prepsweep.app.report.SweepData.Objective;
import dev.prepsweep.app.report.SweepData.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SweepAnalysisTest {

  @Test
  void historyKeepsTheRunningBestInTheObjectivesDirection() {
    SweepData data = ReportFixtures.singleObjective();
    List<HistoryPoint> h = SweepAnalysis.history(data);
    List<Trial> done = SweepAnalysis.completed(data);
    assertThat(h).hasSize(done.size());
    double best = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < h.size(); i++) {
      best = Math.max(best, done.get(i).value());
      assertThat(h.get(i).bestSoFar()).isEqualTo(best);
    }
    // Minimising the same values: the running best is the running minimum.
    SweepData min = new SweepData(ReportFixtures.sweep("m", List.of(new Objective("val_loss", false)), null, null),
        data.paramNames(), data.trials(), data.epochs());
    double lowest = Double.POSITIVE_INFINITY;
    for (HistoryPoint p : SweepAnalysis.history(min)) {
      lowest = Math.min(lowest, p.value());
      assertThat(p.bestSoFar()).isEqualTo(lowest);
    }
  }

  @Test
  void importanceRanksTheParameterThatDrivesTheObjectiveFirst() {
    List<Importance> imp = SweepAnalysis.importance(ReportFixtures.singleObjective());
    assertThat(imp).isNotEmpty();
    assertThat(imp.get(0).param()).isEqualTo("lr");
    assertThat(imp.get(0).score()).isGreaterThan(0.5);
    assertThat(imp.stream().mapToDouble(Importance::share).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void pureNoiseParametersExplainLittleOnAverage() {
    // Epsilon-squared is unbiased for a parameter unrelated to the objective: over many random sweeps
    // of 20 trials its mean stays near 0 (eta-squared would average about (k-1)/(n-1) = 0.16 here).
    SplittableRandom rnd = new SplittableRandom(7);
    double sum = 0;
    int runs = 200;
    for (int r = 0; r < runs; r++) {
      List<Trial> trials = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        trials.add(new Trial(i, 0, "COMPLETE", rnd.nextDouble(), Map.of("noise", rnd.nextDouble()), Map.of(), null, null,
            null));
      }
      SweepData d = new SweepData(ReportFixtures.sweep("n", List.of(new Objective("val_accuracy", true)), null, null),
          List.of("noise"), trials, List.of());
      sum += SweepAnalysis.importance(d).get(0).score();
    }
    // Floored at 0, so the mean is slightly positive; 0.08 is half of eta-squared's bias.
    assertThat(sum / runs).isLessThan(0.08);
  }

  @Test
  void importanceNeedsEnoughCompletedTrials() {
    SweepData data = ReportFixtures.singleObjective();
    SweepData few = new SweepData(data.sweep(), data.paramNames(), data.trials().subList(0, 3), List.of());
    assertThat(SweepAnalysis.importance(few)).isEmpty();
  }

  @Test
  void paretoFrontHoldsExactlyTheNonDominatedTrials() {
    SweepData data = ReportFixtures.twoObjectives();
    List<Trial> front = SweepAnalysis.paretoFront(data);
    List<Trial> done = SweepAnalysis.completed(data);
    for (Trial t : done) {
      // Written out here, not through SweepAnalysis.dominates: accuracy is maximised, loss minimised.
      double acc = t.metrics().get("val_accuracy");
      double loss = t.metrics().get("val_loss");
      boolean dominated = done.stream().anyMatch(o -> {
        double oAcc = o.metrics().get("val_accuracy");
        double oLoss = o.metrics().get("val_loss");
        return oAcc >= acc && oLoss <= loss && (oAcc > acc || oLoss < loss);
      });
      assertThat(front.contains(t)).as("trial %d", t.trialId()).isEqualTo(!dominated);
    }
    assertThat(front).isNotEmpty().hasSizeLessThan(done.size());
  }

  @Test
  void epsilonSquaredIsOneWhenGroupsExplainEverything() {
    double[] y = {1, 1, 1, 5, 5, 5};
    int[] g = {0, 0, 0, 1, 1, 1};
    assertThat(SweepAnalysis.epsilonSquared(y, g, 2)).isEqualTo(1.0);
    assertThat(SweepAnalysis.epsilonSquared(new double[] {2, 2, 2, 2}, new int[] {0, 1, 0, 1}, 2)).isZero();
  }
}
