package dev.prepsweep.etl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.testkit.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A corpus of damaged CSV records, one defect per record, in one file with a byte order mark and
 * CRLF, LF and CR line ends: the test knows where each physical record must go (clean, a removed
 * duplicate, or quarantine under which rule, with its original bytes) and checks every one, and that
 * the physical-record count is conserved. The same file is read twice: with the default options and
 * with the options Spark's CSV reader needs for it ({@code multiLine}, {@code escape}), which must
 * change nothing.
 */
class DamagedCsvTest {
  static final String CLEAN = "clean";
  static final String DUP = "duplicate";

  static SparkSession spark;
  static final List<String[]> expected = new ArrayList<>(); // {destination, source or id}
  static final Map<String, PrepResult> results = new HashMap<>();
  static String bigText;

  static ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** One physical record: its bytes, its line end, where it must go, and its id if clean. */
  static void rec(String destination, String id, byte[] bytes, String lineEnd) {
    out.writeBytes(bytes);
    out.writeBytes(lineEnd.getBytes(StandardCharsets.UTF_8));
    String[] fields = new String(bytes, StandardCharsets.UTF_8).split(",", 3);
    String key = destination.equals(CLEAN) || destination.equals(DUP) ? id
        : destination.equals("input.invalid_utf8") ? Base64.getEncoder().encodeToString(bytes)
        // rules after the read stage keep the parsed record, as JSON of its columns
        : destination.equals("id.duplicate")
            ? "{\"id\":\"" + fields[0] + "\",\"label\":\"" + fields[2] + "\",\"text\":\"" + fields[1] + "\"}"
        : new String(bytes, StandardCharsets.UTF_8);
    expected.add(new String[] {destination, key});
  }

  static void rec(String destination, String id, String text, String lineEnd) {
    rec(destination, id, text.getBytes(StandardCharsets.UTF_8), lineEnd);
  }

