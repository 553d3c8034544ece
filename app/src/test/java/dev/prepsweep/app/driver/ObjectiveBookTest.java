package dev.prepsweep.app.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.config.SweepSpecParser;
import dev.prepsweep.app.results.TrialRecord;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.sweep.spec.SweepSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pareto ranks and the selection rule at the end of a sweep, without Spark. */
class ObjectiveBookTest {

  private static SweepSpec spec(String extra) {
    return SweepSpecParser.parse(ConfigNode.parse("""
        sweep:
          method: nsga2
          metrics:
            - {name: val_macro_f1, goal: maximize}
            - {name: latency_p50_ms, goal: minimize}
          parameters:
            hidden: {values: [8, 64]}
          budget: {trials: 5}
        """ + extra, "t.yaml").required("sweep"));
  }

  private static void complete(ObjectiveBook book, int trial, double f1, double p50, double bytes) {
    Map<String, Double> metrics = Map.of("val_macro_f1", f1, "latency_p50_ms", p50, "model_bytes", bytes);
    double v = book.violation(metrics);
    TableVersion t = new TableVersion("train", "/w/train", 1);
    book.complete(new TrialRecord("sw", trial, 1, "COMPLETE", List.of(f1, p50), Map.of(), 1, null, List.of(), null,
        null, null, null, 0, 0L, null, t, t, null, 0, null, Double.isNaN(v) ? null : v, null, "none", null, null, List.of(), null, List.of(), List.of()), metrics);
  }

  @Test
  void ranksFeasibleTrialsAndSelectsByTheRule() {
    ObjectiveBook book = new ObjectiveBook(spec("""
          constraints: ["model_bytes <= 1000"]
          select: {maximize: val_macro_f1, where: "latency_p50_ms <= 2"}
        """));
    complete(book, 0, 0.90, 3.0, 500);  // front (best F1 among feasible) but too slow for the rule
    complete(book, 1, 0.80, 1.0, 500);  // front, meets the rule
    complete(book, 2, 0.70, 1.5, 500);  // dominated by 1
    complete(book, 3, 0.99, 0.1, 5000); // would dominate all, but infeasible: no rank, never selected
    complete(book, 4, 0.60, 0.5, 500);  // front (fastest feasible)
    ObjectiveBook.Decision d = book.finish();
    assertThat(d.front()).containsExactly(0, 1, 4);
    assertThat(d.ranked()).extracting(TrialRecord::trialId).containsExactly(0, 1, 2, 4);
    assertThat(d.ranked()).filteredOn(r -> r.trialId() == 2).extracting(TrialRecord::paretoRank).containsExactly(1);
    assertThat(d.selected()).contains(1);
    assertThat(d.rule()).isEqualTo("maximize val_macro_f1 where latency_p50_ms <= 2");
  }

  @Test
  void withoutARuleTheBestFeasibleTrialByTheFirstMetricIsSelected() {
    ObjectiveBook book = new ObjectiveBook(spec("  constraints: [\"model_bytes <= 1000\"]\n"));
    complete(book, 0, 0.90, 3.0, 500);
    complete(book, 1, 0.99, 1.0, 5000);
    assertThat(book.finish().selected()).contains(0);
  }

  @Test
  void earlierDriversTrialsAreRankedAndSelectedAsIfThisDriverHadRunThem() {
    ObjectiveBook book = new ObjectiveBook(spec("""
          constraints: ["model_bytes <= 1000"]
          select: {maximize: val_macro_f1, where: "latency_p50_ms <= 2"}
        """));
    // a resumed sweep: trials 0, 1 and 3 completed under the dead driver, as their rows hold them
    book.earlier(earlier(0, 2, 0.90, 3.0, 500));  // front, too slow for the rule
    book.earlier(earlier(1, 1, 0.85, 1.0, 500));  // front, the rule's pick
    book.earlier(earlier(3, 1, 0.99, 0.1, 5000)); // infeasible: no rank, never selected
    complete(book, 2, 0.70, 1.5, 500);  // this driver's: dominated by 1
    complete(book, 4, 0.60, 0.5, 500);  // this driver's: front (fastest feasible)
    ObjectiveBook.Decision d = book.finish();
    assertThat(book.noted()).containsExactly(0, 1, 2, 3, 4);
    assertThat(d.front()).containsExactly(0, 1, 4);
    assertThat(d.ranked()).extracting(TrialRecord::trialId, TrialRecord::paretoRank)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 1), org.assertj.core.groups.Tuple.tuple(4, 0));
    // earlier rows get their rank by (trial, attempt): trial 0's COMPLETE row was its second attempt
    assertThat(d.earlierRanks()).containsExactly(new ObjectiveBook.EarlierRank(0, 2, 0),
        new ObjectiveBook.EarlierRank(1, 1, 0));
    assertThat(d.selected()).contains(1);
    assertThat(book.firstValue(1)).isEqualTo(0.85);
  }

  private static ObjectiveBook.Earlier earlier(int trial, int attempt, double f1, double p50, double bytes) {
    Map<String, Double> metrics = Map.of("val_macro_f1", f1, "latency_p50_ms", p50, "model_bytes", bytes);
    double v = dev.prepsweep.sweep.spec.Constraint.violation(
        List.of(dev.prepsweep.sweep.spec.Constraint.parse("model_bytes <= 1000")), metrics);
    return new ObjectiveBook.Earlier(trial, attempt, List.of(f1, p50), v, metrics);
  }
}
