package dev.prepsweep.etl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.etl.plan.SplitPlanner;
import dev.prepsweep.testkit.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each warning #19 names, on a real prep run: labels case-folded, texts cut at clean.max_text_chars,
 * classes absent from a split. Each is in the result and in {@code prep_runs.warnings}, once.
 */
class PrepWarningsTest {
  static SparkSession spark;
  static Path input;
  /** Records whose label is written other than its class: raw spelling to count. */
  static final java.util.Map<String, Integer> folded = new java.util.TreeMap<>();
  static int cut;
  static final int MAX_CHARS = 60;

  @BeforeAll
  static void write() throws IOException {
    spark = SharedSpark.session();
    SplittableRandom rnd = new SplittableRandom(7);
    List<String> lines = new ArrayList<>();
    String[] spellings = {"spam", "ham", "Spam", " ham", "HAM ", "spam"};
    for (int i = 0; i < 120; i++) {
      String label = spellings[i % spellings.length];
      // short texts stay well under the limit; every 10th is long and is cut
      String text = i % 10 == 0 ? CsvStagesTest.randomWords(rnd, 40) : CsvStagesTest.randomWords(rnd, 3);
      if (text.length() > MAX_CHARS) {
        cut++;
      } else {
        assertThat(text.length()).as("a text that is not cut stays clearly under the limit").isLessThan(MAX_CHARS - 1);
      }
      if (!label.equals(label.strip().toLowerCase(java.util.Locale.ROOT))) {
        folded.merge(label, 1, Integer::sum);
      }
      lines.add("{\"id\": \"r" + i + "\", \"label\": \"" + label + "\", \"text\": \"" + text + "\"}");
    }
    // a class of two rows cannot reach all three splits
    lines.add("{\"id\": \"c1\", \"label\": \"rare\", \"text\": \"one rare thing\"}");
    lines.add("{\"id\": \"c2\", \"label\": \"rare\", \"text\": \"another rare thing\"}");
    input = SharedSpark.tempDir("warn").resolve("in.jsonl");
    Files.write(input, lines);
  }

  static PrepResult run(boolean normalize) {
    String yaml = """
        prep:
          input: {format: json, path: %s}
          columns: {id: id, label: label, text: text}
          labels: {normalize: %s}
          clean: {max_text_chars: %d}
          split: {train: 0.6, val: 0.2, test: 0.2}
        """.formatted(input, normalize, MAX_CHARS);
    return PrepJob.run(spark, PrepConfig.parse(ConfigNode.parse(yaml, "warn.yaml").required("prep")),
        SharedSpark.tempDir("warn-wh").toString(), 3L);
  }

  static List<String> recorded(PrepResult r) {
    Row run = spark.sql("SELECT warnings FROM delta.`" + r.tables().get("prep_runs").path() + "`").first();
    return run.getList(0);
  }

  @Test
  void foldedLabelsCutTextsAndAbsentClassesAreEachWarnedOnce() {
    PrepResult r = run(true);
    assertThat(r.labels()).containsExactly("ham", "rare", "spam");
    int foldedRecords = folded.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(foldedRecords).isEqualTo(60);
    assertThat(r.warnings()).filteredOn(w -> w.startsWith("labels case-folded")).singleElement().isEqualTo(
        "labels case-folded: " + foldedRecords + " records had a label that differs from its class only by case or"
            + " surrounding whitespace and were counted in it: ' ham' -> 'ham' (" + folded.get(" ham") + "), 'HAM ' -> 'ham' ("
            + folded.get("HAM ") + "), 'Spam' -> 'spam' (" + folded.get("Spam") + ") (labels.normalize: false keeps case apart)");
    assertThat(r.warnings()).filteredOn(w -> w.contains("max_text_chars")).singleElement()
        .isEqualTo(cut + " texts reached clean.max_text_chars (" + MAX_CHARS + ") and were cut there");
    assertThat(cut).isPositive();
    List<String> absent = SplitPlanner.SPLITS.stream()
        .filter(s -> r.splitClassCounts().get(s).getOrDefault("rare", 0L) == 0).toList();
    assertThat(absent).isNotEmpty();
    assertThat(r.warnings()).filteredOn(w -> w.startsWith("class 'rare' (2 rows")).singleElement()
        .asString().contains("is absent from " + String.join(" and ", absent));
    assertThat(r.warnings()).hasSize(3);
    assertThat(recorded(r)).isEqualTo(r.warnings());
    // folding is lineage, not loss: every record is accounted for
    assertThat(r.rowsRead()).isEqualTo(122);
    assertThat(r.rowsClean() + r.rowsQuarantined() + r.duplicatesRemoved()).isEqualTo(122);
  }

  @Test
  void withoutNormalizeOnlyWhitespaceFoldsAndCaseVariantsAreNamed() {
    PrepResult r = run(false);
    assertThat(r.labels()).containsExactly("HAM", "Spam", "ham", "rare", "spam");
    assertThat(r.warnings()).filteredOn(w -> w.startsWith("labels case-folded")).singleElement().isEqualTo(
        "labels case-folded: " + (folded.get(" ham") + folded.get("HAM ")) + " records had a label that differs from"
            + " its class only by surrounding whitespace and were counted in it: ' ham' -> 'ham' (" + folded.get(" ham")
            + "), 'HAM ' -> 'HAM' (" + folded.get("HAM ") + ")");
    assertThat(r.warnings()).contains(
        "labels 'HAM', 'ham' differ only by case and are separate classes because labels.normalize is false",
        "labels 'Spam', 'spam' differ only by case and are separate classes because labels.normalize is false");
    assertThat(recorded(r)).isEqualTo(r.warnings());
  }
}
