package dev.prepsweep.etl.augment;

import java.util.List;

/** Synonyms of a word, in a stable order (so seeded choices are reproducible). */
public interface Synonyms {
  List<String> of(String word);

  /** No synonyms: synonym replacement and random insertion then leave the text unchanged. */
  Synonyms NONE = w -> List.of();
}
