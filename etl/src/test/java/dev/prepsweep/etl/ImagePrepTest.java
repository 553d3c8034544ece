package dev.prepsweep.etl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.etl.augment.Images;
import dev.prepsweep.testkit.SharedSpark;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Image folders (binaryFile) with corrupt and wrong-size files, image augmentation, and IDX files. */
class ImagePrepTest {
  static SparkSession spark;
  static Path dir;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.session();
    dir = SharedSpark.tempDir("img");
  }

  static byte[] image(SplittableRandom rnd, int w, int h, int cls) {
    byte[] px = new byte[w * h];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) ((i % w < w / 2 ? 40 * cls : 0) + rnd.nextInt(40));
    }
    return Images.png(Images.fromGray(px, w, h));
  }

  Dataset<Row> table(PrepResult r, String name) {
    return spark.read().format("delta").load(r.tables().get(name).path());
  }

  @Test
  void imageFoldersQuarantineBadFilesAndAugmentTrain() throws IOException {
    Path root = dir.resolve("folders");
    SplittableRandom rnd = new SplittableRandom(8);
    int[] perClass = {30, 12, 6};
    for (int c = 0; c < 3; c++) {
      Path d = Files.createDirectories(root.resolve("class" + c));
      for (int i = 0; i < perClass[c]; i++) {
        Files.write(d.resolve("img" + i + ".png"), image(rnd, 8, 8, c));
      }
    }
    Files.write(root.resolve("class0/corrupt.png"), new byte[] {1, 2, 3, 4});
    Files.write(root.resolve("class1/big.png"), image(rnd, 9, 8, 1));
    String yaml = """
        prep:
          input: {format: image, path: %s, label_from_folder: true, image_size: [8, 8]}
          columns: {}
          split: {train: 0.5, val: 0.25, test: 0.25}
          augment: {image: {copies: 2, flip: true, rotate90: true, rotate_degrees: 10, crop: 0.8, brightness: 0.2, minority_only: true}}
          balance: {method: smote, target: max, k: 3}
        """.formatted(root);
    PrepResult r = PrepJob.run(spark, PrepConfig.parse(ConfigNode.parse(yaml, "img.yaml").required("prep")),
        dir.resolve("wh1").toString(), 5L);
    assertThat(r.rowsRead()).isEqualTo(48 + 2);
    Map<String, String> rules = new HashMap<>();
    table(r, "quarantine").collectAsList().forEach(q -> rules.put(q.<String>getAs("source").replaceAll(".*/", ""), q.getAs("rule")));
    assertThat(rules).isEqualTo(Map.of("corrupt.png", "image.corrupt", "big.png", "image.size"));
    assertThat(r.labels()).containsExactly("class0", "class1", "class2");
    Dataset<Row> train = table(r, "train");
    assertThat(train.schema().fieldNames()).containsExactly("id", "label", "label_index", "text", "split", "features", "image", "source_id",
        "op");
    assertThat(train.where("size(features) != 64").count()).isZero();
    Dataset<Row> aug = table(r, "train_augmented");
    long minority = r.splitClassCounts().get("train").get("class1") + r.splitClassCounts().get("train").get("class2");
    assertThat(aug.where("op like 'image:%'").count()).isEqualTo(2 * minority);
    assertThat(aug.where("op like 'image:%' and (size(features) != 64 or image is null)").count()).isZero();
    long max = aug.groupBy("label").count().collectAsList().stream().mapToLong(x -> x.getLong(1)).max().getAsLong();
    for (Row c : table(r, "train_balanced").groupBy("label").count().collectAsList()) {
      assertThat(c.getLong(1)).isEqualTo(max);
    }
  }

  @Test
  void idxFilesAreReadInRanges() throws IOException {
    int n = 40;
    SplittableRandom rnd = new SplittableRandom(3);
    ByteArrayOutputStream img = new ByteArrayOutputStream();
    ByteArrayOutputStream lab = new ByteArrayOutputStream();
    try (DataOutputStream i = new DataOutputStream(new GZIPOutputStream(img)); DataOutputStream l = new DataOutputStream(lab)) {
      i.writeInt(0x803);
      i.writeInt(n);
      i.writeInt(4);
      i.writeInt(5);
      l.writeInt(0x801);
      l.writeInt(n);
      for (int k = 0; k < n; k++) {
        for (int p = 0; p < 20; p++) {
          i.writeByte(p == 0 ? k : rnd.nextInt(256));
        }
        l.writeByte(k % 2);
      }
    }
    Path images = dir.resolve("t-images-idx3-ubyte.gz");
    Path labels = dir.resolve("t-labels-idx1-ubyte");
    Files.write(images, img.toByteArray());
    Files.write(labels, lab.toByteArray());
    String yaml = """
        prep:
          input: {format: idx, path: %s, labels_path: %s, label_names: [even, odd]}
          columns: {}
          split: {train: 0.5, val: 0.25, test: 0.25}
        """.formatted(images, labels);
    PrepResult r = PrepJob.run(spark, PrepConfig.parse(ConfigNode.parse(yaml, "idx.yaml").required("prep")),
        dir.resolve("wh2").toString(), 5L);
    assertThat(r.rowsRead()).isEqualTo(n);
    assertThat(r.rowsClean()).isEqualTo(n);
    assertThat(r.labels()).isEqualTo(List.of("even", "odd"));
    Row first = table(r, "clean").where("id = 't-images-idx3-ubyte.gz:7'").first();
    assertThat(first.<String>getAs("label")).isEqualTo("odd");
    List<Double> features = first.getList(first.fieldIndex("features"));
    assertThat(features).hasSize(20);
    assertThat(features.get(0)).isEqualTo(7 / 255.0);
    BufferedImage decoded = Images.decodeGray(first.getAs("image"));
    assertThat(decoded.getWidth()).isEqualTo(5);
    assertThat(decoded.getHeight()).isEqualTo(4);
  }
}
