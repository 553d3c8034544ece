package dev.prepsweep.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.sweep.spec.Constraint;
import dev.prepsweep.sweep.spec.ObjectiveSpec;
import dev.prepsweep.sweep.spec.Selection;
import dev.prepsweep.sweep.spec.SweepDefaults;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.sweep.study.Direction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Constraints, the selection rule and serving settings of a sweep: parsed and evaluated without Spark. */
class ObjectiveSpecParserTest {

  private static final String FILE = "conf/moo.yaml";

  /** The seeds' classic objective: best macro-F1 at p95 latency under 2 ms, models under 2 MB. */
  private static final String CLASSIC = """
      sweep:
        method: motpe
        metrics:
          - {name: val_macro_f1, goal: maximize}
          - {name: latency_p95_ms, goal: minimize}
        constraints: ["model_bytes <= 2e6", "latency_p95_ms <= 5"]
        select: {maximize: val_macro_f1, where: "latency_p95_ms <= 2"}
        serving: {batch_size: 32, calls: 300}
        parameters:
          hidden: {values: [8, 64]}
        budget: {trials: 4}
      """;

  private static SweepSpec parse(String yaml) {
    return SweepSpecParser.parse(ConfigNode.parse(yaml, FILE).required("sweep"));
  }

  @Test
  void parsesConstraintsSelectionAndServing() {
    ObjectiveSpec o = parse(CLASSIC).objectives();
    assertThat(o.constraints()).containsExactly(new Constraint("model_bytes", true, 2e6),
        new Constraint("latency_p95_ms", true, 5));
    assertThat(o.select()).contains(new Selection("val_macro_f1", Direction.MAXIMIZE,
        List.of(new Constraint("latency_p95_ms", true, 2))));
    assertThat(o.servingBatchSize()).isEqualTo(32);
    assertThat(o.servingCalls()).isEqualTo(300);
    assertThat(o.servingWarmupCalls()).isEqualTo(SweepDefaults.OBJECTIVES.servingWarmupCalls());
    assertThat(o.metricNames()).containsExactly("model_bytes", "latency_p95_ms", "val_macro_f1");
  }

  @Test
  void withoutTheKeysASweepHasNoConstraintsAndTheDefaultSelection() {
    ObjectiveSpec o = parse(CLASSIC.replaceAll("(?m)^  (constraints|select|serving):.*\\n", "")).objectives();
    assertThat(o).isEqualTo(SweepDefaults.OBJECTIVES);
  }

  @Test
  void badConstraintsNamePositionTextAndRule() {
    String yaml = CLASSIC.replace("\"latency_p95_ms <= 5\"", "\"latency_p95_ms < 5\"");
    String line = yaml.lines().toList().get(5);
    int col = line.indexOf("\"latency_p95_ms <") + 1;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage(FILE + ":6:" + col + ": key 'sweep.constraints[1]' = latency_p95_ms < 5: 'latency_p95_ms < 5' uses '<'; a"
            + " constraint bounds a metric with '<=' or '>=' (strict bounds and equality make no difference to"
            + " measured values)");
    assertThatThrownBy(() -> Constraint.parse("model_bytes at most 2e6"))
        .hasMessage("'model_bytes at most 2e6' is not a constraint; write '<metric> <= <number>' or"
            + " '<metric> >= <number>', e.g. 'latency_p50_ms <= 5'");
  }

  @Test
  void selectionNeedsExactlyOneGoalAndCallsAtLeastTwoHundred() {
    String both = CLASSIC.replace("{maximize: val_macro_f1,", "{maximize: val_macro_f1, minimize: latency_p95_ms,");
    assertThatThrownBy(() -> parse(both)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("needs exactly one of 'maximize: <metric>' or 'minimize: <metric>'");
    String few = CLASSIC.replace("calls: 300", "calls: 50");
    assertThatThrownBy(() -> parse(few)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("sweep.serving.calls").hasMessageContaining("must be >= 200");
  }

  @Test
  void violationIsTheSummedDistanceToEachMissedBound() {
    List<Constraint> cs = List.of(Constraint.parse("latency_p50_ms <= 5"), Constraint.parse(" val_macro_f1>=0.8 "));
    assertThat(Constraint.violation(cs, Map.of("latency_p50_ms", 4.0, "val_macro_f1", 0.9))).isZero();
    assertThat(Constraint.violation(cs, Map.of("latency_p50_ms", 5.0, "val_macro_f1", 0.8))).isZero();
    assertThat(Constraint.violation(cs, Map.of("latency_p50_ms", 7.5, "val_macro_f1", 0.7)))
        .isCloseTo(2.5 + 0.1, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(Constraint.parse("model_bytes <= 2e6").violation(Double.NaN)).isInfinite();
    assertThatThrownBy(() -> Constraint.violation(cs, Map.of("latency_p50_ms", 1.0)))
        .hasMessageContaining("names metric 'val_macro_f1', which the trial does not report");
  }

  @Test
  void selectionPicksTheBestCandidateMeetingWhereWithTiesToTheLowerTrial() {
    Selection rule = parse(CLASSIC).objectives().select().orElseThrow();
    List<Selection.Candidate> candidates = List.of(
        new Selection.Candidate(0, Map.of("val_macro_f1", 0.95, "latency_p95_ms", 3.0)), // best F1 but too slow
        new Selection.Candidate(1, Map.of("val_macro_f1", 0.90, "latency_p95_ms", 1.5)),
        new Selection.Candidate(2, Map.of("val_macro_f1", 0.85, "latency_p95_ms", 0.5)),
        new Selection.Candidate(3, Map.of("val_macro_f1", 0.90, "latency_p95_ms", 2.0)));
    assertThat(rule.choose(candidates).orElseThrow().trial()).isEqualTo(1);
    assertThat(rule.choose(candidates.subList(0, 1))).isEmpty();
    assertThat(rule.toString()).isEqualTo("maximize val_macro_f1 where latency_p95_ms <= 2");
  }
}
