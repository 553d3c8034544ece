package dev.prepsweep.etl.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Joint rounding of the class-by-split table, and the small-class minimum, without Spark. */
class ControlledRoundingTest {

  /** Every class keeps its rows, each cell within one row of its quota, each total within one of its target. */
  static void assertControlled(long[] rows, double[] ratios, long[][] t) {
    long n = Arrays.stream(rows).sum();
    for (int s = 0; s < ratios.length; s++) {
      long total = 0;
      for (int c = 0; c < rows.length; c++) {
        total += t[c][s];
        assertThat(Math.abs(t[c][s] - rows[c] * ratios[s])).as("class %d split %d", c, s).isLessThan(1.0);
        assertThat(t[c][s]).isNotNegative();
      }
      assertThat(Math.abs(total - n * ratios[s])).as("total of split %d", s).isLessThan(1.0);
    }
    for (int c = 0; c < rows.length; c++) {
      assertThat(Arrays.stream(t[c]).sum()).isEqualTo(rows[c]);
    }
  }

  @Test
  void tiedLeftoversAreSpreadAcrossSplits() {
    // 100 classes of 2 rows at 0.5/0.25/0.25: each class's leftover row is a tie between val and test;
    // rounding per class (ties to the first) would put all 100 in val and none in test
    long[] rows = new long[100];
    Arrays.fill(rows, 2);
    long[][] t = ControlledRounding.round(rows, new double[] {0.5, 0.25, 0.25});
    long[] totals = new long[3];
    for (long[] r : t) {
      for (int s = 0; s < 3; s++) {
        totals[s] += r[s];
      }
    }
    assertThat(totals).containsExactly(100, 50, 50);
    assertControlled(rows, new double[] {0.5, 0.25, 0.25}, t);
  }

  @Test
  void propertyOverRandomClassCounts() {
    SplittableRandom rnd = new SplittableRandom(6);
    for (int trial = 0; trial < 3000; trial++) {
      int classes = 1 + rnd.nextInt(trial % 10 == 0 ? 300 : 12);
      long[] rows = new long[classes];
      for (int c = 0; c < classes; c++) {
        rows[c] = rnd.nextInt(4) == 0 ? rnd.nextLong(0, 5) : rnd.nextLong(0, 5000);
      }
      double a = rnd.nextInt(5) == 0 ? 1 : rnd.nextDouble();
      double b = rnd.nextDouble() * (1 - a);
      double[] ratios = rnd.nextInt(4) == 0 ? new double[] {0.8, 0.1, 0.1} : new double[] {a, b, 1 - a - b};
      assertControlled(rows, ratios, ControlledRounding.round(rows, ratios));
      // folds: equal ratios over up to 10 parts
      int k = 2 + rnd.nextInt(9);
      double[] eq = new double[k];
      Arrays.fill(eq, 1.0 / k);
      assertControlled(rows, eq, ControlledRounding.round(rows, eq));
    }
  }

  @Test
  void sameInputSameTable() {
    long[] rows = {7, 3, 11, 2, 2, 2, 9};
    double[] r = {0.7, 0.15, 0.15};
    assertThat(ControlledRounding.round(rows, r)).isDeepEqualTo(ControlledRounding.round(rows, r));
  }

  @Test
  void minPerSplitGivesEverySplitARowAndFailsWhenItCannot() {
    double[] ratios = {0.8, 0.1, 0.1};
    Map<String, long[]> w = new LinkedHashMap<>();
    w.put("big", new long[] {1000});
    w.put("three", new long[] {3});
    w.put("five", new long[] {5});
    SplitPlanner.SplitPlan plain = SplitPlanner.plan(w, 0, ratios, 0, 0);
    assertThat(plain.targets().get("three")).contains(0L); // 2.4/0.3/0.3: nothing for val or test
    SplitPlanner.SplitPlan plan = SplitPlanner.plan(w, 0, ratios, 0, 1);
    assertThat(plan.targets().get("three")).containsExactly(1, 1, 1);
    assertThat(Arrays.stream(plan.targets().get("five")).min().getAsLong()).isPositive();
    assertThat(Arrays.stream(plan.targets().get("five")).sum()).isEqualTo(5);
    assertThat(plan.targets().get("big")).containsExactly(plain.targets().get("big"));
    assertThat(SplitPlanner.tooSmall(Map.of("two", 2L, "three", 3L), ratios, 1)).containsExactly(Map.entry("two", 2L));
    assertThat(SplitPlanner.tooSmall(Map.of("two", 2L), new double[] {0.5, 0.5, 0}, 1)).isEmpty();
    // the job's message for it (exit code 3): the classes, their rows and what to change
    assertThat(dev.prepsweep.etl.PrepErrors.classesTooSmall(SplitPlanner.tooSmall(Map.of("two", 2L), ratios, 1), 1, 3)
        .getMessage()).isEqualTo("split.min_per_split is 1 but these classes have fewer than 3 rows (1 for each of 3"
            + " splits with a ratio above 0): {two=2}. Add rows for them, drop them with prep.labels.allowed, or lower"
            + " split.min_per_split.");
    assertThatThrownBy(() -> SplitPlanner.plan(Map.of("two", new long[] {2}), 0, ratios, 0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("stratum two has 2 rows, fewer than 1 for each of 3 splits");
  }

  @Test
  void warningsNameClassesAbsentFromASplit() {
    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    counts.put("train", Map.of("a", 80L, "b", 2L, "c", 3L));
    counts.put("val", Map.of("a", 10L, "b", 0L, "c", 1L));
    counts.put("test", Map.of("a", 10L, "b", 0L, "c", 0L));
    assertThat(SplitWarnings.of(counts, new double[] {0.8, 0.1, 0.1})).containsExactly(
        "class 'b' (2 rows, train/val/test 2/0/0) is absent from val and test: too small to appear in every split (3 splits)",
        "class 'c' (4 rows, train/val/test 3/1/0) is absent from test; split.min_per_split: 1 gives it at least one row in each");
    assertThat(SplitWarnings.of(counts, new double[] {0.9, 0.1, 0})).containsExactly(
        "class 'b' (2 rows, train/val/test 2/0/0) is absent from val; split.min_per_split: 1 gives it at least one row in each");
  }
}
