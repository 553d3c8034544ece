package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashingVectorizerTest {

  @Test
  void murmur3MatchesPublishedVectors() {
    // Reference values of MurmurHash3_x86_32 with seed 0 (SMHasher / Guava murmur3_32_fixed).
    assertThat(HashingVectorizer.murmur3("".getBytes(StandardCharsets.UTF_8))).isEqualTo(0);
    assertThat(HashingVectorizer.murmur3("hello".getBytes(StandardCharsets.UTF_8))).isEqualTo(0x248bfa47);
    assertThat(HashingVectorizer.murmur3("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(0x2e4ff723);
  }

  @Test
  void vectorIsUnitLengthCaseInsensitiveAndDeterministic() {
    HashingVectorizer v = new HashingVectorizer(64);
    float[] a = new float[64];
    float[] b = new float[64];
    v.transform("Free MONEY, free money!!", a, 0);
    v.transform("free money free money", b, 0);
    assertThat(a).containsExactly(b);
    double norm = 0;
    for (float x : a) {
      norm += x * x;
    }
    assertThat(norm).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void emptyTextIsTheZeroVector() {
    float[] out = new float[16];
    java.util.Arrays.fill(out, 3f);
    new HashingVectorizer(16).transform("  ,;  ", out, 0);
    assertThat(out).containsOnly(0f);
  }
}
