package dev.prepsweep.etl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.etl.plan.SplitPlanner;
import dev.prepsweep.testkit.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records sharing an id: some copies identical (an exact duplicate), some with other text. Under
 * every policy no id is in two splits (or twice in one), and each record is accounted for.
 */
class DuplicateIdsTest {
  static SparkSession spark;
  static Path input;
  /** id to its records' texts, in file order. */
  static final Map<String, List<String>> byId = new LinkedHashMap<>();
  static int records;
  static int sameText = 15;
  static int otherText = 20;

  @BeforeAll
  static void write() throws IOException {
    spark = SharedSpark.session();
    SplittableRandom rnd = new SplittableRandom(19);
    List<String[]> rows = new ArrayList<>(); // id, label, text
    for (int i = 0; i < 300; i++) {
      rows.add(new String[] {"r" + i, rnd.nextInt(3) == 0 ? "b" : "a", CsvStagesTest.randomWords(rnd, 8)});
    }
    for (int i = 0; i < sameText; i++) { // an identical second record
      String[] r = rows.get(i);
      rows.add(new String[] {r[0], r[1], r[2]});
    }
    for (int i = 0; i < otherText; i++) { // the same id with another text (and sometimes another label)
      String[] r = rows.get(100 + i);
      rows.add(new String[] {r[0], i % 2 == 0 ? r[1] : "b", CsvStagesTest.randomWords(rnd, 8)});
    }
    for (int i = 0; i < 3; i++) { // a class too small for 0.6/0.2/0.2 to reach every split
      rows.add(new String[] {"c" + i, "c", CsvStagesTest.randomWords(rnd, 8)});
    }
    // interleave so that later copies are not all at the end of the file
    List<String[]> shuffled = new ArrayList<>(rows);
    for (int i = shuffled.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      String[] t = shuffled.get(i);
      shuffled.set(i, shuffled.get(j));
      shuffled.set(j, t);
    }
    List<String> lines = new ArrayList<>();
    for (String[] r : shuffled) {
      lines.add("{\"id\": \"" + r[0] + "\", \"label\": \"" + r[1] + "\", \"text\": \"" + r[2] + "\"}");
      byId.computeIfAbsent(r[0], k -> new ArrayList<>()).add(r[2]);
    }
    records = lines.size();
    input = SharedSpark.tempDir("dupids").resolve("in.jsonl");
    Files.write(input, lines);
  }

  static PrepResult run(String ids) {
    String yaml = """
        prep:
          input: {format: json, path: %s}
          columns: {id: id, label: label, text: text}
          split: {train: 0.6, val: 0.2, test: 0.2, min_per_split: %d}
        %s""".formatted(input, ids.equals("keep_first") ? 1 : 0, ids.isEmpty() ? "" : "  ids: {duplicates: " + ids + "}\n");
    return PrepJob.run(spark, PrepConfig.parse(ConfigNode.parse(yaml, "ids.yaml").required("prep")),
        SharedSpark.tempDir("dupids-wh").toString(), 5L);
  }

  static Dataset<Row> table(PrepResult r, String name) {
    return spark.read().format("delta").load(r.tables().get(name).path());
  }

  /** id to the splits holding it, one entry per row. */
  static Map<String, List<String>> splitsById(PrepResult r) {
    Map<String, List<String>> out = new HashMap<>();
    for (String s : SplitPlanner.SPLITS) {
      for (Row row : table(r, s).select("id").collectAsList()) {
        out.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(s);
      }
    }
    return out;
  }

  static long idsWithOtherTexts() {
    return byId.values().stream().filter(t -> t.stream().distinct().count() > 1).count();
  }

