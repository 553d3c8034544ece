package dev.prepsweep.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.report.SweepData.Trial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's Pareto front leaves out trials that miss the sweep's constraints. */
class FeasibleFrontTest {

  @Test
  void anInfeasibleTrialIsNeverOnTheFrontEvenWhenItDominates() {
    SweepData two = ReportFixtures.twoObjectives();
    List<Trial> front = SweepAnalysis.paretoFront(two);
    Trial first = front.get(0);
    // make the front's first trial infeasible: it must leave the front, and only it
    List<Trial> trials = new ArrayList<>();
    for (Trial t : two.trials()) {
      Map<String, Double> m = new LinkedHashMap<>(t.metrics());
      if (t.trialId() == first.trialId() && t.attempt() == first.attempt()) {
        m.put("constraint_violation", 0.5);
      }
      trials.add(new Trial(t.trialId(), t.attempt(), t.state(), t.value(), t.params(), m, t.durationS(), t.executorId(),
          t.error()));
    }
    SweepData constrained = new SweepData(two.sweep(), two.paramNames(), trials, two.epochs());
    List<Integer> after = SweepAnalysis.paretoFront(constrained).stream().map(Trial::trialId).toList();
    assertThat(after).doesNotContain(first.trialId());
    assertThat(after).containsAll(front.stream().skip(1).map(Trial::trialId).toList());
  }
}
