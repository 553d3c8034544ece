package dev.prepsweep.etl.internal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.etl.PrepErrors;
import dev.prepsweep.etl.augment.Images;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Image folders through Spark's binaryFile source (label = parent folder), and IDX files (MNIST,
 * Fashion-MNIST; plain or gzip) read in parallel ranges. Corrupt images and images of the wrong
 * size are rejected with a rule; pixels (grayscale, [0, 1]) become the features.
 */
final class ImageInput {
  static final String PIXELS = "_r_pixels";

  private ImageInput() {}

  static RawInput read(SparkSession spark, PrepConfig config, String location) {
    PrepConfig.Input in = config.input();
    int w = in.imageWidth();
    int h = in.imageHeight();
    StructType decoded = new StructType().add("w", DataTypes.IntegerType).add("h", DataTypes.IntegerType)
        .add("pixels", DataTypes.createArrayType(DataTypes.DoubleType));
    UserDefinedFunction decode = udf((UDF1<byte[], Row>) bytes -> {
      BufferedImage img = Images.decodeGray(bytes);
      if (img == null) {
        return null;
      }
      boolean sized = w > 0 && img.getWidth() == w && img.getHeight() == h;
      double[] px = sized ? Images.pixels(img) : null;
      return RowFactory.create(img.getWidth(), img.getHeight(), px);
    }, decoded);
    Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
        .options(in.options()).load(location)
        .select(col("path"), col("content"));
    Dataset<Row> d = files.withColumn("_d", decode.apply(col("content")));
    Column corrupt = col("_d").isNull();
    Column wrongSize = w > 0 ? col("_d.w").notEqual(w).or(col("_d.h").notEqual(h)) : lit(false);
    Column rule = when(corrupt, lit("image.corrupt")).when(wrongSize, lit("image.size"));
    Column reason = when(corrupt, lit("the file is not a readable image"))
        .when(wrongSize, concat(lit("the image is "), col("_d.w").cast("string"), lit("x"), col("_d.h").cast("string"),
            lit(", expected " + w + "x" + h)));
    List<Column> out = new ArrayList<>();
    out.add(col("path").as(Cols.SRC));
    out.add(rule.as(Cols.RULE));
    out.add(reason.as(Cols.REASON));
    out.add(col("path").as(Cols.R_ID));
    out.add(regexp_extract(col("path"), "([^/]+)/[^/]+$", 1).as(Cols.R_LABEL));
    out.add(col("content").as(Cols.R_IMAGE));
    if (w > 0) {
      out.add(col("_d.pixels").as(PIXELS));
    }
    if (config.columns().group() != null) {
      throw PrepErrors.unsupported("columns.group with format image", "image folders carry no group column");
    }
    return new RawInput(d.select(out.toArray(Column[]::new)), col(Cols.SRC), location, null);
  }

  /** IDX: images file in input.path, labels file in input.labels_path. */
  static RawInput readIdx(SparkSession spark, PrepConfig config, String location) {
    String labels = InputReader.resolve(spark, config.input().labelsPath(), "idx");
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    int[] header = header(hadoop, location, 0x00000803, 4);
    int[] lheader = header(hadoop, labels, 0x00000801, 2);
    int n = header[1];
    if (lheader[1] != n) {
      throw PrepErrors.unsupported("IDX files with different counts (" + n + " images, " + lheader[1] + " labels)",
          "give the labels file that belongs to " + location);
    }
    int rows = header[2];
    int cols = header[3];
    int partitions = Math.max(1, Math.min(spark.sparkContext().defaultParallelism(), (n + 9999) / 10000));
    StructType schema = new StructType()
        .add(Cols.SRC, DataTypes.StringType).add(Cols.RULE, DataTypes.StringType).add(Cols.REASON, DataTypes.StringType)
        .add(Cols.R_ID, DataTypes.StringType).add(Cols.R_LABEL, DataTypes.StringType)
        .add(Cols.R_IMAGE, DataTypes.BinaryType).add(PIXELS, DataTypes.createArrayType(DataTypes.DoubleType));
    IdxRange fn = new IdxRange(new HadoopConf(hadoop), location, labels, n, rows, cols, partitions,
        config.input().labelNames());
    Dataset<Row> df = spark.range(0, partitions, 1, partitions).toDF("p")
        .mapPartitions(fn, Encoders.row(schema));
    return new RawInput(df, col(Cols.SRC), location, null);
  }

  static InputStream open(Configuration conf, String path) throws IOException {
    Path p = new Path(path);
    InputStream raw = new BufferedInputStream(p.getFileSystem(conf).open(p), 1 << 16);
    return path.endsWith(".gz") ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
  }

  private static int[] header(Configuration conf, String path, int magic, int ints) {
    try (DataInputStream in = new DataInputStream(open(conf, path))) {
      int[] h = new int[ints];
      for (int i = 0; i < ints; i++) {
        h[i] = in.readInt();
      }
      if (h[0] != magic) {
        throw PrepErrors.unsupported("IDX file " + path + " with magic number 0x" + Integer.toHexString(h[0]),
            "expected 0x" + Integer.toHexString(magic) + " (" + (magic == 0x803 ? "unsigned byte images" : "unsigned byte labels") + ")");
      }
      return h;
    } catch (IOException e) {
      throw PrepErrors.inputUnreadable("idx", path, e);
    }
  }

  /** Reads records [p n / P, (p + 1) n / P) of the IDX pair for partition p. */
  static final class IdxRange implements MapPartitionsFunction<Row, Row> {
    private final HadoopConf conf;
    private final String images;
    private final String labels;
    private final int n;
    private final int rows;
    private final int cols;
    private final int partitions;
    private final List<String> names;

    IdxRange(HadoopConf conf, String images, String labels, int n, int rows, int cols, int partitions,
        List<String> names) {
      this.conf = conf;
      this.images = images;
      this.labels = labels;
      this.n = n;
      this.rows = rows;
      this.cols = cols;
      this.partitions = partitions;
      this.names = List.copyOf(names);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      List<Integer> parts = new ArrayList<>();
      input.forEachRemaining(r -> parts.add((int) r.getLong(0)));
      int size = rows * cols;
      String file = new Path(images).getName();
      return new Iterator<>() {
        private int part = -1;
        private long next;
        private long to;
        private DataInputStream img;
        private DataInputStream lab;

        @Override
        public boolean hasNext() {
          try {
            while (img == null || next >= to) {
              close();
              if (++part >= parts.size()) {
                return false;
              }
              int p = parts.get(part);
              next = (long) n * p / partitions;
              to = (long) n * (p + 1) / partitions;
              img = new DataInputStream(open(conf.get(), images));
              lab = new DataInputStream(open(conf.get(), labels));
              img.skipNBytes(16 + next * size);
              lab.skipNBytes(8 + next);
            }
            return true;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          try {
            byte[] px = new byte[size];
            img.readFully(px);
            int label = lab.readUnsignedByte();
            long i = next++;
            BufferedImage g = Images.fromGray(px, cols, rows);
            String name = label < names.size() ? names.get(label) : Integer.toString(label);
            double[] d = Images.pixels(g);
            Double[] boxed = new Double[d.length];
            for (int k = 0; k < d.length; k++) {
              boxed[k] = d[k];
            }
            return RowFactory.create(images + "#" + i, null, null, file + ":" + i, name, Images.png(g), boxed);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        private void close() throws IOException {
          if (img != null) {
            img.close();
            lab.close();
            img = null;
          }
        }
      };
    }
  }
}
