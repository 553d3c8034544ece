package dev.prepsweep.etl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.etl.internal.NearDeduper;
import dev.prepsweep.etl.plan.MinHashBands;
import dev.prepsweep.testkit.SharedSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The leakage audit on a deliberately leaky pair of tables; the expected counts by brute force. */
class LeakageAuditTest {
  static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType);
  static final PrepConfig.Near NEAR = new PrepConfig.Near(0.8, 5, 3);

  static Dataset<Row> delta(SparkSession spark, Path wh, String name, List<String[]> rows) {
    List<Row> rs = new ArrayList<>();
    rows.forEach(r -> rs.add(RowFactory.create(r[0], r[1])));
    String path = wh.resolve(name).toString();
    spark.createDataFrame(rs, SCHEMA).write().format("delta").save(path);
    return spark.read().format("delta").load(path);
  }

  static String norm(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
  }

  @Test
  void findsEveryKindOfLeakWithTheBruteForceCounts() {
    SparkSession spark = SharedSpark.session();
    Path wh = SharedSpark.tempDir("audit");
    SplittableRandom rnd = new SplittableRandom(9);
    List<String[]> train = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      train.add(new String[] {"t" + i, CsvStagesTest.randomWords(rnd, 15)});
    }
    List<String[]> test = new ArrayList<>();
    for (int i = 0; i < 3; i++) { // the same id, another text
      test.add(new String[] {"t" + i, CsvStagesTest.randomWords(rnd, 15)});
    }
    for (int i = 0; i < 4; i++) { // the same text but for case and spaces
      test.add(new String[] {"x" + i, "  " + train.get(10 + i)[1].toUpperCase(Locale.ROOT).replace(" ", "   ")});
    }
    for (int i = 0; i < 2; i++) { // one word of fifteen changed
      String[] w = train.get(20 + i)[1].split(" ");
      w[7] = "qqqqqq";
      test.add(new String[] {"y" + i, String.join(" ", w)});
    }
    for (int i = 0; i < 6; i++) {
      test.add(new String[] {"z" + i, CsvStagesTest.randomWords(rnd, 15)});
    }
    long ids = 0;
    long content = 0;
    long near = 0;
    for (String[] a : train) {
      for (String[] b : test) {
        ids += a[0].equals(b[0]) ? 1 : 0;
        boolean same = norm(a[1]).equals(norm(b[1]));
        content += same ? 1 : 0;
        double j = MinHashBands.jaccard(NearDeduper.shingles(a[1], 5), NearDeduper.shingles(b[1], 5));
        near += !same && j >= NEAR.threshold() ? 1 : 0;
      }
    }
    assertThat(ids).isEqualTo(3);
    assertThat(content).isEqualTo(4);
    assertThat(near).isPositive();
    LeakageAudit.Result r = LeakageAudit.run(spark, delta(spark, wh, "a", train), delta(spark, wh, "b", test), "id", "text",
        NEAR, 1L, wh.toString(), "a", "b");
    assertThat(r.counts()).containsEntry("id", ids).containsEntry("content", content).containsEntry("near", near);
    assertThat(r.leaks()).isTrue();
    assertThat(r.examples().get("id")).containsExactly("train 't0' ~ test 't0'", "train 't1' ~ test 't1'", "train 't2' ~ test 't2'");
    Dataset<Row> table = spark.read().format("delta").load(r.table().path());
    assertThat(table.count()).isEqualTo(ids + content + near);
    assertThat(table.where("kind = 'content'").select("train_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("t10", "t11", "t12", "t13");
  }
}
