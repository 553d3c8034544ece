package dev.prepsweep.etl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.etl.PrepConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextCleanerTest {
  static TextCleaner cleaner(boolean html, boolean qp, boolean lower, String form) {
    return new TextCleaner(new PrepConfig.Clean(form.equals("none") ? PrepConfig.UnicodeForm.NONE : PrepConfig.UnicodeForm.valueOf(form), html, true, qp, lower, 1, 0, Map.of(), null, null));
  }

  @Test
  void stripsTagsScriptsCommentsAndDecodesEntities() {
    String html = "<html><head><title>t</title></head><body><script>var x = '<b>';</script>"
        + "<p>Caf&eacute; &amp; cr&#232;me&nbsp;&#x263A;</p><!-- hidden --><br/>end &bogus; <b";
    assertThat(cleaner(true, false, false, "NFC").clean(html)).isEqualTo("Café & crème ☺ end &bogus;");
  }

  @Test
  void decodesEveryHtmlNamedReferenceCaseSensitively() {
    TextCleaner c = cleaner(true, false, false, "NFC");
    assertThat(c.clean("&Eacute;t&eacute; &Ccedil;a &oelig;uvre &rarr; &alpha;&Omega; &frac12; &hearts;"))
        .isEqualTo("\u00c9t\u00e9 \u00c7a \u0153uvre \u2192 \u03b1\u03a9 \u00bd \u2665");
    assertThat(c.clean("&#x1F600; &#128512; &NoSuchName; AT&T")).isEqualTo("\uD83D\uDE00 \uD83D\uDE00 &NoSuchName; AT&T");
  }

  @Test
  void normalisesUnicodeFoldsCaseAndDropsControls() {
    String s = "Ｆｕｌｌ\u0007ｗｉｄｔｈ\u200B  ﬁne\u00A0\tTEXT\r\n";
    assertThat(cleaner(false, false, true, "NFKC").clean(s)).isEqualTo("fullwidth fine text");
    assertThat(cleaner(false, false, false, "none").clean("a\u0000b")).isEqualTo("ab");
  }

  @Test
  void decodesQuotedPrintable() {
    String s = "Tremendous=\n Savings caf=C3=A9 =3D equal, na=EFve";
    assertThat(cleaner(false, true, false, "NFC").clean(s)).isEqualTo("Tremendous Savings café = equal, naïve");
  }

  @Test
  void nullStaysNullAndBlankBecomesEmpty() {
    assertThat(cleaner(true, true, true, "NFKC").clean(null)).isNull();
    assertThat(cleaner(true, true, true, "NFKC").clean(" <b> </b> \n")).isEmpty();
  }

  @Test
  void truncatesWithoutSplittingSurrogates() {
    TextCleaner c = new TextCleaner(new PrepConfig.Clean(PrepConfig.UnicodeForm.NONE, false, true, false, false, 1, 3, Map.of(), null, null));
    assertThat(c.clean("ab\uD83D\uDE00cd")).isEqualTo("ab");
  }
}
