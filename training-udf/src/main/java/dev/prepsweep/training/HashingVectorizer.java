package dev.prepsweep.training;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Turns text into a fixed-width bag-of-words vector by feature hashing: tokens are lower-cased runs
 * of letters and digits, each hashed (32-bit MurmurHash3) to one of {@code dimension} buckets with a
 * sign bit, counts are log-scaled and the vector is L2-normalised. Stateless, so the same text maps
 * to the same vector on every executor and in every run.
 */
public final class HashingVectorizer implements Serializable {

  private final int dimension;

  public HashingVectorizer(int dimension) {
    if (dimension < 2) {
      throw new IllegalArgumentException("hashing dimension must be >= 2, got " + dimension);
    }
    this.dimension = dimension;
  }

  public int dimension() {
    return dimension;
  }

  /** Writes the vector of {@code text} into {@code out[offset .. offset + dimension)}. */
  public void transform(String text, float[] out, int offset) {
    java.util.Arrays.fill(out, offset, offset + dimension, 0f);
    int n = text.length();
    int start = -1;
    for (int i = 0; i <= n; i++) {
      boolean wordChar = i < n && Character.isLetterOrDigit(text.charAt(i));
      if (wordChar && start < 0) {
        start = i;
      } else if (!wordChar && start >= 0) {
        add(text.substring(start, i).toLowerCase(java.util.Locale.ROOT), out, offset);
        start = -1;
      }
    }
    double norm = 0;
    for (int i = offset; i < offset + dimension; i++) {
      float v = out[i];
      if (v != 0) {
        float scaled = (float) (Math.signum(v) * Math.log1p(Math.abs(v)));
        out[i] = scaled;
        norm += scaled * scaled;
      }
    }
    if (norm > 0) {
      float inv = (float) (1 / Math.sqrt(norm));
      for (int i = offset; i < offset + dimension; i++) {
        out[i] *= inv;
      }
    }
  }

  private void add(String token, float[] out, int offset) {
    int h = murmur3(token.getBytes(StandardCharsets.UTF_8));
    int bucket = Math.floorMod(h, dimension);
    out[offset + bucket] += (h & 0x80000000) == 0 ? 1f : -1f;
  }

  /** MurmurHash3 x86 32-bit, seed 0. */
  static int murmur3(byte[] data) {
    int h = 0;
    int len = data.length;
    int i = 0;
    while (i + 4 <= len) {
      int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
      h = mixH(h, mixK(k));
      i += 4;
    }
    int k = 0;
    switch (len - i) {
      case 3:
        k ^= (data[i + 2] & 0xff) << 16;
      case 2:
        k ^= (data[i + 1] & 0xff) << 8;
      case 1:
        k ^= data[i] & 0xff;
        h ^= mixK(k);
      default:
    }
    h ^= len;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  private static int mixK(int k) {
    k *= 0xcc9e2d51;
    k = Integer.rotateLeft(k, 15);
    return k * 0x1b873593;
  }

  private static int mixH(int h, int k) {
    h ^= k;
    h = Integer.rotateLeft(h, 13);
    return h * 5 + 0xe6546b64;
  }
}
