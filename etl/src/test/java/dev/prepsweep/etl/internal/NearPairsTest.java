package dev.prepsweep.etl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.etl.plan.MinHashBands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Banded MinHash candidates against brute force, without Spark: on texts with planted near-duplicates
 * the bands find exactly the pairs whose Jaccard similarity (of the same shingles the job uses) is at
 * least the threshold, and compare far fewer pairs than all of them.
 */
class NearPairsTest {
  static String words(SplittableRandom rnd, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : " ");
      for (int k = 0; k < 2 + rnd.nextInt(6); k++) {
        b.append((char) ('a' + rnd.nextInt(26)));
      }
    }
    return b.toString();
  }

  @Test
  void bandsFindTheSamePairsAsBruteForce() {
    SplittableRandom rnd = new SplittableRandom(11);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      texts.add(words(rnd, 8 + rnd.nextInt(20)));
    }
    for (int i = 0; i < 120; i++) { // near copies: one or two words changed, or a word appended
      String[] w = texts.get(rnd.nextInt(1000)).split(" ");
      w[rnd.nextInt(w.length)] = "zz" + i;
      if (rnd.nextBoolean()) {
        w[rnd.nextInt(w.length)] = "qq";
      }
      texts.add(String.join(" ", w) + (rnd.nextBoolean() ? " tail" : ""));
    }
    for (double threshold : new double[] {0.5, 0.7, 0.8}) {
      int size = 5;
      List<MinHashBands.Member> members = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        members.add(new MinHashBands.Member("t" + i, i, i, "x", NearDeduper.shingles(texts.get(i), size)));
      }
      TreeSet<String> brute = new TreeSet<>();
      for (MinHashBands.Pair p : MinHashBands.verifiedPairs(members, threshold)) {
        brute.add(p.first().id() + "-" + p.second().id());
      }
      MinHashBands bands = MinHashBands.forThreshold(threshold, 3, 42);
      Map<Long, List<MinHashBands.Member>> buckets = new HashMap<>();
      for (MinHashBands.Member m : members) {
        for (long k : bands.bandKeys(m.shingles())) {
          buckets.computeIfAbsent(k, x -> new ArrayList<>()).add(m);
        }
      }
      TreeSet<String> banded = new TreeSet<>();
      long compared = 0;
      for (List<MinHashBands.Member> b : buckets.values()) {
        compared += (long) b.size() * (b.size() - 1) / 2;
        for (MinHashBands.Pair p : MinHashBands.verifiedPairs(b, threshold)) {
          banded.add(p.first().id() + "-" + p.second().id());
        }
      }
      assertThat(brute).as("threshold %s", threshold).hasSizeGreaterThan(threshold >= 0.8 ? 5 : 40);
      assertThat(banded).as("threshold %s", threshold).isEqualTo(brute);
      long all = (long) members.size() * (members.size() - 1) / 2;
      if (threshold >= 0.7) {
        assertThat(compared).as("candidate pairs at %s", threshold).isLessThan(all / 100);
      }
    }
  }

  /** The shingles as the job computed them before 2026-12-06: every substring's UTF-8 bytes hashed, in a TreeSet. */
  static int[] shinglesBySubstring(String text, int size) {
    TreeSet<Integer> set = new TreeSet<>();
    List<String> parts = new ArrayList<>();
    if (text.length() <= size) {
      parts.add(text);
    } else {
      for (int i = 0; i + size <= text.length(); i++) {
        parts.add(text.substring(i, i + size));
      }
    }
    for (String p : parts) {
      byte[] b = p.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      set.add(Math.floorMod(org.apache.spark.unsafe.hash.Murmur3_x86_32.hashUnsafeBytes(
          b, org.apache.spark.unsafe.Platform.BYTE_ARRAY_OFFSET, b.length, 42), NearDeduper.DIM));
    }
    return set.stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void shinglesHashEachSubstringsBytesSortedAndDistinct() {
    SplittableRandom rnd = new SplittableRandom(3);
    List<String> texts = new ArrayList<>(List.of("", "abc", "abcde", "abcdef", "aaaaaaaaaa", "ab ab ab ab ab",
        "crème brûlée à la carte", "naïve 😀 emoji text", "日本語のテキストです"));
    for (int i = 0; i < 200; i++) {
      texts.add(words(rnd, 1 + rnd.nextInt(30)));
    }
    for (String t : texts) {
      for (int size : new int[] {1, 3, 5}) {
        assertThat(NearDeduper.shingles(t, size)).as("'%s' size %d", t, size).isEqualTo(shinglesBySubstring(t, size));
      }
    }
  }

  @Test
  void bandsForThresholdReachTheRecall() {
    for (double t : new double[] {0.3, 0.5, 0.7, 0.8, 0.9, 1.0}) {
      MinHashBands b = MinHashBands.forThreshold(t, 1, 1);
      assertThat(b.findProbability(t)).as("t=%s", t).isGreaterThanOrEqualTo(MinHashBands.RECALL);
      // a pair far below the threshold is rarely a candidate (only where banding can separate)
      if (t >= 0.7) {
        assertThat(b.findProbability(0.1)).as("t=%s", t).isLessThan(0.15);
      }
    }
    assertThat(MinHashBands.forThreshold(0.8, 30, 1).bands()).isEqualTo(30);
  }

  @Test
  void jaccardAndOrientation() {
    assertThat(MinHashBands.jaccard(new int[] {1, 2, 3}, new int[] {2, 3, 4})).isEqualTo(0.5);
    assertThat(MinHashBands.jaccard(new int[] {}, new int[] {})).isEqualTo(1.0);
    MinHashBands.Member early = new MinHashBands.Member("b", 1, 5, "x", new int[] {1, 2});
    MinHashBands.Member late = new MinHashBands.Member("a", 1, 9, "y", new int[] {1, 2});
    // the seeded key orders them, whatever their order in the bucket
    assertThat(MinHashBands.verifiedPairs(List.of(late, early), 0.9)).singleElement()
        .satisfies(p -> assertThat(p.first().id()).isEqualTo("b"));
    assertThat(new MinHashBands(4, 2, 7).bandKeys(new int[] {3, 9, 27}))
        .isEqualTo(new MinHashBands(4, 2, 7).bandKeys(new int[] {3, 9, 27}));
  }
}
