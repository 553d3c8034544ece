package dev.prepsweep.etl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.etl.plan.SplitPlanner;
import dev.prepsweep.testkit.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzed JSON lines: every line carries at most one defect, chosen at random, so the test knows the
 * rule each line must be quarantined under; plus exact duplicates with agreeing and conflicting
 * labels. The job must account for every line (conservation) and match the expected counts.
 */
class FuzzedInputTest {
  static final String[] LABELS = {"a", "b", "c"};
  static final String[] WORDS = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor".split(" ");

  static SparkSession spark;
  static PrepResult result;
  static Map<String, Long> expectedRules = new TreeMap<>();
  static long expectedDups;
  static long expectedClean;
  static long lines;
  static Path warehouse;

  @BeforeAll
  static void run() throws IOException {
    spark = SharedSpark.session();
    Path dir = SharedSpark.tempDir("fuzz");
    Path file = dir.resolve("fuzz.jsonl");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SplittableRandom rnd = new SplittableRandom(20261126L);
    List<String[]> valid = new ArrayList<>(); // text, f0, f1
    int n = 900;
    for (int i = 0; i < n; i++) {
      int defect = rnd.nextInt(100);
      String id = "r" + i;
      String label = LABELS[rnd.nextInt(100) < 70 ? 0 : rnd.nextInt(100) < 70 ? 1 : 2];
      String text = words(rnd);
      String f0 = Double.toString(Math.round(rnd.nextDouble() * 1000) / 10.0);
      String f1 = rnd.nextInt(10) == 0 ? "null" : Double.toString(rnd.nextInt(50));
      String rule = null;
      String line;
      if (defect < 4) {
        line = "{\"id\": \"" + id + "\", \"label\": \"" + label + "\", \"text\": \"" + text; // truncated
        rule = "input.malformed";
      } else if (defect < 6) {
        line = rnd.nextBoolean() ? "[1, 2, 3]" : "   "; // an empty line would not be a record
        rule = "input.malformed";
      } else if (defect < 9) {
        line = null; // invalid UTF-8, written as bytes below
        rule = "input.invalid_utf8";
      } else if (defect < 12) {
        line = json(id, rnd.nextBoolean() ? "null" : "\"  \"", text, f0, f1);
        rule = "label.missing";
      } else if (defect < 15) {
        line = json(id, "\"zebra\"", text, f0, f1);
        rule = "label.unknown";
      } else if (defect < 18) {
        line = json(id, "\"" + label + "\"", text, "\"twelve\"", f1);
        rule = "feature.type";
      } else if (defect < 21) {
        line = json(id, "\"" + label + "\"", text, "null", f1);
        rule = "feature.missing";
      } else if (defect < 24) {
        line = json(id, "\"" + label + "\"", rnd.nextBoolean() ? "   " : "<b></b>", f0, f1);
        rule = "text.empty";
      } else {
        // valid, with label spelling noise the label map/normalisation must absorb
        String spelled = switch (rnd.nextInt(6)) {
          case 0 -> " " + label.toUpperCase() + " ";
          case 1 -> label.equals("a") ? "alpha" : label;
          default -> label;
        };
        line = json(id, "\"" + spelled + "\"", text, f0, f1);
        valid.add(new String[] {text, f0, f1, label});
      }
      if (line == null) {
        out.write(("{\"id\": \"" + id + "\", \"label\": \"a\", \"text\": \"caf").getBytes(StandardCharsets.UTF_8));
        out.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        out.write("\", \"f0\": 1}\n".getBytes(StandardCharsets.UTF_8));
      } else {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      if (rule != null) {
        expectedRules.merge(rule, 1L, Long::sum);
      }
      lines++;
    }
    expectedClean = valid.size();
    // duplicates of valid rows: A) same label -> one removed copy; B) other label -> both quarantined
    // (a tie under the majority policy); C) same + other -> majority keeps one, one removed, one quarantined
    for (int i = 0; i < 60; i++) {
      String[] v = valid.get(i);
      String other = v[3].equals("a") ? "b" : "a";
      int pattern = i % 3;
      out.write((json("d" + i, "\"" + v[3] + "\"", v[0], v[1], v[2]) + "\n").getBytes(StandardCharsets.UTF_8));
      lines++;
      if (pattern == 0) {
        expectedDups++;
        continue;
      }
      out.write((json("x" + i, "\"" + other + "\"", v[0], v[1], v[2]) + "\n").getBytes(StandardCharsets.UTF_8));
      lines++;
      if (pattern == 1) {
        // v, d(same), x(other): labels v,v,other -> majority: keep 1, 1 dup, x quarantined
        expectedDups++;
        expectedRules.merge("dedupe.label_conflict", 1L, Long::sum);
      }
      if (pattern == 2) {
        // add a second 'other' copy: v, d, x, y -> 2:2 tie, all four quarantined
        out.write((json("y" + i, "\"" + other + "\"", v[0], v[1], v[2]) + "\n").getBytes(StandardCharsets.UTF_8));
        lines++;
        expectedClean--;
        expectedRules.merge("dedupe.label_conflict", 4L, Long::sum);
      }
    }
    // empty lines (LF, CRLF, CR) are line ends, not records: not counted, not quarantined
    out.write("\n\r\n\r".getBytes(StandardCharsets.UTF_8));
    Files.write(file, out.toByteArray());
    String yaml = """
        prep:
          input: {format: json, path: %s}
          columns: {id: id, label: label, text: text, features: [f0, f1]}
          clean: {strip_html: true, lowercase: true, min_text_chars: 1, missing: {f0: drop, f1: mean}, clip: {lower: 0.05, upper: 0.95}}
          labels: {allowed: [a, b, c], map: {alpha: a}}
          dedupe: {exact: true, conflicts: majority}
          split: {train: 0.6, val: 0.2, test: 0.2, folds: 3}
          balance: {method: smote, target: max, k: 3}
          guard: {max_quarantine_share: 0.5}
        """.formatted(file);
    PrepConfig config = PrepConfig.parse(ConfigNode.parse(yaml, "fuzz.yaml").required("prep"));
    warehouse = dir.resolve("wh");
    result = PrepJob.run(spark, config, warehouse.toString(), 11L);
  }

  static String json(String id, String labelJson, String text, String f0, String f1) {
    return "{\"id\": \"" + id + "\", \"label\": " + labelJson + ", \"text\": \"" + text + "\", \"f0\": " + f0
        + ", \"f1\": " + f1 + "}";
  }

  static String words(SplittableRandom rnd) {
    StringBuilder b = new StringBuilder();
    int n = 3 + rnd.nextInt(8);
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
    }
    return b.append(' ').append(rnd.nextLong() & 0xFFFFFF).toString();
  }

