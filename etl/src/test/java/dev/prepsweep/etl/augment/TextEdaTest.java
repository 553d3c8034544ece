package dev.prepsweep.etl.augment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.etl.PrepConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextEdaTest {
  static final Synonyms FAKE = w -> Map.of("quick", List.of("fast", "speedy"), "dog", List.of("hound")).getOrDefault(w, List.of());
  static final String TEXT = "the quick brown fox jumps over the lazy dog";

  static PrepConfig.TextAugment only(String op, double rate) {
    return new PrepConfig.TextAugment(1, op.equals("synonym") ? rate : 0, op.equals("insert") ? rate : 0,
        op.equals("swap") ? rate : 0, op.equals("delete") ? rate : 0, false);
  }

  @Test
  void synonymReplacementUsesTheDictionary() {
    TextEda eda = new TextEda(only("synonym", 0.2), FAKE, 1);
    TextEda.Augmented a = eda.augment("r1", TEXT, 1);
    assertThat(a.operation()).isEqualTo("synonym");
    List<String> words = Arrays.asList(a.text().split(" "));
    assertThat(words).hasSize(9);
    assertThat(words.contains("fast") || words.contains("speedy") || words.contains("hound")).isTrue();
  }

  @Test
  void insertionAddsSynonymsSwapKeepsWordsDeletionRemoves() {
    assertThat(new TextEda(only("insert", 0.2), FAKE, 1).augment("r1", TEXT, 1).text().split(" ")).hasSize(11);
    String swapped = new TextEda(only("swap", 0.3), FAKE, 1).augment("r1", TEXT, 1).text();
    assertThat(swapped.split(" ")).containsExactlyInAnyOrder(TEXT.split(" "));
    String deleted = new TextEda(only("delete", 0.5), FAKE, 3).augment("r1", TEXT, 1).text();
    assertThat(deleted.split(" ").length).isBetween(1, 8);
  }

  @Test
  void seededPerRowAndCopy() {
    PrepConfig.TextAugment all = new PrepConfig.TextAugment(4, 0.2, 0.2, 0.2, 0.2, false);
    TextEda a = new TextEda(all, FAKE, 5);
    TextEda b = new TextEda(all, FAKE, 5);
    for (int c = 1; c <= 4; c++) {
      assertThat(a.augment("row", TEXT, c)).isEqualTo(b.augment("row", TEXT, c));
    }
    // four copies use the four operations once each
    assertThat(java.util.stream.IntStream.rangeClosed(1, 4).mapToObj(c -> a.augment("row", TEXT, c).operation()))
        .containsExactlyInAnyOrder("synonym", "insert", "swap", "delete");
  }

  @Test
  void wordNetKnowsCommonWords() {
    assertThat(WordNetSynonyms.INSTANCE.of("quick")).contains("speedy");
    assertThat(WordNetSynonyms.INSTANCE.of("zzzqqq")).isEmpty();
  }
}
