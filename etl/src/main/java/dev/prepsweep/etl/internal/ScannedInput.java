package dev.prepsweep.etl.internal;

import dev.prepsweep.etl.internal.RecordScanner.Record;
import dev.prepsweep.etl.internal.RecordScanner.Syntax;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Runs the {@link RecordScanner} over input files in Spark tasks: one row per physical record, so the
 * record count is the scanner's and not a parser's. Each file is streamed (compressed files through
 * their Hadoop codec) by one task; files are spread over tasks in order. Columns: {@code _file},
 * {@code _line} (where the record starts), {@code _bytes} (the record without its line end),
 * {@code _utf8}, {@code _defect} (a {@link RecordScanner.Defect} name or null), {@code _nf} (CSV field
 * count) and, for CSV, {@code _c0.._c<width-1>} (the fields; null for a defective record).
 */
final class ScannedInput {
  static final String FILE = "_file";
  static final String LINE = "_line";
  static final String BYTES = "_bytes";
  static final String UTF8 = "_utf8";
  static final String DEFECT = "_defect";
  static final String FIELD_COUNT = "_nf";

  private ScannedInput() {}

  static String field(int i) {
    return "_c" + i;
  }

  /**
   * @param header CSV: the first record of each file is its header and not a record
   * @param width CSV: the field count records must have (0 in lines mode)
   */
  static Dataset<Row> scan(SparkSession spark, List<String> files, Syntax syntax, boolean header, int width) {
    StructType schema = new StructType()
        .add(FILE, DataTypes.StringType, false)
        .add(LINE, DataTypes.LongType, false)
        .add(BYTES, DataTypes.BinaryType, false)
        .add(UTF8, DataTypes.BooleanType, false)
        .add(DEFECT, DataTypes.StringType)
        .add(FIELD_COUNT, DataTypes.IntegerType, false);
    for (int i = 0; i < width; i++) {
      schema = schema.add(field(i), DataTypes.StringType);
    }
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = Math.max(1, Math.min(files.size(), 4 * jsc.defaultParallelism()));
    JavaRDD<Row> rows = jsc.parallelize(files, slices)
        .flatMap(file -> rows(file, conf, syntax, header, width));
    // A file is scanned by one task (record boundaries depend on every quote before them), and the
    // cleaning runs in the same task. Spreading one big file's records over the cores first
    // (repartition) was measured slower: 1M rows (190 MB, one file), read + clean + Parquet write on
    // local[2], two runs: 79 CPU-s with the shuffle, 57 without (Spark's own CSV reader: 66). Many
    // files are read in parallel; split a single very large input into several files.
    return spark.createDataFrame(rows, schema);
  }

  /** The records of one file as rows, read lazily; the stream closes at its end or with the task. */
  private static Iterator<Row> rows(String file, HadoopConf conf, Syntax syntax, boolean header, int width)
      throws IOException {
    RecordScanner scanner = new RecordScanner(open(file, conf), syntax, header ? 0 : width);
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> close(scanner));
    }
    if (header && scanner.hasNext()) {
      scanner.next();
      scanner.expectFields(width);
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        boolean more = scanner.hasNext();
        if (!more) {
          close(scanner);
        }
        return more;
      }

      @Override
      public Row next() {
        Record r = scanner.next();
        Object[] v = new Object[6 + width];
        v[0] = file;
        v[1] = r.line();
        v[2] = r.bytes();
        v[3] = r.utf8();
        v[4] = r.defect() == null ? null : r.defect().name();
        v[5] = r.fieldCount();
        if (r.fields() != null) {
          System.arraycopy(r.fields(), 0, v, 6, Math.min(width, r.fields().length));
        }
        return RowFactory.create(v);
      }
    };
  }

  static InputStream open(String file, HadoopConf conf) throws IOException {
    Path p = new Path(file);
    FileSystem fs = p.getFileSystem(conf.get());
    InputStream in = fs.open(p);
    CompressionCodec codec = new CompressionCodecFactory(conf.get()).getCodec(p);
    return codec == null ? in : codec.createInputStream(in);
  }

  /** The first record of the first file (the header, or a sample of the width), read on the driver. */
  static Record first(SparkSession spark, List<String> files, Syntax syntax) {
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    for (String f : files) {
      try (RecordScanner s = new RecordScanner(open(f, conf), syntax, 0)) {
        if (s.hasNext()) {
          return s.next();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return null;
  }

  private static void close(RecordScanner s) {
    try {
      s.close();
    } catch (IOException e) {
      // a stream that fails to close after its last record changes nothing read
    }
  }

  static List<String> names(int width) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      out.add("c" + i);
    }
    return out;
  }
}
