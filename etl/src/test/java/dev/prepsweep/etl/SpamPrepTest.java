package dev.prepsweep.etl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.tables.DeltaIO;
import dev.prepsweep.etl.plan.SplitPlanner;
import dev.prepsweep.testkit.SharedSpark;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lead's config on the bundled SpamAssassin sample, end to end on local Spark + Delta. */
class SpamPrepTest {
  static final String YAML = """
      prep:
        input: {format: json, path: %s}
        columns: {id: id, label: label, text: [subject, body]}
        clean: {strip_html: true, unicode: NFKC, lowercase: true, min_text_chars: 1}
        labels: {allowed: [ham, spam]}
        dedupe: {exact: true}
        split: {train: 0.8, val: 0.1, test: 0.1, stratify: true}
      """;

  static SparkSession spark;
  static PrepConfig config;
  static Path warehouse;
  static PrepResult first;
  /** A second run with the first one's seed in a warehouse of its own (see {@link #again}). */
  private static PrepResult again;
  private static Path againWarehouse;

  @BeforeAll
  static void runOnce() {
    spark = SharedSpark.session();
    Path data = SharedSpark.repoRoot().resolve("data/spamassassin/messages.jsonl");
    config = PrepConfig.parse(ConfigNode.parse(YAML.formatted(data), "spam.yaml").required("prep"));
    warehouse = SharedSpark.tempDir("spam");
    first = PrepJob.run(spark, config, warehouse.toString(), 7L);
  }

  /**
   * The first run again (seed 7) into a fresh warehouse, made once for the tests that need it (a prep run
   * costs seconds): the same-seed test reads its tables at their recorded versions, and the rerun test
   * reruns over them, so neither depends on the other's order.
   */
  private static synchronized PrepResult again() {
    if (again == null) {
      againWarehouse = SharedSpark.tempDir("spam-again");
      again = PrepJob.run(spark, config, againWarehouse.toString(), 7L);
    }
    return again;
  }

  @Test
  void readsEveryLineAndConservesRows() {
    assertThat(first.rowsRead()).isEqualTo(6046);
    assertThat(first.duplicatesRemoved()).isGreaterThan(100);
    assertThat(first.rowsClean() + first.rowsQuarantined() + first.duplicatesRemoved()).isEqualTo(first.rowsRead());
    assertThat(first.labels()).containsExactly("ham", "spam");
    assertThat(first.tables()).containsKeys("clean", "quarantine", "train", "val", "test", "prep_runs");
  }

  @Test
  void writtenSplitsMatchTheReportedCounts() {
    for (String s : SplitPlanner.SPLITS) {
      for (Row r : spark.read().format("delta").load(first.tables().get(s).path()).groupBy("label").count().collectAsList()) {
        assertThat(r.getLong(1)).as(s + " " + r.getString(0)).isEqualTo(first.splitClassCounts().get(s).get(r.getString(0)));
      }
    }
  }

  @Test
  void splitsAreExactPerClass() {
    long total = 0;
    for (String label : first.labels()) {
      long n = 0;
      for (String s : SplitPlanner.SPLITS) {
        n += first.splitClassCounts().get(s).get(label);
      }
      total += n;
      double[] ratios = {0.8, 0.1, 0.1};
      for (int i = 0; i < 3; i++) {
        long got = first.splitClassCounts().get(SplitPlanner.SPLITS.get(i)).get(label);
        assertThat((double) got).isCloseTo(n * ratios[i], org.assertj.core.data.Offset.offset(1.0));
      }
    }
    assertThat(total).isEqualTo(first.rowsClean());
  }

  @Test
  void splitTablesHaveTheTrainerSchema() {
    Dataset<Row> train = spark.read().format("delta").load(first.tables().get("train").path());
    assertThat(train.schema().simpleString())
        .isEqualTo("struct<id:string,label:string,label_index:int,text:string,split:string,source_id:string,op:string>");
    assertThat(train.where("label_index < 0 or label_index > 1 or text = '' or split != 'train'").count()).isZero();
    assertThat(train.where("source_id != id or op != 'original'").count()).isZero();
    assertThat(train.where("text like '%<html%' or text like '%&nbsp;%'").count()).isZero();
    for (String s : List.of("val", "test")) {
      // one pass writes the three tables, so they share the schema
      assertThat(spark.read().format("delta").load(first.tables().get(s).path()).schema()).as(s).isEqualTo(train.schema());
    }
  }

