package dev.prepsweep.app.driver;

import dev.prepsweep.app.results.TrialRecord;
import dev.prepsweep.sweep.sampler.moo.ParetoFront;
import dev.prepsweep.sweep.spec.Constraint;
import dev.prepsweep.sweep.spec.Selection;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import java.util.ArrayList;
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
  /** COMPLETE trials a resumed sweep's earlier drivers recorded (no record of this driver's). */
  private final Map<Integer, Earlier> earlier = new LinkedHashMap<>();

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
    earlier.remove(record.trialId());
  }

  /**
   * A COMPLETE trial that an earlier driver of a resumed sweep recorded, as its {@code trials} row holds it: it takes
   * part in the ranks and the selection exactly as if this driver had run it.
   *
   * @param violation the row's {@code constraint_violation} (null: no constraints)
   * @param metrics the row's metric columns ({@link TrialMetrics#NAMES}; NaN where the row has none)
   */
  record Earlier(int trial, int attempt, List<Double> values, Double violation, Map<String, Double> metrics) {
    Earlier {
      values = List.copyOf(values);
      metrics = Map.copyOf(metrics);
    }
  }

  /** The Pareto rank of a trial an earlier driver recorded ({@code trials} row {@code trial}, {@code attempt}). */
  record EarlierRank(int trial, int attempt, int rank) {}

  /** Notes a COMPLETE trial of an earlier driver (sweep resume). */
  void earlier(Earlier trial) {
    if (!records.containsKey(trial.trial())) {
      earlier.put(trial.trial(), trial);
    }
  }

  /**
   * What the end of the sweep decides.
   *
   * @param ranked the COMPLETE records again, with their Pareto rank (multi-objective sweeps; empty otherwise)
   * @param earlierRanks the Pareto ranks of COMPLETE trials earlier drivers recorded (multi-objective resumed sweeps)
   * @param front trial numbers of rank 0, in order
   * @param selected the trial whose model is scored on test, empty when the rule matched none
   * @param rule the rule as text, e.g. {@code maximize val_macro_f1 where latency_p95_ms <= 2}
   */
  record Decision(List<TrialRecord> ranked, List<EarlierRank> earlierRanks, List<Integer> front,
      Optional<Integer> selected, String rule) {}

  /**
   * Ranks the feasible COMPLETE trials, this driver's and earlier drivers', and applies the selection rule
   * (default: best by the first metric) over all of them, as an uninterrupted sweep would.
   */
  Decision finish() {
    List<Integer> feasible = noted().stream().filter(n -> {
      Double v = records.containsKey(n) ? records.get(n).violation() : earlier.get(n).violation();
      return v == null || v == 0;
    }).toList();
    List<TrialRecord> ranked = new ArrayList<>();
    List<EarlierRank> earlierRanks = new ArrayList<>();
    List<Integer> front = new ArrayList<>();
    if (spec.isMultiObjective()) {
      List<Trial> trials = feasible.stream()
          .map(n -> new Trial(n, Map.of(), TrialState.COMPLETE, valuesOf(n), null)).toList();
      int[] rank = ParetoFront.ranks(ParetoFront.losses(trials, spec.directions()));
      for (int i = 0; i < trials.size(); i++) {
        int n = trials.get(i).number();
        if (records.containsKey(n)) {
          ranked.add(records.get(n).withParetoRank(rank[i]));
        } else {
          earlierRanks.add(new EarlierRank(n, earlier.get(n).attempt(), rank[i]));
        }
        if (rank[i] == 0) {
          front.add(n);
        }
      }
    }
    SweepSpec.Metric first = spec.metrics().get(0);
    Selection rule = spec.objectives().select().orElse(new Selection(first.name(), first.goal(), List.of()));
    List<Selection.Candidate> candidates = feasible.stream()
        .map(n -> new Selection.Candidate(n, records.containsKey(n) ? metrics.get(n) : earlier.get(n).metrics()))
        .toList();
    Optional<Integer> selected = rule.choose(candidates).map(Selection.Candidate::trial);
    return new Decision(ranked, earlierRanks, front, selected, rule.toString());
  }

  private List<Double> valuesOf(int trial) {
    return records.containsKey(trial) ? records.get(trial).values() : earlier.get(trial).values();
  }

  /** The first objective's value of a noted trial. */
  Double firstValue(int trial) {
    TrialRecord r = records.get(trial);
    if (r != null) {
      return r.value();
    }
    Earlier e = earlier.get(trial);
    return e == null || e.values().isEmpty() ? null : e.values().get(0);
  }

  /** Trial numbers noted so far (this driver's and earlier drivers'), in order. */
  List<Integer> noted() {
    java.util.Set<Integer> all = new java.util.TreeSet<>(records.keySet());
    all.addAll(earlier.keySet());
    return List.copyOf(all);
  }
}
