package dev.prepsweep.etl.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Warnings about labels that differ only by case or surrounding whitespace: either they were folded
 * into one class (counted, with examples), or, with {@code labels.normalize: false}, they stayed
 * separate classes.
 */
public final class LabelWarnings {
  /** How many raw spellings a warning names; the count covers them all. */
  static final int EXAMPLES = 5;

  private LabelWarnings() {}

  /** A raw label as it was written and the label it was folded to. */
  public record Fold(String raw, String label) {}

  /**
   * @param folds per raw spelling that folding changed: the valid records that had it
   * @param normalize whether {@code labels.normalize} (case folding) was on
   * @return the "labels case-folded" warning, when any record's label was folded
   */
  public static Optional<String> folded(Map<Fold, Long> folds, boolean normalize) {
    if (folds.isEmpty()) {
      return Optional.empty();
    }
    long records = folds.values().stream().mapToLong(Long::longValue).sum();
    List<Map.Entry<Fold, Long>> top = new ArrayList<>(folds.entrySet());
    // most frequent first; ties by spelling, so the message is the same on every run
    top.sort(Comparator.<Map.Entry<Fold, Long>>comparingLong(Map.Entry::getValue).reversed()
        .thenComparing(e -> e.getKey().raw()).thenComparing(e -> e.getKey().label()));
    StringBuilder examples = new StringBuilder();
    for (int i = 0; i < Math.min(EXAMPLES, top.size()); i++) {
      Map.Entry<Fold, Long> e = top.get(i);
      examples.append(i == 0 ? "" : ", ").append('\'').append(e.getKey().raw()).append("' -> '")
          .append(e.getKey().label()).append("' (").append(e.getValue()).append(')');
    }
    if (top.size() > EXAMPLES) {
      examples.append(", and ").append(top.size() - EXAMPLES).append(" more spellings");
    }
    return Optional.of("labels case-folded: " + records + " records had a label that differs from its class only by "
        + (normalize ? "case or surrounding whitespace" : "surrounding whitespace") + " and were counted in it: "
        + examples + (normalize ? " (labels.normalize: false keeps case apart)" : ""));
  }

  /**
   * @param labels the valid records' labels, after folding and the label map
   * @param normalize whether {@code labels.normalize} was on (then no two labels differ only by case)
   * @return one warning per group of labels that differ only by case and stayed separate classes
   */
  public static List<String> caseApart(Iterable<String> labels, boolean normalize) {
    List<String> out = new ArrayList<>();
    if (normalize) {
      return out;
    }
    Map<String, TreeSet<String>> byFolded = new TreeMap<>();
    for (String l : labels) {
      byFolded.computeIfAbsent(l.toLowerCase(Locale.ROOT), k -> new TreeSet<>()).add(l);
    }
    for (TreeSet<String> group : byFolded.values()) {
      if (group.size() > 1) {
        out.add("labels " + String.join(", ", group.stream().map(l -> "'" + l + "'").toList())
            + " differ only by case and are separate classes because labels.normalize is false");
      }
    }
    return out;
  }
}