  static byte[] withBadByte(String before, String after) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    b.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
    b.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return b.toByteArray();
  }

  @BeforeAll
  static void run() throws IOException {
    spark = SharedSpark.session();
    Path dir = SharedSpark.tempDir("damaged");
    out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}); // UTF-8 BOM before the header
    out.writeBytes("id,text,label\r\n".getBytes(StandardCharsets.UTF_8));
    String crlf = "\r\n";
    rec(CLEAN, "c1", "c1,plain record one,ham", crlf);
    rec(CLEAN, "c2", "c2,\"multi\r\nline, with a comma\",spam", crlf);
    rec(CLEAN, "c3", "c3,\"she said \"\"hi\"\"\",ham", crlf);
    // an unterminated quote must not swallow the next record nor pair with the next quote (c5's)
    rec("input.unterminated_quote", null, "u1,\"unterminated quote,spam", crlf);
    rec(CLEAN, "c4", "c4,next record after the broken one,ham", crlf);
    rec(CLEAN, "c5", "c5,\"quoted again\",spam", crlf);
    rec("input.stray_quote", null, "s1,stray \"quote here,ham", crlf);
    rec("input.stray_quote", null, "s2,\"closed\"then text,ham", crlf);
    rec("input.column_count", null, "w1,too,many,fields", crlf);
    rec("input.column_count", null, "w2,only two", crlf);
    rec(CLEAN, "n1", "n1,nul\0byte inside,ham", crlf);
    // invalid UTF-8 in each column in turn
    rec("input.invalid_utf8", null, withBadByte("b", "1,some text,ham"), crlf);
    rec("input.invalid_utf8", null, withBadByte("b2,some ", "text,ham"), crlf);
    rec("input.invalid_utf8", null, withBadByte("b3,some text,h", "am"), crlf);
    // LF rows appended to the CRLF file: two malformed rows in a row stay two records
    rec("input.unterminated_quote", null, "m1,\"malformed lf one,spam", "\n");
    rec("input.unterminated_quote", null, "m2,\"malformed lf two,ham", "\n");
    rec(CLEAN, "c6", "c6,lf record,ham", "\n");
    // lone CR line ends, also inside a quoted field (data there)
    rec(CLEAN, "c7", "c7,cr record,spam", "\r");
    rec(CLEAN, "c8", "c8,\"cr quoted\rinside\",ham", "\r");
    // a 10 MB field
    bigText = "word ".repeat(2 << 20).trim();
    rec(CLEAN, "big", "big," + bigText + ",spam", "\n");
    // duplicated ids: equal text (exact duplicate: one copy removed) and different text (the id rule,
    // ids.duplicates: quarantine by default, quarantines every copy)
    rec(CLEAN, "d1", "d1,duplicate text same,ham", "\n");
    rec(DUP, "d1", "d1,duplicate text same,ham", "\n");
    rec("id.duplicate", "d2", "d2,duplicate id text a,ham", "\n");
    rec("id.duplicate", "d2", "d2,duplicate id text b,spam", "\n");
    // a quote still open at the end of the file costs its own line only
    rec("input.unterminated_quote", null, "e1,\"open until the end,ham", "\n");
    rec(CLEAN, "c9", "c9,after the open quote,spam", "");
    Path file = dir.resolve("damaged.csv");
    Files.write(file, out.toByteArray());
    for (String options : List.of("{}", "{multiLine: true, escape: '\"'}")) {
      String yaml = """
          prep:
            input: {format: csv, path: %s, options: %s}
            columns: {id: id, label: label, text: text}
            labels: {allowed: [ham, spam]}
            split: {train: 0.5, val: 0.25, test: 0.25, stratify: false}
            guard: {max_quarantine_share: 1}
          """.formatted(file, options);
      PrepConfig config = PrepConfig.parse(ConfigNode.parse(yaml, "damaged.yaml").required("prep"));
      results.put(options, PrepJob.run(spark, config, dir.resolve("wh" + results.size()).toString(), 5L));
    }
  }

  @Test
  void everyPhysicalRecordIsCountedOnce() {
    for (PrepResult r : results.values()) {
      assertThat(r.rowsRead()).isEqualTo(expected.size());
      assertThat(r.rowsClean() + r.rowsQuarantined() + r.duplicatesRemoved()).isEqualTo(expected.size());
      assertThat(r.duplicatesRemoved()).isEqualTo(expected.stream().filter(e -> e[0].equals(DUP)).count());
    }
  }

  @Test
  void eachDamagedRecordIsQuarantinedOnItsOwnUnderTheRuleItBrokeWithItsOriginalBytes() {
    Map<String, String> want = new TreeMap<>();
    expected.stream().filter(e -> !e[0].equals(CLEAN) && !e[0].equals(DUP)).forEach(e -> want.put(e[1], e[0]));
    for (PrepResult r : results.values()) {
      Map<String, String> got = new TreeMap<>();
      for (Row q : spark.read().format("delta").load(r.tables().get("quarantine").path()).collectAsList()) {
        assertThat(got.put(q.getAs("source"), q.getAs("rule"))).as("one quarantine row per source").isNull();
        if (q.<String>getAs("rule").startsWith("input.")) {
          assertThat(q.<String>getAs("reason")).as("read-level reasons name the line").startsWith("line ");
        }
      }
      assertThat(got).isEqualTo(want);
    }
  }

  @Test
  void cleanRowsAreExactlyTheWellFormedRecordsWithTheirFieldsIntact() {
    List<String> want = expected.stream().filter(e -> e[0].equals(CLEAN)).map(e -> e[1]).sorted().toList();
    for (PrepResult r : results.values()) {
      var clean = spark.read().format("delta").load(r.tables().get("clean").path());
      assertThat(clean.select("id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList().stream().sorted().toList())
          .isEqualTo(want);
      Map<String, String> text = new HashMap<>();
      Map<String, String> label = new HashMap<>();
      for (Row c : clean.where("id in ('c2', 'c3', 'c4', 'c8', 'n1', 'big')").collectAsList()) {
        text.put(c.getAs("id"), c.getAs("text"));
        label.put(c.getAs("id"), c.getAs("label"));
      }
      assertThat(text.get("c2")).isEqualTo("multi line, with a comma");
      assertThat(label.get("c2")).isEqualTo("spam");
      assertThat(text.get("c3")).isEqualTo("she said \"hi\"");
      assertThat(text.get("c4")).isEqualTo("next record after the broken one");
      assertThat(text.get("c8")).isEqualTo("cr quoted inside");
      assertThat(text.get("n1")).isEqualTo("nulbyte inside");
      assertThat(text.get("big")).isEqualTo(bigText);
    }
  }

  @Test
  void theGuardStopsAMisreadInputBeforeAnyTableIsWritten() throws IOException {
    Path dir = SharedSpark.tempDir("guard");
    Path file = dir.resolve("backslashes.csv");
    // a writer that escapes quotes with a backslash, read as RFC 4180: the quote after it is stray
    StringBuilder b = new StringBuilder("id,text,label\n");
    for (int i = 0; i < 20; i++) {
      b.append("r").append(i).append(i < 15 ? ",\"he said \\\"hi\\\" " + i + "\",ham\n" : ",plain " + i + ",spam\n");
    }
    Files.writeString(file, b);
    String rfc = """
        prep:
          input: {format: csv, path: %s}
          columns: {id: id, label: label, text: text}
        """.formatted(file);
    assertThatThrownBy(() -> PrepJob.run(spark, PrepConfig.parse(ConfigNode.parse(rfc, "g.yaml").required("prep")),
        dir.resolve("wh1").toString(), 1L))
        .isInstanceOf(PrepException.class)
        .hasMessageContaining("prep stopped before writing any table: 15 of 20 records (75.0%) were quarantined,"
            + " more than prep.guard.max_quarantine_share (0.2); the most frequent rule is input.stray_quote."
            + " Check prep.input.options quote and escape");
    assertThat(Files.exists(dir.resolve("wh1/quarantine"))).isFalse();
    String manyLabels = """
        prep:
          input: {format: csv, path: %s, options: {escape: '\\'}}
          columns: {id: id, label: text, text: label}
          guard: {max_labels: 10}
        """.formatted(file);
    assertThatThrownBy(() -> PrepJob.run(spark, PrepConfig.parse(ConfigNode.parse(manyLabels, "g.yaml").required("prep")),
        dir.resolve("wh2").toString(), 1L))
        .isInstanceOf(PrepException.class)
        .hasMessageContaining("the label column 'text' has 20 distinct values among valid records, more than"
            + " prep.guard.max_labels (10)");
    assertThat(Files.exists(dir.resolve("wh2/quarantine"))).isFalse();
  }
}