  @Test
  void defaultQuarantinesEveryCopyOfARepeatedIdAndSplitsAreIdDisjoint() {
    PrepResult r = run("");
    Map<String, List<String>> splits = splitsById(r);
    assertThat(splits.values()).allSatisfy(s -> assertThat(s).hasSize(1));
    // ids whose records differ in text: every copy quarantined; identical copies: one kept, one removed
    long conflicting = idsWithOtherTexts();
    long conflictingRows = byId.values().stream().filter(t -> t.stream().distinct().count() > 1).mapToLong(List::size).sum();
    assertThat(conflicting).isEqualTo(otherText);
    Dataset<Row> q = table(r, "quarantine").where("rule = 'id.duplicate'");
    assertThat(q.count()).isEqualTo(conflictingRows);
    assertThat(q.select("id").distinct().count()).isEqualTo(conflicting);
    assertThat(q.where("stage != 'dedupe' or reason not like '%is held by 2 records%'").count()).isZero();
    assertThat(r.duplicatesRemoved()).isEqualTo(sameText);
    assertThat(splits).hasSize(byId.size() - (int) conflicting);
    assertThat(r.rowsRead()).isEqualTo(records);
    assertThat(r.rowsClean() + r.rowsQuarantined() + r.duplicatesRemoved()).isEqualTo(records);
    // prep_runs alone reproduces the conservation line, the dedupe stage's rules included
    Row run = spark.sql("SELECT rows_read, rows_clean + aggregate(map_values(rejects_by_rule), 0L, (a, x) -> a + x)"
        + " + duplicates_removed AS accounted, rows_quarantined, rejects_by_rule['id.duplicate'] AS ids, warnings"
        + " FROM delta.`" + r.tables().get("prep_runs").path() + "`").first();
    assertThat(run.getLong(0)).isEqualTo(records);
    assertThat(run.getLong(1)).isEqualTo(records);
    assertThat(run.getLong(2)).isEqualTo(r.rowsQuarantined());
    assertThat(run.getLong(3)).isEqualTo(conflictingRows);
    // the audit finds no leakage between this run's train and test splits
    LeakageAudit.Result audit = LeakageAudit.run(spark, table(r, "train"), table(r, "test"), "id", "text",
        new PrepConfig.Near(0.8, 5, 3), 5L, Path.of(r.tables().get("train").path()).getParent().toString(), "train", "test");
    assertThat(audit.counts()).containsOnly(Map.entry("id", 0L), Map.entry("content", 0L), Map.entry("near", 0L));
    assertThat(audit.leaks()).isFalse();
    // class c (3 rows) may miss a split (by the ratios it gets 1.8/0.6/0.6): each class absent from a
    // split is warned about, in prep_runs and the result, and no other
    assertThat(run.<String>getList(4)).isEqualTo(r.warnings());
    List<String> absent = new ArrayList<>();
    for (String label : List.of("a", "b", "c")) {
      if (SplitPlanner.SPLITS.stream().anyMatch(sp -> r.splitClassCounts().get(sp).getOrDefault(label, 0L) == 0)) {
        absent.add(label);
      }
    }
    assertThat(r.warnings()).hasSameSizeAs(absent);
    for (int i = 0; i < absent.size(); i++) {
      assertThat(r.warnings().get(i)).startsWith("class '" + absent.get(i) + "' (").contains("is absent from");
    }
  }

  @Test
  void keepFirstKeepsTheEarliestRecordOfEachId() {
    PrepResult r = run("keep_first");
    Map<String, List<String>> splits = splitsById(r);
    assertThat(splits.values()).allSatisfy(s -> assertThat(s).hasSize(1));
    assertThat(splits).hasSize(byId.size());
    Map<String, String> cleanText = new HashMap<>();
    table(r, "clean").select("id", "text").collectAsList().forEach(row -> cleanText.put(row.getString(0), row.getString(1)));
    byId.forEach((id, texts) -> assertThat(cleanText.get(id)).as(id).isEqualTo(texts.get(0)));
    assertThat(table(r, "quarantine").where("rule = 'id.duplicate'").count()).isEqualTo(otherText);
    assertThat(r.rowsClean() + r.rowsQuarantined() + r.duplicatesRemoved()).isEqualTo(records);
    // split.min_per_split: 1 (this run) gives class c one row in each split, and no warning
    for (String split : SplitPlanner.SPLITS) {
      assertThat(r.splitClassCounts().get(split).get("c")).as(split).isEqualTo(1L);
    }
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void failStopsTheRunNamingExamples() {
    assertThatThrownBy(() -> run("fail")).isInstanceOf(PrepException.class)
        .hasMessageStartingWith(otherText + " ids are held by more than one record (after de-duplication), e.g. 'r100' (2 records), ")
        .hasMessageContaining("prep.ids.duplicates is fail");
  }
}
