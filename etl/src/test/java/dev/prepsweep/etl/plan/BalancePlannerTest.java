package dev.prepsweep.etl.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.prepsweep.etl.PrepConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BalancePlannerTest {
  static PrepConfig.Balance balance(String method, String target) {
    return new PrepConfig.Balance(method, target, Map.of(), 5, true);
  }

  static final Map<String, Long> COUNTS = new LinkedHashMap<>(Map.of("a", 700L, "b", 150L, "c", 20L, "d", 0L));

  @Test
  void targets() {
    assertThat(BalancePlanner.targets(COUNTS, balance("random", "max"))).containsEntry("a", 700L).containsEntry("c", 700L)
        .containsEntry("d", 0L);
    assertThat(BalancePlanner.targets(COUNTS, balance("random", "min"))).containsEntry("a", 20L).containsEntry("b", 20L);
    assertThat(BalancePlanner.targets(COUNTS, balance("random", "mean"))).containsEntry("b", 290L);
    assertThat(BalancePlanner.targets(COUNTS, balance("random", "100"))).containsEntry("a", 100L).containsEntry("c", 100L);
    PrepConfig.Balance perLabel = new PrepConfig.Balance("random", "labels", Map.of("c", 60L), 5, true);
    assertThat(BalancePlanner.targets(COUNTS, perLabel)).containsEntry("a", 700L).containsEntry("c", 60L);
  }

  @Test
  void everyClassEndsExactlyAtItsTarget() {
    int bits = 3;
    Map<String, long[]> weights = new LinkedHashMap<>();
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(2);
    Map<String, List<Long>> keys = new LinkedHashMap<>();
    COUNTS.forEach((l, n) -> {
      long[] w = new long[1 << bits];
      List<Long> ks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long k = rnd.nextLong() & Long.MAX_VALUE;
        ks.add(k);
        w[(int) (k >>> (63 - bits))]++;
      }
      weights.put(l, w);
      keys.put(l, ks);
    });
    for (String method : List.of("random", "smote")) {
      for (String target : List.of("max", "min", "mean", "333")) {
        BalancePlanner.BalancePlan plan = BalancePlanner.plan(weights, bits, balance(method, target));
        Map<String, Long> targets = BalancePlanner.targets(COUNTS, balance(method, target));
        for (String l : COUNTS.keySet()) {
          // apply as the runner does: direct lookup or the rank inside the bucket
          Map<Integer, List<Long>> byBucket = new java.util.TreeMap<>();
          keys.get(l).forEach(k -> byBucket.computeIfAbsent((int) (k >>> (63 - bits)), b -> new ArrayList<>()).add(k));
          long total = 0;
          for (Map.Entry<Integer, List<Long>> b : byBucket.entrySet()) {
            List<Long> ks = b.getValue();
            ks.sort(null);
            for (int i = 0; i < ks.size(); i++) {
              int d = plan.yields().direct(l, b.getKey());
              total += d >= 0 ? d : plan.yields().valueAt(l, b.getKey(), i, 1);
            }
          }
          assertThat(total).as(method + " " + target + " " + l).isEqualTo(targets.get(l));
        }
      }
    }
  }

  @Test
  void classWeightsAreBalancedHeuristic() {
    Map<String, Double> w = BalancePlanner.classWeights(COUNTS);
    assertThat(w.get("a")).isCloseTo(870.0 / (3 * 700), within(1e-12));
    assertThat(w.get("c")).isCloseTo(870.0 / (3 * 20), within(1e-12));
    assertThat(w.get("d")).isZero();
  }

  @Test
  void cutsKeepCellsNearTheCellSize() {
    assertThat(BalancePlanner.cuts(1000, 1024, 16)).isZero();
    assertThat(BalancePlanner.cuts(1025, 1024, 16)).isEqualTo(1);
    assertThat(BalancePlanner.cuts(1_200_000, 1024, 16)).isEqualTo(11);
    assertThat(BalancePlanner.cuts(Long.MAX_VALUE, 1024, 16)).isEqualTo(16);
  }

  @Test
  void smoteInterpolatesTowardNearNeighboursAndIsSeeded() {
    double[][] x = {{0, 0}, {1, 0}, {0, 1}, {10, 10}, {11, 10}};
    String[] ids = {"a", "b", "c", "d", "e"};
    int[] synth = {3, 0, 0, 2, 0};
    List<double[]> out1 = new ArrayList<>();
    List<Integer> src = new ArrayList<>();
    SmoteKernel.synthesize(x, ids, synth, 2, 9, (s, c, f) -> {
      out1.add(f);
      src.add(s);
    });
    assertThat(src).containsExactly(0, 0, 0, 3, 3);
    // from (0,0) the 2 nearest are (1,0) and (0,1): synthetic points lie on those segments
    for (int i = 0; i < 3; i++) {
      double[] p = out1.get(i);
      assertThat(p[0] == 0 || p[1] == 0).isTrue();
      assertThat(p[0] + p[1]).isBetween(0.0, 1.0);
    }
    List<double[]> out2 = new ArrayList<>();
    SmoteKernel.synthesize(x, ids, synth, 2, 9, (s, c, f) -> out2.add(f));
    for (int i = 0; i < out1.size(); i++) {
      assertThat(out2.get(i)).containsExactly(out1.get(i));
    }
  }

  @Test
  void neighboursAreExact() {
    double[][] x = {{0}, {5}, {1}, {3}, {2}};
    int[] nn = new int[2];
    double[] nd = new double[2];
    assertThat(SmoteKernel.neighbours(x, 0, 2, nn, nd)).isEqualTo(2);
    assertThat(nn).containsExactly(2, 4);
    assertThat(nd).containsExactly(1.0, 4.0);
  }
}
