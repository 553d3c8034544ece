package dev.prepsweep.etl.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The split planner and rank plan without Spark: simulate rows, apply the plan as the runner does. */
class SplitPlannerTest {
  private static final double[] RATIOS = {0.8, 0.1, 0.1};

  @Test
  void apportionIsWithinOneRowAndAddsUp() {
    SplittableRandom rnd = new SplittableRandom(1);
    for (int trial = 0; trial < 2000; trial++) {
      long n = rnd.nextLong(0, 100_000);
      double a = rnd.nextDouble();
      double b = rnd.nextDouble() * (1 - a);
      double[] r = {a, b, 1 - a - b};
      long[] p = SplitPlanner.apportion(n, r);
      assertThat(Arrays.stream(p).sum()).isEqualTo(n);
      for (int i = 0; i < 3; i++) {
        assertThat(Math.abs(p[i] - n * r[i])).isLessThan(1.0 + 1e-9);
      }
    }
  }

  @Test
  void apportionExamples() {
    assertThat(SplitPlanner.apportion(10, RATIOS)).containsExactly(8, 1, 1);
    assertThat(SplitPlanner.apportion(7, RATIOS)).containsExactly(5, 1, 1); // 5.6, .7, .7: largest remainders win
    assertThat(SplitPlanner.apportion(2, new double[] {0.5, 0.25, 0.25})).containsExactly(1, 1, 0); // ties: lower index
    assertThat(SplitPlanner.apportion(0, RATIOS)).containsExactly(0, 0, 0);
    assertThat(SplitPlanner.apportion(5, new double[] {1, 0, 0})).containsExactly(5, 0, 0);
  }

  /** Rows as (stratum, key); assigns like the runner: direct lookup or rank within the bucket. */
  static Map<String, long[]> simulate(Map<String, List<Long>> keys, SplitPlanner.SplitPlan plan, int bits, int folds) {
    Map<String, long[]> counts = new HashMap<>();
    RankPlan rp = plan.rank();
    for (Map.Entry<String, List<Long>> e : keys.entrySet()) {
      Map<Integer, List<Long>> byBucket = new HashMap<>();
      for (long k : e.getValue()) {
        byBucket.computeIfAbsent(rp.bucketOf(k), b -> new ArrayList<>()).add(k);
      }
      long[] c = new long[3 + Math.max(folds, 0)];
      for (Map.Entry<Integer, List<Long>> b : byBucket.entrySet()) {
        List<Long> ks = b.getValue();
        ks.sort(null);
        for (int i = 0; i < ks.size(); i++) {
          int d = rp.direct(e.getKey(), b.getKey());
          int v = d >= 0 ? d : rp.valueAt(e.getKey(), b.getKey(), i, 1);
          c[SplitPlanner.splitOf(v)]++;
          if (SplitPlanner.foldOf(v) >= 0) {
            c[3 + SplitPlanner.foldOf(v)]++;
          }
        }
      }
      counts.put(e.getKey(), c);
    }
    return counts;
  }

  static Map<String, long[]> weights(Map<String, List<Long>> keys, int bits) {
    Map<String, long[]> w = new LinkedHashMap<>();
    RankPlan probe = RankPlan.of(bits, Map.of(), Map.of());
    keys.forEach((s, ks) -> {
      long[] a = new long[1 << bits];
      ks.forEach(k -> a[probe.bucketOf(k)]++);
      w.put(s, a);
    });
    return w;
  }

  static Map<String, List<Long>> rows(long seed, long... perStratum) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, List<Long>> out = new LinkedHashMap<>();
    for (int s = 0; s < perStratum.length; s++) {
      List<Long> ks = new ArrayList<>();
      for (long i = 0; i < perStratum[s]; i++) {
        ks.add(rnd.nextLong() & Long.MAX_VALUE);
      }
      out.put("c" + s, ks);
    }
    return out;
  }

  @Test
  void everyStratumGetsItsExactTargets() {
    int bits = 6;
    Map<String, List<Long>> keys = rows(3, 70_000, 15_000, 8_000, 5_000, 2_000, 7, 1, 0);
    Map<String, long[]> w = weights(keys, bits);
    SplitPlanner.SplitPlan plan = SplitPlanner.plan(w, bits, RATIOS, 0);
    Map<String, long[]> got = simulate(keys, plan, bits, 0);
    for (String s : keys.keySet()) {
      long[] t = plan.targets().get(s);
      assertThat(Arrays.copyOf(got.get(s), 3)).as(s).containsExactly(t);
      assertThat(Arrays.stream(t).sum()).isEqualTo(keys.get(s).size());
    }
    // only the buckets at the two cuts of each stratum need ranking
    assertThat(plan.rank().straddlingBuckets(w)).isLessThanOrEqualTo(2 * keys.size());
  }

  @Test
  void foldsSplitTrainEvenlyPerStratum() {
    int bits = 4;
    Map<String, List<Long>> keys = rows(5, 1003, 97);
    SplitPlanner.SplitPlan plan = SplitPlanner.plan(weights(keys, bits), bits, RATIOS, 5);
    Map<String, long[]> got = simulate(keys, plan, bits, 5);
    for (String s : keys.keySet()) {
      long train = got.get(s)[0];
      assertThat(train).isEqualTo(plan.targets().get(s)[0]);
      long sum = 0;
      for (int f = 0; f < 5; f++) {
        long c = got.get(s)[3 + f];
        sum += c;
        assertThat(Math.abs(c - train / 5.0)).isLessThan(1.0);
      }
      assertThat(sum).isEqualTo(train);
    }
  }

  @Test
  void weightedUnitsFollowTheirMidpoint() {
    // groups of weight 10: a cut at 80 of 100 falls between units, so groups split 8/1/1 exactly
    Map<String, long[]> w = Map.of("g", new long[] {100});
    SplitPlanner.SplitPlan plan = SplitPlanner.plan(w, 0, RATIOS, 0);
    int[] splits = new int[3];
    for (int i = 0; i < 10; i++) {
      splits[SplitPlanner.splitOf(plan.rank().valueAt("g", 0, i * 10L, 10))]++;
    }
    assertThat(splits).containsExactly(8, 1, 1);
  }

  @Test
  void rejectsSegmentsThatDoNotCoverTheStratum() {
    assertThatThrownBy(() -> RankPlan.of(1, Map.of("a", new long[] {3, 4}), Map.of("a", List.of(new RankPlan.Segment(5, 0)))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("stratum a: segments cover 5 but it weighs 7");
  }

  @Test
  void sameKeysSamePlan() {
    Map<String, List<Long>> keys = rows(9, 5000, 300);
    SplitPlanner.SplitPlan a = SplitPlanner.plan(weights(keys, 5), 5, RATIOS, 0);
    SplitPlanner.SplitPlan b = SplitPlanner.plan(weights(keys, 5), 5, RATIOS, 0);
    assertThat(simulate(keys, a, 5, 0)).usingRecursiveComparison().isEqualTo(simulate(keys, b, 5, 0));
  }
}
