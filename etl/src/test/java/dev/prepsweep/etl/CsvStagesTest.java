package dev.prepsweep.etl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.testkit.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CSV input through near-duplicate removal (MinHash LSH), a group-disjoint split, EDA augmentation
 * of minority classes and random re-sampling to the mean class count.
 */
class CsvStagesTest {
  static SparkSession spark;
  static PrepResult result;
  static int nearSame = 5;
  static int nearConflict = 5;
  static int malformed = 2;
  static int rows;

  @BeforeAll
  static void run() throws IOException {
    spark = SharedSpark.session();
    Path dir = SharedSpark.tempDir("csv");
    SplittableRandom rnd = new SplittableRandom(4);
    List<String> lines = new ArrayList<>(List.of("id,user,text,label"));
    List<String[]> base = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      String label = rnd.nextInt(10) < 7 ? "neg" : "pos";
      String text = randomWords(rnd, 20);
      base.add(new String[] {text, label});
      lines.add("r" + i + ",u" + (i % 24) + "," + text + "," + label);
    }
    for (int i = 0; i < nearSame + nearConflict; i++) {
      String[] b = base.get(i);
      String[] words = b[0].split(" ");
      words[10] = "changed";
      String label = i < nearSame ? b[1] : (b[1].equals("neg") ? "pos" : "neg");
      lines.add("n" + i + ",u" + (i % 24) + "," + String.join(" ", words) + "," + label);
    }
    lines.add("bad1,u1,too,many,fields,here");
    lines.add("bad2");
    rows = lines.size() - 1;
    Path csv = dir.resolve("in.csv");
    Files.write(csv, lines);
    String yaml = """
        prep:
          input: {format: csv, path: %s}
          columns: {id: id, label: label, text: text, group: user}
          dedupe: {exact: true, near: {threshold: 0.7, shingle: 5, hash_tables: 4}, conflicts: majority}
          split: {train: 0.6, val: 0.2, test: 0.2, by_group: true}
          augment: {text: {copies: 2, synonym: 0.1, swap: 0.1, delete: 0.1, minority_only: true}}
          balance: {method: random, target: mean}
        """.formatted(csv);
    result = PrepJob.run(spark, PrepConfig.parse(ConfigNode.parse(yaml, "csv.yaml").required("prep")),
        dir.resolve("wh").toString(), 3L);
  }

  static String randomWords(SplittableRandom rnd, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : " ");
      for (int k = 0; k < 6; k++) {
        b.append((char) ('a' + rnd.nextInt(26)));
      }
    }
    return b.toString();
  }

  Dataset<Row> table(String name) {
    return spark.read().format("delta").load(result.tables().get(name).path());
  }

  @Test
  void nearDuplicatesAreRemovedOrQuarantinedAndRowsConserved() {
    assertThat(result.rowsRead()).isEqualTo(rows);
    assertThat(result.duplicatesRemoved()).isEqualTo(nearSame);
    Map<String, Long> byRule = new HashMap<>();
    table("quarantine").groupBy("rule").count().collectAsList().forEach(r -> byRule.put(r.getString(0), r.getLong(1)));
    assertThat(byRule).containsExactlyInAnyOrderEntriesOf(Map.of("input.column_count", (long) malformed,
        "dedupe.near_label_conflict", (long) nearConflict));
    assertThat(result.rowsClean() + result.rowsQuarantined() + result.duplicatesRemoved()).isEqualTo(rows);
    // the near-dedupe stage's quarantines are in prep_runs.rejects_by_rule, next to the read stage's
    Row run = spark.sql("SELECT rejects_by_rule, duplicates_removed, rows_read FROM delta.`"
        + result.tables().get("prep_runs").path() + "`").first();
    assertThat(run.<String, Long>getJavaMap(0)).containsExactlyInAnyOrderEntriesOf(byRule);
    assertThat(run.getLong(1)).isEqualTo(nearSame);
    assertThat(run.getLong(2)).isEqualTo(rows);
  }

  @Test
  void noGroupSpansTwoSplits() {
    Dataset<Row> all = table("train").select("group", "split").union(table("val").select("group", "split"))
        .union(table("test").select("group", "split"));
    assertThat(all.groupBy("group").agg(org.apache.spark.sql.functions.countDistinct("split").as("n"))
        .where("n > 1").count()).isZero();
    assertThat(all.select("group").distinct().count()).isEqualTo(24);
    assertThat(table("val").count()).isPositive();
    assertThat(table("test").count()).isPositive();
  }

  @Test
  void augmentationCopiesOnlyMinorityRowsAndRecordsTheSource() {
    Map<String, Long> train = result.splitClassCounts().get("train");
    String minority = train.get("pos") < train.get("neg") ? "pos" : "neg";
    Dataset<Row> aug = table("train_augmented");
    assertThat(aug.where("op = 'original'").count()).isEqualTo(table("train").count());
    assertThat(aug.where("op != 'original'").count()).isEqualTo(2 * train.get(minority));
    assertThat(aug.where("op != 'original' and (label != '" + minority + "' or op not like 'eda:%')").count()).isZero();
    assertThat(aug.where("op != 'original'").join(table("train").select(org.apache.spark.sql.functions.col("id").as("source_id")),
        "source_id").count()).isEqualTo(2 * train.get(minority));
  }

  @Test
  void randomResamplingHitsTheMeanExactly() {
    Dataset<Row> aug = table("train_augmented");
    Map<String, Long> in = new HashMap<>();
    aug.groupBy("label").count().collectAsList().forEach(r -> in.put(r.getString(0), r.getLong(1)));
    long mean = Math.round(in.values().stream().mapToLong(Long::longValue).average().getAsDouble());
    for (Row r : table("train_balanced").groupBy("label").count().collectAsList()) {
      assertThat(r.getLong(1)).isEqualTo(mean);
    }
  }
}
