package dev.prepsweep.etl.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Warnings about the split a run wrote: classes that some split (with a ratio above 0) lacks. */
public final class SplitWarnings {
  private SplitWarnings() {}

  /**
   * @param counts split name ({@link SplitPlanner#SPLITS}) to label to rows, as written
   * @param ratios train, val, test ratios
   * @return one warning per class absent from a split that should hold rows, in label order
   */
  public static List<String> of(Map<String, Map<String, Long>> counts, double[] ratios) {
    TreeSet<String> labels = new TreeSet<>();
    counts.values().forEach(m -> labels.addAll(m.keySet()));
    List<String> out = new ArrayList<>();
    for (String label : labels) {
      long total = 0;
      List<String> absent = new ArrayList<>();
      StringBuilder layout = new StringBuilder();
      for (int i = 0; i < SplitPlanner.SPLITS.size(); i++) {
        String split = SplitPlanner.SPLITS.get(i);
        long n = counts.getOrDefault(split, Map.of()).getOrDefault(label, 0L);
        total += n;
        layout.append(i == 0 ? "" : "/").append(n);
        if (n == 0 && ratios[i] > 0) {
          absent.add(split);
        }
      }
      if (!absent.isEmpty() && total > 0) {
        long needed = java.util.Arrays.stream(ratios).filter(r -> r > 0).count();
        out.add("class '" + label + "' (" + total + " rows, train/val/test " + layout + ") is absent from "
            + String.join(" and ", absent) + (total < needed
                ? ": too small to appear in every split (" + needed + " splits)"
                : "; split.min_per_split: 1 gives it at least one row in each"));
      }
    }
    return out;
  }
}
