package dev.prepsweep.etl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.etl.internal.RecordScanner.Defect;
import dev.prepsweep.etl.internal.RecordScanner.Record;
import dev.prepsweep.etl.internal.RecordScanner.Syntax;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The record-boundary scanner alone, no Spark: every case also runs with a stream of 1-byte reads. */
class RecordScannerTest {
  static List<Record> scan(byte[] bytes, Syntax syntax, int expected) {
    List<Record> whole = drain(new ByteArrayInputStream(bytes), syntax, expected);
    // the same bytes one at a time: a CR/LF pair or a quote split across reads must not matter
    InputStream trickle = new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] b, int off, int len) throws java.io.IOException {
        return super.read(b, off, Math.min(len, 1));
      }
    };
    List<Record> slow = drain(trickle, syntax, expected);
    assertThat(render(slow)).isEqualTo(render(whole));
    return whole;
  }

  static List<Record> drain(InputStream in, Syntax syntax, int expected) {
    List<Record> out = new ArrayList<>();
    new RecordScanner(in, syntax, expected).forEachRemaining(out::add);
    return out;
  }

  static List<Record> csv(String text, int expected) {
    return scan(text.getBytes(StandardCharsets.UTF_8), Syntax.rfc4180(), expected);
  }

  /** line|defect|text|fields, one string per record. */
  static List<String> render(List<Record> records) {
    List<String> out = new ArrayList<>();
    for (Record r : records) {
      out.add(r.line() + "|" + r.defect() + "|" + (r.utf8() ? r.text() : "<bytes>") + "|"
          + (r.fields() == null ? "-" : Arrays.toString(r.fields())));
    }
    return out;
  }

  @Test
  void crlfLfAndLoneCrAllEndARecordInOneFile() {
    assertThat(render(csv("a,b\r\nc,d\ne,f\rg,h", 2))).containsExactly(
        "1|null|a,b|[a, b]", "2|null|c,d|[c, d]", "3|null|e,f|[e, f]", "4|null|g,h|[g, h]");
    assertThat(render(scan("x\r\ny\rz\n".getBytes(StandardCharsets.UTF_8), Syntax.lines(), 0)))
        .containsExactly("1|null|x|-", "2|null|y|-", "3|null|z|-");
  }

  @Test
  void emptyLinesAreNotRecordsButCountAsLines() {
    assertThat(render(csv("a,b\n\r\n\rc,d\n\n", 2))).containsExactly("1|null|a,b|[a, b]", "4|null|c,d|[c, d]");
    assertThat(csv("", 2)).isEmpty();
    assertThat(csv("\n\r\n", 2)).isEmpty();
  }

  @Test
  void quotedFieldsHoldDelimitersLineEndsAndDoubledQuotes() {
    assertThat(render(csv("1,\"a, \"\"b\"\"\r\nc\rd\",x\n2,,y\n", 3))).containsExactly(
        "1|null|1,\"a, \"\"b\"\"\r\nc\rd\",x|[1, a, \"b\"\r\nc\rd, x]", "4|null|2,,y|[2, , y]");
  }

  @Test
  void aStrayQuoteIsDataAndDoesNotMoveTheRecordEnd() {
    assertThat(render(csv("1,ab\"c,x\n2,\"q\"z,x\n3,ok,x\n", 3))).containsExactly(
        "1|STRAY_QUOTE|1,ab\"c,x|-", "2|STRAY_QUOTE|2,\"q\"z,x|-", "3|null|3,ok,x|[3, ok, x]");
  }

  @Test
  void anUnterminatedQuoteCostsItsOwnLineOnlyNotTheNextRecords() {
    // the quote opened on line 1 closes on line 3 ("3,") and is followed by x: broken
    assertThat(render(csv("1,\"abc,spam\n2,next,ham\n3,\"x\",ham\n", 3))).containsExactly(
        "1|UNTERMINATED_QUOTE|1,\"abc,spam|-", "2|null|2,next,ham|[2, next, ham]", "3|null|3,\"x\",ham|[3, x, ham]");
    // closes well but makes a record of the wrong width: broken too
    assertThat(render(csv("1,\"abc,spam\n2,x\",ham,more\n3,y,ham\n", 3))).containsExactly(
        "1|UNTERMINATED_QUOTE|1,\"abc,spam|-", "2|STRAY_QUOTE|2,x\",ham,more|-", "3|null|3,y,ham|[3, y, ham]");
  }

  @Test
  void aQuoteOpenUntilTheEndOfTheFileQuarantinesOneLine() {
    assertThat(render(csv("1,\"abc,spam\r\n2,b,ham\r\n3,c,ham", 3))).containsExactly(
        "1|UNTERMINATED_QUOTE|1,\"abc,spam|-", "2|null|2,b,ham|[2, b, ham]", "3|null|3,c,ham|[3, c, ham]");
    assertThat(render(csv("1,a,ham\n2,\"b,ham", 3))).containsExactly(
        "1|null|1,a,ham|[1, a, ham]", "2|UNTERMINATED_QUOTE|2,\"b,ham|-");
  }

  @Test
  void crlfRowsWithLfRowsAppendedStaySeparateRecords() {
    // two malformed rows, each with a quote opened and not closed, in a CRLF file with LF rows after it
    String text = "1,a,ham\r\n2,\"b,spam\r\n3,c,ham\r\n4,\"d,spam\n5,e,ham\n";
    assertThat(render(csv(text, 3))).containsExactly(
        "1|null|1,a,ham|[1, a, ham]", "2|UNTERMINATED_QUOTE|2,\"b,spam|-", "3|null|3,c,ham|[3, c, ham]",
        "4|UNTERMINATED_QUOTE|4,\"d,spam|-", "5|null|5,e,ham|[5, e, ham]");
  }

  @Test
  void theColumnCountIsCheckedWhenExpected() {
    assertThat(render(csv("1,a\n2,b,c\n3\n", 2))).containsExactly(
        "1|null|1,a|[1, a]", "2|COLUMN_COUNT|2,b,c|-", "3|COLUMN_COUNT|3|-");
    // a header read first sets the width of the records after it
    RecordScanner s = new RecordScanner(new ByteArrayInputStream("h1,h2\n1,2,3\n".getBytes(StandardCharsets.UTF_8)),
        Syntax.rfc4180(), 0);
    assertThat(s.next().fieldCount()).isEqualTo(2);
    s.expectFields(2);
    assertThat(s.next().defect()).isEqualTo(Defect.COLUMN_COUNT);
  }

  @Test
  void aByteOrderMarkIsDroppedAndInvalidUtf8IsFlagged() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'i', 'd', ',', 'x', '\n', 'a', (byte) 0xC3, (byte) 0x28, ',', 'b', '\n'};
    List<Record> r = scan(bom, Syntax.rfc4180(), 2);
    assertThat(r.get(0).fields()).containsExactly("id", "x");
    assertThat(r.get(1).utf8()).isFalse();
    assertThat(r.get(1).fields()).isNull();
    assertThat(r.get(1).bytes()).containsExactly('a', (byte) 0xC3, (byte) 0x28, ',', 'b');
  }

  @Test
  void nulBytesAreData() {
    assertThat(csv("1,a\0b,x\n", 3).get(0).fields()).containsExactly("1", "a\0b", "x");
  }

  @Test
  void aRecordAboveTheLimitIsCutAtItsLineEnd() {
    Syntax small = new Syntax(true, ',', '"', -1, 10);
    assertThat(render(scan("1,aaaaaaaaaaaaaaaaaaaa,x\n2,b,x\n".getBytes(StandardCharsets.UTF_8), small, 3)))
        .containsExactly("1|TOO_LARGE|1,aaaaaaaaa|-", "2|null|2,b,x|[2, b, x]");
    // inside a quoted field spanning lines the limit ends the record at the quote's first line end
    assertThat(render(scan("1,\"a\nbbbbbbbbbbbbbbbbbbbbb\n2,b,x\n".getBytes(StandardCharsets.UTF_8), small, 3)))
        .containsExactly("1|UNTERMINATED_QUOTE|1,\"a|-", "2|TOO_LARGE|bbbbbbbbbbb|-", "3|null|2,b,x|[2, b, x]");
  }

  @Test
  void aConfiguredEscapeMakesTheNextByteData() {
    Syntax backslash = new Syntax(true, ';', '"', '\\', Syntax.DEFAULT_MAX_RECORD_BYTES);
    assertThat(render(scan("1;\"a\\\"b;c\";x\n".getBytes(StandardCharsets.UTF_8), backslash, 3)))
        .containsExactly("1|null|1;\"a\\\"b;c\";x|[1, a\"b;c, x]");
  }

  @Test
  void utf8ValidationIsStrict() {
    byte[] good = "héllo €𝄞".getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8.isValid(good, 0, good.length)).isTrue();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xC0, (byte) 0x80}, 0, 2)).as("overlong").isFalse();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3)).as("surrogate").isFalse();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xE2, (byte) 0x82}, 0, 2)).as("cut off").isFalse();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, 0, 4)).as("> U+10FFFF").isFalse();
    assertThat(Utf8.completePrefix("a€".getBytes(StandardCharsets.UTF_8))).isEqualTo(4);
    assertThat(Utf8.completePrefix(Arrays.copyOf("a€".getBytes(StandardCharsets.UTF_8), 3))).isEqualTo(1);
  }
}
