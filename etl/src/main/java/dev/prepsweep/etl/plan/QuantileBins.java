package dev.prepsweep.etl.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Bins of a numeric label at its quantiles, the strata of a regression split: stratifying on them
 * gives train, val and test the same spread of label values, as stratifying on classes gives them the
 * same class mix. Built from cut points (the label's quantiles at {@link #probabilities(int)}, which
 * Spark's exact {@code approxQuantile(..., 0.0)} computes); equal cut points (a label with many ties)
 * merge, so there may be fewer bins than asked. A value equal to a cut point falls in the upper bin.
 *
 * @param cuts strictly increasing cut points; bin i holds values in {@code [cuts[i-1], cuts[i])}
 */
public record QuantileBins(double[] cuts) {

  public QuantileBins {
    cuts = cuts.clone();
    for (int i = 1; i < cuts.length; i++) {
      if (!(cuts[i] > cuts[i - 1])) {
        throw new IllegalArgumentException("cut points must increase strictly: " + Arrays.toString(cuts));
      }
    }
  }

  /** The quantile probabilities of {@code bins} equal-frequency bins: 1/bins, ..., (bins-1)/bins. */
  public static double[] probabilities(int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins = " + bins + " must be >= 1");
    }
    double[] p = new double[bins - 1];
    for (int i = 1; i < bins; i++) {
      p[i - 1] = (double) i / bins;
    }
    return p;
  }

  /** Bins from the label's quantiles (in increasing order, possibly with ties); NaN quantiles are rejected. */
  public static QuantileBins fromQuantiles(double[] quantiles) {
    List<Double> cuts = new ArrayList<>();
    for (double q : quantiles) {
      if (Double.isNaN(q) || Double.isInfinite(q)) {
        throw new IllegalArgumentException("quantiles must be finite: " + Arrays.toString(quantiles));
      }
      if (cuts.isEmpty() || q > cuts.get(cuts.size() - 1)) {
        cuts.add(q);
      }
    }
    return new QuantileBins(cuts.stream().mapToDouble(Double::doubleValue).toArray());
  }

  public int size() {
    return cuts.length + 1;
  }

  /** The bin of {@code value}: how many cut points are {@code <=} it. */
  public int bin(double value) {
    int lo = 0;
    int hi = cuts.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cuts[mid] <= value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** A readable name per bin, e.g. {@code q1 (< 87)}, {@code q2 [87, 140)}, {@code q5 (>= 211)}. */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      String range = size() == 1 ? "(all)"
          : i == 0 ? "(< " + num(cuts[0]) + ")"
          : i == cuts.length ? "(>= " + num(cuts[i - 1]) + ")"
          : "[" + num(cuts[i - 1]) + ", " + num(cuts[i]) + ")";
      out.add("q" + (i + 1) + " " + range);
    }
    return out;
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.6g", v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuantileBins b && Arrays.equals(cuts, b.cuts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(cuts);
  }

  @Override
  public String toString() {
    return "QuantileBins" + Arrays.toString(cuts);
  }
}
