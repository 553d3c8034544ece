package dev.prepsweep.etl.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.prepsweep.etl.PrepConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class BalancePlannerTest {
  static PrepConfig.Balance balance(String method, String target) {
    return new PrepConfig.Balance(PrepConfig.BalanceMethod.valueOf(method.toUpperCase(java.util.Locale.ROOT)), target, Map.of(), 5, true);
  }

  static final Map<String, Long> COUNTS = new LinkedHashMap<>(Map.of("a", 700L, "b", 150L, "c", 20L, "d", 0L));

  @Test
  void targets() {
    assertThat(BalancePlanner.targets(COUNTS, balance("random", "max"))).containsEntry("a", 700L).containsEntry("c", 700L)
        .containsEntry("d", 0L);
    assertThat(BalancePlanner.targets(COUNTS, balance("random", "min"))).containsEntry("a", 20L).containsEntry("b", 20L);
    assertThat(BalancePlanner.targets(COUNTS, balance("random", "mean"))).containsEntry("b", 290L);
    assertThat(BalancePlanner.targets(COUNTS, balance("random", "100"))).containsEntry("a", 100L).containsEntry("c", 100L);
    PrepConfig.Balance perLabel = new PrepConfig.Balance(PrepConfig.BalanceMethod.RANDOM, "labels", Map.of("c", 60L), 5, true);
    assertThat(BalancePlanner.targets(COUNTS, perLabel)).containsEntry("a", 700L).containsEntry("c", 60L);
  }

  @Test
  void everyClassEndsExactlyAtItsTarget() {
    int bits = 3;
    Map<String, long[]> weights = new LinkedHashMap<>();
    SplittableRandom rnd = new SplittableRandom(2);
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
    SmoteKernel.Neighbours nn = SmoteKernel.Neighbours.of(x, new boolean[] {true, false, false, false, false}, 2);
    assertThat(nn.found[0]).isEqualTo(2);
    assertThat(Arrays.copyOfRange(nn.index, 0, 2)).containsExactly(2, 4);
    assertThat(Arrays.copyOfRange(nn.distance, 0, 2)).containsExactly(1.0, 4.0);
    assertThat(nn.found[1]).isZero();
  }

  @Test
  void pairwiseSearchMatchesAScanPerRowTiesIncluded() {
    // small integer coordinates make many equal distances: ties must go to the lower index
    SplittableRandom rnd = new SplittableRandom(3);
    for (int trial = 0; trial < 50; trial++) {
      int m = 1 + rnd.nextInt(40);
      int k = 1 + rnd.nextInt(6);
      double[][] x = new double[m][3];
      boolean[] wanted = new boolean[m];
      for (int i = 0; i < m; i++) {
        for (int t = 0; t < 3; t++) {
          x[i][t] = rnd.nextInt(4);
        }
        wanted[i] = rnd.nextInt(4) > 0;
      }
      int kk = Math.min(k, m - 1);
      if (kk == 0) {
        continue;
      }
      SmoteKernel.Neighbours nn = SmoteKernel.Neighbours.of(x, wanted, kk);
      for (int i = 0; i < m; i++) {
        if (!wanted[i]) {
          continue;
        }
        // the reference: every other row sorted by (distance, index), the first kk
        final int row = i;
        List<Integer> others = new ArrayList<>();
        for (int j = 0; j < m; j++) {
          if (j != row) {
            others.add(j);
          }
        }
        ToDoubleFunction<Integer> dist = j -> {
          double d = 0;
          for (int t = 0; t < 3; t++) {
            d += (x[row][t] - x[j][t]) * (x[row][t] - x[j][t]);
          }
          return d;
        };
        others.sort(Comparator.comparingDouble(dist).thenComparingInt(j -> j));
        assertThat(nn.found[i]).isEqualTo(kk);
        for (int p = 0; p < kk; p++) {
          assertThat(nn.index[i * kk + p]).as("trial %d row %d rank %d", trial, i, p).isEqualTo(others.get(p));
        }
      }
    }
  }
}
