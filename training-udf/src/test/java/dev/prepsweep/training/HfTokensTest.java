package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code inputs: tokens} with a {@code tokenizer.json}: the ids are the tokenizer's, truncated and padded to
 * {@code max_length}. The fixture is a hand-written WordLevel tokenizer (lower-casing, whitespace split; vocabulary
 * [PAD]=0, [UNK]=1, free=2, money=3, hello=4, meeting=5), so the expected ids can be read off the file.
 */
class HfTokensTest {

  private static final String FILE = Path.of("src/test/resources/tokenizer/wordlevel.json").toAbsolutePath().toString();

  private static Featurizer featurizer(int maxLength) {
    TrainingParams p = TrainingParams.from(Map.of("model", "torchscript", "path", "module.pt", "inputs", "tokens",
        "max_length", maxLength, "tokenizer", FILE));
    return Featurizer.fit(p, new SplitRows(new String[] {"x"}, new int[] {0}, null, null));
  }

  @Test
  void textBecomesTheTokenizersIdsTruncatedAndPadded() {
    Featurizer f = featurizer(6);
    Featurizer.Encoded e = f.encode(new SplitRows(new String[] {"Free MONEY hello zzz", "free money free money free money"
        + " free", null}, new int[3], null, null));
    assertThat(e.rowShape()).containsExactly(6);
    assertThat(Arrays.copyOfRange(e.ids(), 0, 6)).containsExactly(2, 3, 4, 1, 0, 0);
    assertThat(Arrays.copyOfRange(e.ids(), 6, 12)).as("truncated").containsExactly(2, 3, 2, 3, 2, 3);
    assertThat(Arrays.copyOfRange(e.ids(), 12, 18)).as("no text").containsOnly(0L);
    // saved with the model: the scorer encodes as training did
    assertThat(Featurizer.fromMap(f.toMap()).encode(new SplitRows(new String[] {"meeting"}, new int[1], null, null))
        .ids()).containsExactly(5, 0, 0, 0, 0, 0);
  }

  @Test
  void aTokenizerNeedsTokenInputsAndAReadableFile() {
    assertThatThrownBy(() -> TrainingParams.from(Map.of("model", "torchscript", "path", "m.pt", "inputs", "features",
        "tokenizer", FILE))).hasMessageContaining("'tokenizer' = " + FILE + " applies to inputs: tokens");
    TrainingParams p = TrainingParams.from(Map.of("model", "torchscript", "path", "m.pt", "inputs", "tokens",
        "tokenizer", FILE + ".missing"));
    Featurizer f = Featurizer.fit(p, new SplitRows(new String[] {"x"}, new int[] {0}, null, null));
    assertThatThrownBy(() -> f.encode(new SplitRows(new String[] {"x"}, new int[1], null, null)))
        .hasMessageContaining("cannot read the tokenizer " + FILE + ".missing (train.tokenizer)");
  }
}
