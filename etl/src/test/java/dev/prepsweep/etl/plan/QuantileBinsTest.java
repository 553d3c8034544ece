package dev.prepsweep.etl.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Quantile bins of a numeric label, without Spark. */
class QuantileBinsTest {

  /** The exact quantile Spark's approxQuantile(..., 0.0) returns: the value of rank ceil(p n) (1-based). */
  private static double[] quantiles(double[] values, double[] probabilities) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double[] q = new double[probabilities.length];
    for (int i = 0; i < q.length; i++) {
      q[i] = sorted[(int) Math.max(0, Math.ceil(probabilities[i] * sorted.length) - 1)];
    }
    return q;
  }

  @Test
  void distinctValuesFillEqualFrequencyBins() {
    SplittableRandom rng = new SplittableRandom(3);
    double[] values = rng.doubles(1000, 25, 346).toArray();
    QuantileBins bins = QuantileBins.fromQuantiles(quantiles(values, QuantileBins.probabilities(5)));
    assertThat(bins.size()).isEqualTo(5);
    int[] counts = new int[bins.size()];
    for (double v : values) {
      counts[bins.bin(v)]++;
    }
    // with distinct values each bin holds n/5 rows, give or take the one row at a cut point
    for (int c : counts) {
      assertThat(c).isBetween(199, 201);
    }
  }

  @Test
  void cutPointsGoToTheUpperBinAndTiesMerge() {
    QuantileBins bins = QuantileBins.fromQuantiles(new double[] {10, 10, 20});
    assertThat(bins.cuts()).containsExactly(10, 20);
    assertThat(bins.bin(9.99)).isZero();
    assertThat(bins.bin(10)).isEqualTo(1);
    assertThat(bins.bin(19.99)).isEqualTo(1);
    assertThat(bins.bin(20)).isEqualTo(2);
    assertThat(bins.names()).containsExactly("q1 (< 10)", "q2 [10, 20)", "q3 (>= 20)");
    assertThat(QuantileBins.fromQuantiles(new double[0]).names()).containsExactly("q1 (all)");
  }

  @Test
  void badInputFailsNamingTheRule() {
    assertThatThrownBy(() -> QuantileBins.probabilities(0)).hasMessageContaining("bins = 0 must be >= 1");
    assertThatThrownBy(() -> QuantileBins.fromQuantiles(new double[] {1, Double.NaN}))
        .hasMessageContaining("quantiles must be finite");
    assertThatThrownBy(() -> new QuantileBins(new double[] {2, 1})).hasMessageContaining("must increase strictly");
  }
}
