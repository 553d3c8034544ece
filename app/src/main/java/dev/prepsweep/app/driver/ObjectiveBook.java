package dev.prepsweep.app.driver;

import dev.prepsweep.app.results.TrialRecord;
import dev.prepsweep.sweep.sampler.moo.ParetoFront;
import dev.prepsweep.sweep.spec.Constraint;
import dev.prepsweep.sweep.spec.Selection;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The driver's ledger of COMPLETE trials for objectives beyond one metric: each trial's metrics
 * ({@link TrialMetrics}) and constraint violation as it completes, and at the end of the sweep the
 * Pareto rank of every feasible trial and the one trial the selection rule picks for the test split.
 * Knows nothing of Spark: the driver writes what {@link #finish} returns.
 */
final class ObjectiveBook {

  private final SweepSpec spec;
  private final Map<Integer, TrialRecord> records = new LinkedHashMap<>();
  private final Map<Integer, Map<String, Double>> metrics = new LinkedHashMap<>();

  ObjectiveBook(SweepSpec spec) {
    this.spec = spec;
  }

  /** The violation of the sweep's constraints by {@code trialMetrics}: 0 feasible, NaN when there are none. */
  double violation(Map<String, Double> trialMetrics) {
    return spec.objectives().constraints().isEmpty() ? Double.NaN
        : Constraint.violation(spec.objectives().constraints(), trialMetrics);
  }

  /** Notes a COMPLETE trial's last record and its metrics. */
  void complete(TrialRecord record, Map<String, Double> trialMetrics) {
    records.put(record.trialId(), record);
    metrics.put(record.trialId(), Map.copyOf(trialMetrics));
  }

  /**
   * What the end of the sweep decides.
   *
   * @param ranked the COMPLETE records again, with their Pareto rank (multi-objective sweeps; empty otherwise)
   * @param front trial numbers of rank 0, in order
   * @param selected the trial whose model is scored on test, empty when the rule matched none
   * @param rule the rule as text, e.g. {@code maximize val_macro_f1 where latency_p95_ms <= 2}
   */
  record Decision(List<TrialRecord> ranked, List<Integer> front, Optional<Integer> selected, String rule) {}

  /** Ranks the feasible COMPLETE trials and applies the selection rule (default: best by the first metric). */
  Decision finish() {
    List<Integer> feasible = records.values().stream()
        .filter(r -> r.violation() == null || r.violation() == 0)
        .map(TrialRecord::trialId).sorted().toList();
    List<TrialRecord> ranked = new ArrayList<>();
    List<Integer> front = new ArrayList<>();
    if (spec.isMultiObjective()) {
      List<Trial> trials = feasible.stream()
          .map(n -> new Trial(n, Map.of(), TrialState.COMPLETE, records.get(n).values(), null)).toList();
      int[] rank = ParetoFront.ranks(ParetoFront.losses(trials, spec.directions()));
      for (int i = 0; i < trials.size(); i++) {
        ranked.add(records.get(trials.get(i).number()).withParetoRank(rank[i]));
        if (rank[i] == 0) {
          front.add(trials.get(i).number());
        }
      }
    }
    SweepSpec.Metric first = spec.metrics().get(0);
    Selection rule = spec.objectives().select().orElse(new Selection(first.name(), first.goal(), List.of()));
    List<Selection.Candidate> candidates = feasible.stream()
        .map(n -> new Selection.Candidate(n, metrics.get(n))).toList();
    Optional<Integer> selected = rule.choose(candidates).map(Selection.Candidate::trial);
    return new Decision(ranked, front, selected, rule.toString());
  }

  /** The first objective's value of a noted trial. */
  Double firstValue(int trial) {
    TrialRecord r = records.get(trial);
    return r == null ? null : r.value();
  }

  /** Trial numbers noted so far, in order (for logs). */
  List<Integer> noted() {
    return records.keySet().stream().sorted(Comparator.naturalOrder()).toList();
  }
}