  Dataset<Row> table(String name) {
    return spark.read().format("delta").load(result.tables().get(name).path());
  }

  @Test
  void everyLineIsAccountedFor() {
    assertThat(result.rowsRead()).isEqualTo(lines);
    assertThat(result.rowsClean() + result.rowsQuarantined() + result.duplicatesRemoved()).isEqualTo(lines);
    assertThat(table("clean").count()).isEqualTo(result.rowsClean());
    assertThat(table("quarantine").count()).isEqualTo(result.rowsQuarantined());
  }

  @Test
  void quarantineHoldsEachRowUnderTheRuleItBroke() {
    Map<String, Long> byRule = new TreeMap<>();
    for (Row r : table("quarantine").groupBy("rule").count().collectAsList()) {
      byRule.put(r.getString(0), r.getLong(1));
    }
    assertThat(byRule).isEqualTo(expectedRules);
    assertThat(result.duplicatesRemoved()).isEqualTo(expectedDups);
    assertThat(result.rowsClean()).isEqualTo(expectedClean);
    assertThat(table("quarantine").where("source is null or reason is null or stage is null").count()).isZero();
  }

  @Test
  void featuresAreClippedToTheirQuantiles() {
    // f0 is uniform on [0, 100): clipping at the 5% and 95% quantiles piles rows on both bounds
    Row r = table("clean").selectExpr("min(features[0])", "max(features[0])").first();
    double lo = r.getDouble(0);
    double hi = r.getDouble(1);
    assertThat(lo).isBetween(2.0, 8.0);
    assertThat(hi).isBetween(92.0, 98.0);
    assertThat(table("clean").where("features[0] = " + lo).count()).isGreaterThan(10);
    assertThat(table("clean").where("features[0] = " + hi).count()).isGreaterThan(10);
  }