  /**
   * The split tables are committed from the files the split pass wrote, moved into each table's
   * folder: a rerun makes a new version whose files are its own, the earlier version stays readable,
   * and the checksum's file list reads the same rows as Delta's reader.
   */
  @Test
  void rerunReplacesSplitTablesWithTheirOwnFilesAndKeepsHistory() throws Exception {
    PrepResult a = again();
    Path wh = againWarehouse;
    Map<String, List<Row>> before = new java.util.HashMap<>();
    for (String s : SplitPlanner.SPLITS) {
      before.put(s, DeltaIO.readThroughDelta(spark, a.tables().get(s)).collectAsList());
    }
    PrepResult b = PrepJob.run(spark, config, wh.toString(), 8L);
    for (String s : SplitPlanner.SPLITS) {
      // Delta's public API empties the table, one Kernel commit adopts the new files: the version between
      // is empty, and the run records the second
      assertThat(b.tables().get(s).version()).as(s).isEqualTo(a.tables().get(s).version() + 2);
      assertThat(DeltaIO.readThroughDelta(spark, new dev.prepsweep.common.TableVersion(s, b.tables().get(s).path(),
          a.tables().get(s).version() + 1)).count()).as(s + " between the runs").isZero();
      Dataset<Row> now = DeltaIO.readThroughDelta(spark, b.tables().get(s));
      long planned = b.splitClassCounts().get(s).values().stream().mapToLong(Long::longValue).sum();
      assertThat(now.count()).as(s).isEqualTo(planned);
      assertThat(DeltaIO.read(spark, b.tables().get(s)).exceptAll(now).count()).as(s).isZero();
      assertThat(now.exceptAll(DeltaIO.read(spark, b.tables().get(s))).count()).as(s).isZero();
      assertThat(DeltaIO.readThroughDelta(spark, a.tables().get(s)).collectAsList())
          .as(s + " at the first version").containsExactlyInAnyOrderElementsOf(before.get(s));
      Path table = Path.of(b.tables().get(s).path());
      List<String> files = DeltaIO.checksumFiles(spark, b.tables().get(s)).orElseThrow();
      assertThat(files).as(s).isNotEmpty().allSatisfy(f -> {
        assertThat(Path.of(java.net.URI.create(f)).getParent()).isEqualTo(table);
        assertThat(Path.of(java.net.URI.create(f))).exists();
      });
    }
    assertThat(wh.resolve("_prep_tmp")).doesNotExist();
  }

  @Test
  void splitCommitsRecordTheLabelsInLabelIndexOrder() {
    for (String s : SplitPlanner.SPLITS) {
      var recorded = DeltaIO.userMetadata(spark, first.tables().get(s)).orElseThrow().get(DeltaIO.LABELS);
      List<String> labels = new java.util.ArrayList<>();
      recorded.forEach(l -> labels.add(l.asText()));
      assertThat(labels).as(s).isEqualTo(first.labels());
      for (Row r : spark.read().format("delta").load(first.tables().get(s).path()).select("label", "label_index")
          .distinct().collectAsList()) {
        assertThat(labels.get(r.getInt(1))).isEqualTo(r.getString(0));
      }
    }
    assertThat(DeltaIO.userMetadata(spark, first.tables().get("clean"))).as("only split tables carry labels").isEmpty();
  }

  @Test
  void noTextInTwoSplits() {
    Map<String, Set<String>> texts = new java.util.HashMap<>();
    for (String s : SplitPlanner.SPLITS) {
      Set<String> t = new HashSet<>();
      for (Row r : spark.read().format("delta").load(first.tables().get(s).path()).select("text").collectAsList()) {
        t.add(r.getString(0));
      }
      texts.put(s, t);
    }
    for (String a : SplitPlanner.SPLITS) {
      for (String b : SplitPlanner.SPLITS) {
        if (!a.equals(b)) {
          Set<String> both = new HashSet<>(texts.get(a));
          both.retainAll(texts.get(b));
          assertThat(both).as(a + " and " + b).isEmpty();
        }
      }
    }
  }

  @Test
  void sameSeedGivesIdenticalSplitsAndPrepRunsAppends() {
    PrepResult second = again();
    for (String s : SplitPlanner.SPLITS) {
      // at the recorded versions: the rerun test may have rerun the second warehouse already
      Dataset<Row> a = DeltaIO.readThroughDelta(spark, first.tables().get(s));
      Dataset<Row> b = DeltaIO.readThroughDelta(spark, second.tables().get(s));
      assertThat(a.count()).isEqualTo(b.count());
      assertThat(a.exceptAll(b).count()).as(s).isZero();
      assertThat(b.exceptAll(a).count()).as(s).isZero();
    }
    assertThat(second.splitClassCounts()).isEqualTo(first.splitClassCounts());
    List<Row> runs = spark.read().format("delta").load(first.tables().get("prep_runs").path()).collectAsList();
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).<String>getAs("config_hash")).isEqualTo(config.hash());
  }

  @Test
  void deltaInputRecordsItsVersion() {
    String yaml = """
        prep:
          input: {format: delta, path: %s, version: 0}
          columns: {id: id, label: label, text: text}
          labels: {allowed: [ham, spam]}
          split: {train: 0.5, val: 0.5, test: 0}
        """.formatted(first.tables().get("clean").path());
    PrepConfig c = PrepConfig.parse(ConfigNode.parse(yaml, "delta.yaml").required("prep"));
    Path wh = SharedSpark.tempDir("delta-in");
    PrepResult r = PrepJob.run(spark, c, wh.toString(), 1L);
    assertThat(r.rowsRead()).isEqualTo(first.rowsClean());
    assertThat(r.duplicatesRemoved()).isZero();
    assertThat(r.splitClassCounts().get("test").values()).containsOnly(0L);
    Row run = spark.read().format("delta").load(r.tables().get("prep_runs").path()).first();
    assertThat(run.<Long>getAs("input_version")).isZero();
    assertThat(run.<String>getAs("input_format")).isEqualTo("delta");
    assertThat(run.<scala.collection.Map<String, Object>>getAs("output_versions").contains("train")).isTrue();
  }
}
