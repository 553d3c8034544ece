package dev.prepsweep.etl.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelWarningsTest {
  @Test
  void noFoldNoWarning() {
    assertThat(LabelWarnings.folded(Map.of(), true)).isEmpty();
    assertThat(LabelWarnings.caseApart(List.of("a", "b"), false)).isEmpty();
  }

  @Test
  void namesTheMostFrequentSpellingsAndCountsAll() {
    Map<LabelWarnings.Fold, Long> folds = new LinkedHashMap<>();
    for (int i = 0; i < LabelWarnings.EXAMPLES + 2; i++) {
      folds.put(new LabelWarnings.Fold("L" + i, "l" + i), (long) (i + 1));
    }
    String w = LabelWarnings.folded(folds, true).orElseThrow();
    long total = folds.values().stream().mapToLong(Long::longValue).sum();
    assertThat(w).startsWith("labels case-folded: " + total + " records had a label that differs from its class only"
        + " by case or surrounding whitespace and were counted in it: 'L6' -> 'l6' (7), 'L5' -> 'l5' (6),")
        .contains("'L2' -> 'l2' (3), and 2 more spellings")
        .doesNotContain("'L1'").endsWith("(labels.normalize: false keeps case apart)");
  }

  @Test
  void tiesAreOrderedBySpelling() {
    Map<LabelWarnings.Fold, Long> folds = new LinkedHashMap<>();
    folds.put(new LabelWarnings.Fold("b ", "b"), 2L);
    folds.put(new LabelWarnings.Fold(" a", "a"), 2L);
    assertThat(LabelWarnings.folded(folds, false).orElseThrow())
        .endsWith("by surrounding whitespace and were counted in it: ' a' -> 'a' (2), 'b ' -> 'b' (2)");
  }

  @Test
  void caseVariantsAreWarnedOnlyWithoutNormalize() {
    List<String> labels = List.of("Cat", "cat", "CAT", "dog");
    assertThat(LabelWarnings.caseApart(labels, true)).isEmpty();
    assertThat(LabelWarnings.caseApart(labels, false)).containsExactly(
        "labels 'CAT', 'Cat', 'cat' differ only by case and are separate classes because labels.normalize is false");
  }
}