  @Test
  void imputedFeaturesHaveNoNulls() {
    assertThat(table("clean").where("exists(features, x -> x is null)").count()).isZero();
  }

  @Test
  void splitsAreExactAndFoldsBalanced() {
    Map<String, Long> perLabel = new HashMap<>();
    result.splitClassCounts().values().forEach(m -> m.forEach((l, c) -> perLabel.merge(l, c, Long::sum)));
    double[] ratios = {0.6, 0.2, 0.2};
    for (String l : LABELS) {
      long[] t = SplitPlanner.apportion(perLabel.get(l), ratios);
      for (int i = 0; i < 3; i++) {
        assertThat(result.splitClassCounts().get(SplitPlanner.SPLITS.get(i)).get(l)).isEqualTo(t[i]);
      }
      for (Row r : table("train").where("label = '" + l + "'").groupBy("fold").count().collectAsList()) {
        assertThat((double) r.getLong(1)).isCloseTo(t[0] / 3.0, org.assertj.core.data.Offset.offset(1.0));
      }
    }
  }

  @Test
  void smoteBringsEveryClassToTheMajorityCount() {
    Map<String, Long> train = result.splitClassCounts().get("train");
    long max = train.values().stream().mapToLong(Long::longValue).max().getAsLong();
    Dataset<Row> balanced = table("train_balanced");
    for (Row r : balanced.groupBy("label").count().collectAsList()) {
      assertThat(r.getLong(1)).as(r.getString(0)).isEqualTo(max);
    }
    assertThat(balanced.where("op = 'original'").count()).isEqualTo(train.values().stream().mapToLong(Long::longValue).sum());
    // synthetic features lie between their source and a neighbour: inside the class's bounding box
    assertThat(balanced.where("op = 'smote' and (source_id is null or size(features) != 2)").count()).isZero();
    assertThat(table("class_weights").count()).isEqualTo(3);
  }

  @Test
  void featuresAndIdsAreNotDictionaryEncodedAndTablesKeepNoColumnStats() throws IOException {
    // f1 holds 50 distinct integers: Parquet would keep a dictionary for them unless told not to;
    // the ids are a few hundred short strings, which a dictionary would take too
    for (String name : List.of("clean", "train", "train_balanced")) {
      Row props = spark.sql("DESCRIBE DETAIL delta.`" + result.tables().get(name).path() + "`").select("properties").first();
      assertThat(props.<String, String>getJavaMap(0)).as(name).containsEntry("delta.dataSkippingNumIndexedCols", "0");
      for (String file : table(name).inputFiles()) {
        try (org.apache.parquet.hadoop.ParquetFileReader r = org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file),
                spark.sparkContext().hadoopConfiguration()))) {
          for (var block : r.getFooter().getBlocks()) {
            for (var column : block.getColumns()) {
              if (List.of("features.list.element", "id", "source_id").contains(column.getPath().toDotString())) {
                assertThat(column.getEncodings()).as(file)
                    .doesNotContain(org.apache.parquet.column.Encoding.PLAIN_DICTIONARY,
                        org.apache.parquet.column.Encoding.RLE_DICTIONARY);
              }
            }
          }
        }
      }
    }
    // the session settings that turn the dictionaries off are the caller's again after the run
    for (String column : List.of("features.list.element", "id", "source_id")) {
      assertThat(spark.conf().getOption("parquet.enable.dictionary#" + column).isDefined()).as(column).isFalse();
    }
  }
}
