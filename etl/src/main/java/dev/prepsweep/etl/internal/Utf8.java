package dev.prepsweep.etl.internal;

/**
 * Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF),
 * without decoding: a record is checked once, on its bytes.
 */
final class Utf8 {
  private Utf8() {}

  static boolean isValid(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int min;
      if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        min = 0x80;
      } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        min = 0x800;
      } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + n >= end) { // the sequence is cut off
        return false;
      }
      int cp = c & (0x3F >> n);
      for (int k = 1; k <= n; k++) {
        int t = b[i + k] & 0xff;
        if ((t & 0xC0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (t & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return false;
      }
      i += n + 1;
    }
    return true;
  }

  /** The length of the longest prefix of {@code b} that does not end inside a multi-byte sequence. */
  static int completePrefix(byte[] b) {
    int end = b.length;
    // step back over at most 3 continuation bytes to the lead byte of the last sequence
    int i = end - 1;
    int back = 0;
    while (i >= 0 && back < 3 && (b[i] & 0xC0) == 0x80) {
      i--;
      back++;
    }
    if (i < 0) {
      return end;
    }
    int c = b[i] & 0xff;
    int need = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    return back < need ? i : end;
  }
}
