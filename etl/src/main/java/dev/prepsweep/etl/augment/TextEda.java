package dev.prepsweep.etl.augment;

import dev.prepsweep.etl.PrepConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Easy Data Augmentation (Wei and Zou, 2019) on whitespace-separated words: synonym replacement,
 * random insertion (of a synonym of a word of the text), random swap and random deletion. Each copy
 * applies one operation; copy c of a row uses the enabled operations in turn from a per-row offset.
 * All randomness comes from a generator seeded by (seed, row id, copy), so results do not depend on
 * partitioning or order. Pure Java.
 */
public final class TextEda implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final List<String> OPERATIONS = List.of("synonym", "insert", "swap", "delete");
  static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "but", "if", "of", "at", "by", "for", "with",
      "about", "to", "from", "in", "on", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "i",
      "you", "he", "she", "we", "they", "me", "my", "your", "our", "their", "as", "so", "than", "too", "very", "not",
      "no", "do", "does", "did", "have", "has", "had", "will", "would", "can", "could", "there", "here", "what");

  private final double[] rates;
  private final List<String> enabled;
  private final Synonyms synonyms;
  private final long seed;

  public TextEda(PrepConfig.TextAugment config, Synonyms synonyms, long seed) {
    this.rates = new double[] {config.synonym(), config.insert(), config.swap(), config.delete()};
    List<String> on = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      if (rates[i] > 0) {
        on.add(OPERATIONS.get(i));
      }
    }
    this.enabled = List.copyOf(on);
    this.synonyms = synonyms;
    this.seed = seed;
  }

  /** The result of one copy. */
  public record Augmented(String text, String operation) implements Serializable {}

  /** Copy {@code copy} (1-based) of the row {@code id}. */
  public Augmented augment(String id, String text, int copy) {
    SplittableRandom rnd = random(seed, id, copy);
    int offset = random(seed, id, 0).nextInt(enabled.size());
    String op = enabled.get((offset + copy - 1) % enabled.size());
    double rate = rates[OPERATIONS.indexOf(op)];
    List<String> words = new ArrayList<>(Arrays.asList(text.split(" ")));
    words.removeIf(String::isEmpty);
    if (words.isEmpty()) {
      return new Augmented(text, op);
    }
    int n = Math.max(1, (int) Math.round(rate * words.size()));
    switch (op) {
      case "synonym" -> replace(words, n, rnd);
      case "insert" -> insert(words, n, rnd);
      case "swap" -> swap(words, n, rnd);
      default -> delete(words, rate, rnd);
    }
    return new Augmented(String.join(" ", words), op);
  }

  static SplittableRandom random(long seed, String id, int copy) {
    long h = seed * 0x9E3779B97F4A7C15L;
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100000001B3L;
    }
    return new SplittableRandom(h ^ ((long) copy * 0xC2B2AE3D27D4EB4FL));
  }

  private void replace(List<String> words, int n, SplittableRandom rnd) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      if (!STOP.contains(words.get(i))) {
        candidates.add(i);
      }
    }
    shuffle(candidates, rnd);
    int done = 0;
    for (int i : candidates) {
      if (done == n) {
        break;
      }
      List<String> syn = synonyms.of(words.get(i));
      if (!syn.isEmpty()) {
        words.set(i, syn.get(rnd.nextInt(syn.size())));
        done++;
      }
    }
  }

  private void insert(List<String> words, int n, SplittableRandom rnd) {
    for (int k = 0; k < n; k++) {
      for (int attempt = 0; attempt < 10; attempt++) {
        String w = words.get(rnd.nextInt(words.size()));
        List<String> syn = STOP.contains(w) ? List.of() : synonyms.of(w);
        if (!syn.isEmpty()) {
          words.add(rnd.nextInt(words.size() + 1), syn.get(rnd.nextInt(syn.size())));
          break;
        }
      }
    }
  }

  private static void swap(List<String> words, int n, SplittableRandom rnd) {
    if (words.size() < 2) {
      return;
    }
    for (int k = 0; k < n; k++) {
      int i = rnd.nextInt(words.size());
      int j = rnd.nextInt(words.size());
      String t = words.get(i);
      words.set(i, words.get(j));
      words.set(j, t);
    }
  }

  private static void delete(List<String> words, double p, SplittableRandom rnd) {
    if (words.size() == 1) {
      return;
    }
    List<String> kept = new ArrayList<>();
    for (String w : words) {
      if (rnd.nextDouble() >= p) {
        kept.add(w);
      }
    }
    if (kept.isEmpty()) {
      kept.add(words.get(rnd.nextInt(words.size())));
    }
    words.clear();
    words.addAll(kept);
  }

  private static <T> void shuffle(List<T> list, SplittableRandom rnd) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }
}
