package dev.prepsweep.training;

import dev.prepsweep.common.TableVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * Executor-side reader of a pinned Delta snapshot. The driver resolves a table version to its data
 * files from Delta metadata; this class reads those Parquet files directly (no SparkSession, nothing
 * passes through the driver) and caches the result per executor JVM, keyed by table path and
 * version, so trials after the first on an executor skip the read. Tables written by prepsweep use
 * no column mapping and no deletion vectors, so the data files are the snapshot.
 */
public final class PinnedSnapshotReader {

  private static final int MAX_CACHED = 4;
  /** The columns training reads. */
  private static final List<String> COLUMNS = List.of("label_index", "text", "features", "image");

  /** Access-ordered LRU of decoded snapshots; a handful of small split tables per executor. */
  private static final Map<String, SplitRows> CACHE = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, SplitRows> eldest) {
      return size() > MAX_CACHED;
    }
  };

  private PinnedSnapshotReader() {}

  /** The {@code text} and {@code label_index} columns of the table at its pinned version. */
  public static LabeledTexts read(TableVersion table, List<String> files) {
    return readRows(table, files).labeledTexts();
  }

  /** {@code label_index}, {@code text} and, when present, {@code features} and {@code image} at the pinned version. */
  public static SplitRows readRows(TableVersion table, List<String> files) {
    String key = table.path() + "@" + table.version();
    synchronized (CACHE) {
      SplitRows cached = CACHE.get(key);
      if (cached != null) {
        return cached;
      }
    }
    SplitRows loaded = load(table, files);
    synchronized (CACHE) {
      CACHE.put(key, loaded);
    }
    return loaded;
  }

  private static SplitRows load(TableVersion table, List<String> files) {
    Configuration conf = hadoopConf();
    List<String> texts = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<double[]> features = new ArrayList<>();
    List<byte[]> images = new ArrayList<>();
    boolean hasFeatures = false;
    boolean hasImages = false;
    for (String file : files) {
      try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), new Path(file))
          .withConf(projected(conf, new Path(file))).build()) {
        Group g;
        while ((g = reader.read()) != null) {
          GroupType type = g.getType();
          texts.add(!type.containsField("text") || g.getFieldRepetitionCount("text") == 0 ? "" : g.getString("text", 0));
          if (!type.containsField("label_index") || g.getFieldRepetitionCount("label_index") == 0) {
            throw new IllegalStateException("table " + table + ": a row in " + file + " has no label_index");
          }
          labels.add(g.getInteger("label_index", 0));
          if (type.containsField("features")) {
            hasFeatures = true;
            features.add(g.getFieldRepetitionCount("features") == 0 ? new double[0] : doubles(g.getGroup("features", 0)));
          } else {
            features.add(null);
          }
          if (type.containsField("image")) {
            hasImages = true;
            images.add(g.getFieldRepetitionCount("image") == 0 ? new byte[0] : g.getBinary("image", 0).getBytes());
          } else {
            images.add(null);
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + file + " of table " + table + ": " + e.getMessage(), e);
      }
    }
    int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
    return new SplitRows(texts.toArray(String[]::new), labelArray,
        hasFeatures ? features.toArray(double[][]::new) : null, hasImages ? images.toArray(byte[][]::new) : null);
  }

  /**
   * {@code conf} asking Parquet for only the columns training uses that {@code file} has: ids, labels
   * as text and lineage columns are not decoded (the requested schema must be a subset of the file's).
   */
  private static Configuration projected(Configuration conf, Path file) throws IOException {
    MessageType schema;
    try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      schema = footer.getFileMetaData().getSchema();
    }
    List<Type> kept = new ArrayList<>();
    for (Type field : schema.getFields()) {
      if (COLUMNS.contains(field.getName())) {
        kept.add(field);
      }
    }
    Configuration out = new Configuration(conf);
    out.set(ReadSupport.PARQUET_READ_SCHEMA, new MessageType(schema.getName(), kept).toString());
    return out;
  }

  /** An {@code ARRAY<DOUBLE>} in Parquet's three-level list layout ({@code list.element}); null elements read as NaN. */
  private static double[] doubles(Group list) {
    int n = list.getFieldRepetitionCount(0);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      Group element = list.getGroup(0, i);
      out[i] = element.getFieldRepetitionCount(0) == 0 ? Double.NaN : element.getDouble(0, 0);
    }
    return out;
  }

  /** The executor's Hadoop configuration (with spark.hadoop.* settings), or a default one outside Spark. */
  static Configuration hadoopConf() {
    SparkEnv env = SparkEnv.get();
    return env == null ? new Configuration() : SparkHadoopUtil.get().newConfiguration(env.conf());
  }
}
