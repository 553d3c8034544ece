package dev.prepsweep.app.report;

import dev.prepsweep.app.report.SweepData.Epoch;
import dev.prepsweep.app.report.SweepData.Objective;
import dev.prepsweep.app.report.SweepData.Sweep;
import dev.prepsweep.app.report.SweepData.Trial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-made sweeps and prep runs with every kind of trial the report draws. */
final class ReportFixtures {

  private ReportFixtures() {}

  static Sweep sweep(String id, List<Objective> objectives, Integer bestTrial, Double bestValue) {
    return new Sweep(id, "COMPLETE", "random", objectives, 42L, 10, 2, "local-cluster[2,2,2048]",
        Map.of("train", 3L, "val", 3L), Map.of("train", "/wh/train", "val", "/wh/val"), "0.1.0", "2026-01-01T00:00:00Z",
        "2026-01-01T00:10:00Z", 7, 1, 2, bestTrial, bestValue, null);
  }

  /**
   * Ten trials: seven complete whose accuracy rises with lr (so lr is the important parameter),
   * two pruned after two epochs, one failed; four epochs each for completed trials.
   */
  static SweepData singleObjective() {
    List<Trial> trials = new ArrayList<>();
    List<Epoch> epochs = new ArrayList<>();
    double[] lr = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 2e-2, 3e-2, 5e-4, 2e-3, 4e-3};
    String[] opt = {"adam", "sgd", "adam", "sgd", "adam", "sgd", "adam", "adam", "sgd", "adam"};
    for (int i = 0; i < 10; i++) {
      String state = i == 7 || i == 8 ? "PRUNED" : i == 9 ? "FAILED" : "COMPLETE";
      double acc = 0.6 + 0.05 * Math.log10(lr[i] / 1e-4) + (i % 2) * 0.003;
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("lr", lr[i]);
      params.put("hidden", (long) (32 << (i % 3)));
      params.put("optimizer", opt[i]);
      params.put("dropout", i == 3 ? null : 0.1 * (i % 5));
      Map<String, Double> metrics = new LinkedHashMap<>();
      if (state.equals("COMPLETE")) {
        metrics.put("val_accuracy", acc);
        metrics.put("val_loss", 1 - acc);
        metrics.put("val_macro_f1", acc - 0.01);
        metrics.put("train_loss", 0.9 - acc);
      }
      trials.add(new Trial(i, i == 9 ? 1 : 0, state, state.equals("COMPLETE") ? acc : null, params, metrics, 10.0 + i,
          "exec-" + (i % 2), state.equals("FAILED") ? "java.lang.OutOfMemoryError: <heap> & \"quotes\"" : null));
      int n = state.equals("COMPLETE") ? 4 : state.equals("PRUNED") ? 2 : 1;
      for (int e = 1; e <= n; e++) {
        double a = acc - 0.2 / e;
        epochs.add(new Epoch(i, i == 9 ? 1 : 0, e, 1.0 / e, 1 - a, a, a - 0.01));
      }
    }
    return new SweepData(sweep("sw-test-1", List.of(new Objective("val_accuracy", true)), 6, trials.get(6).value()),
        List.of("lr", "hidden", "optimizer", "dropout"), trials, epochs);
  }

  /**
   * A regression sweep as trials record it: four complete trials optimising val_r2, whose epochs carry the
   * regression metrics and losses and no classification metric (null, as the report reads NaN).
   */
  static SweepData regression() {
    List<Trial> trials = new ArrayList<>();
    List<Epoch> epochs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      double r2 = 0.2 + 0.1 * i;
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("lr", 0.01 * (i + 1));
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("val_r2", r2);
      metrics.put("val_rmse", 60 - 10 * r2);
      trials.add(new Trial(i, 0, "COMPLETE", r2, params, metrics, 5.0, "exec-0", null));
      for (int e = 1; e <= 3; e++) {
        double r = r2 - 0.1 / e;
        epochs.add(new Epoch(i, 0, e, 1.0 / e, 0.9 - r, null, null, 60 - 10 * r, 50 - 10 * r, r));
      }
    }
    return new SweepData(sweep("sw-reg", List.of(new Objective("val_r2", true)), 3, trials.get(3).value()),
        List.of("lr"), trials, epochs);
  }

  /** The same trials judged on two objectives: accuracy up, loss down. */
  static SweepData twoObjectives() {
    SweepData one = singleObjective();
    List<Trial> trials = new ArrayList<>();
    for (Trial t : one.trials()) {
      Map<String, Double> m = new LinkedHashMap<>(t.metrics());
      if (t.complete()) {
        // A trade-off: more accuracy costs loss for odd trials.
        m.put("val_loss", t.trialId() % 2 == 1 ? 0.5 - 0.01 * t.trialId() : 0.2 + 0.02 * t.trialId());
      }
      trials.add(new Trial(t.trialId(), t.attempt(), t.state(), t.value(), t.params(), m, t.durationS(), t.executorId(),
          t.error()));
    }
    return new SweepData(sweep("sw-test-2", List.of(new Objective("val_accuracy", true), new Objective("val_loss", false)),
        6, one.trials().get(6).value()), one.paramNames(), trials, one.epochs());
  }

  static PrepData prep() {
    Map<String, PrepData.StageRows> stages = new LinkedHashMap<>();
    stages.put("clean", new PrepData.StageRows(1000, 980, 1200L));
    stages.put("dedupe", new PrepData.StageRows(980, 950, 800L));
    stages.put("split", new PrepData.StageRows(950, 950, 300L));
    Map<String, Map<String, Long>> classes = new LinkedHashMap<>();
    classes.put("clean", Map.of("ham", 650L, "spam", 300L));
    classes.put("quarantined", Map.of("ham", 15L, "spam", 5L));
    classes.put("train", Map.of("ham", 520L, "spam", 240L));
    classes.put("train (balanced)", Map.of("ham", 520L, "spam", 520L));
    classes.put("val", Map.of("ham", 65L, "spam", 30L));
    classes.put("test", Map.of("ham", 65L, "spam", 30L));
    return new PrepData("run-1", "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", "/data/in.jsonl", "json", 42L, "abc",
        stages, classes, Map.of("clean.empty_text", 20L), Map.of("clean", 1L, "train", 3L, "val", 3L));
  }
}
