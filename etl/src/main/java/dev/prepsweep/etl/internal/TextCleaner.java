package dev.prepsweep.etl.internal;

import dev.prepsweep.etl.PrepConfig;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.parser.Parser;

/**
 * Pure text cleaning: quoted-printable decoding, HTML stripping with entity decoding, Unicode
 * normalisation, control-character removal, case folding and whitespace collapsing, in that order.
 * Stateless apart from its settings; safe to share between threads.
 */
final class TextCleaner implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Pattern BLOCKS = Pattern.compile(
      "(?is)<(script|style|head)\\b[^>]*>.*?</\\1\\s*>|<!--.*?-->|<!\\[CDATA\\[.*?]]>");
  private static final Pattern TAG = Pattern.compile("(?s)</?[a-zA-Z!][^<>]*(>|$)");
  private static final Pattern BREAKS = Pattern.compile("(?i)<\\s*(br|p|div|tr|li|h[1-6])\\b[^>]*>");
  private static final Pattern QP_SOFT = Pattern.compile("=\r?\n");
  private static final Pattern QP_HEX = Pattern.compile("(?:=[0-9A-F]{2})+");
  private final Normalizer.Form form;
  private final boolean stripHtml;
  private final boolean stripControl;
  private final boolean quotedPrintable;
  private final boolean lowercase;
  private final int maxChars;

  public TextCleaner(PrepConfig.Clean c) {
    this.form = c.unicode().normalizerForm();
    this.stripHtml = c.stripHtml();
    this.stripControl = c.stripControl();
    this.quotedPrintable = c.quotedPrintable();
    this.lowercase = c.lowercase();
    this.maxChars = c.maxTextChars();
  }

  /** The cleaned text; null stays null. */
  public String clean(String s) {
    if (s == null) {
      return null;
    }
    if (quotedPrintable && s.indexOf('=') >= 0) {
      s = decodeQuotedPrintable(s);
    }
    if (stripHtml && (s.indexOf('<') >= 0 || s.indexOf('&') >= 0)) {
      s = stripHtml(s);
    }
    if (form != null && !Normalizer.isNormalized(s, form)) {
      s = Normalizer.normalize(s, form);
    }
    if (lowercase) {
      s = s.toLowerCase(Locale.ROOT);
    }
    s = collapse(s, stripControl);
    if (maxChars > 0 && s.length() > maxChars) {
      int end = maxChars;
      if (Character.isHighSurrogate(s.charAt(end - 1))) {
        end--;
      }
      s = s.substring(0, end);
    }
    return s;
  }

  static String stripHtml(String s) {
    if (s.indexOf('<') >= 0) {
      s = BLOCKS.matcher(s).replaceAll(" ");
      s = BREAKS.matcher(s).replaceAll(" ");
      s = TAG.matcher(s).replaceAll(" ");
    }
    if (s.indexOf('&') >= 0) {
      s = decodeEntities(s);
    }
    return s;
  }

  /**
   * Character references as an HTML parser decodes them (jsoup's table of HTML's 2,231 named
   * references, case-sensitive: {@code &Eacute;} is É, {@code &eacute;} é; numeric references;
   * unknown names left as written).
   */
  static String decodeEntities(String s) {
    return Parser.unescapeEntities(s, false);
  }

  static String decodeQuotedPrintable(String s) {
    s = QP_SOFT.matcher(s).replaceAll("");
    Matcher m = QP_HEX.matcher(s);
    if (!m.find()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int last = 0;
    do {
      out.append(s, last, m.start());
      String run = m.group();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(run.length() / 3);
      for (int i = 0; i < run.length(); i += 3) {
        bytes.write(Integer.parseInt(run.substring(i + 1, i + 3), 16));
      }
      out.append(decodeBytes(bytes.toByteArray()));
      last = m.end();
    } while (m.find());
    out.append(s, last, s.length());
    return out.toString();
  }

  private static String decodeBytes(byte[] b) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      return new String(b, StandardCharsets.ISO_8859_1);
    }
  }

  /** Drops control/format characters (if asked), turns whitespace runs into one space, trims. */
  static String collapse(String s, boolean stripControl) {
    StringBuilder out = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        space = out.length() > 0;
        continue;
      }
      if (stripControl) {
        int t = Character.getType(cp);
        if (t == Character.CONTROL || t == Character.FORMAT || t == Character.UNASSIGNED
            || t == Character.PRIVATE_USE || t == Character.SURROGATE || cp == 0xFFFD) {
          continue;
        }
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      out.appendCodePoint(cp);
    }
    return out.toString();
  }
}
