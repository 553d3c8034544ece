package dev.prepsweep.tables;

import dev.prepsweep.common.TableVersion;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Executor-side reader of a pinned Delta version, through Delta Kernel: Kernel resolves the version's
 * scan files from the log, the default engine's Parquet reader reads only the columns training needs
 * under their physical names, and {@code Scan.transformPhysicalData} turns them into the table's rows
 * at that version (deletion vectors applied as selection vectors, column mapping, partition values,
 * widened types). No SparkSession, nothing passes through the driver. Results are cached per JVM by
 * table path and version, so trials after the first on an executor skip the read.
 */
public final class PinnedReader {

  private static final int MAX_CACHED = 4;

  /** Access-ordered LRU of decoded versions; a handful of small split tables per executor. */
  private static final Map<String, PinnedRows> CACHE = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PinnedRows> eldest) {
      return size() > MAX_CACHED;
    }
  };

  private PinnedReader() {}

  /**
   * The training columns of {@code table} at its version, read once per JVM (with this JVM's Hadoop
   * configuration, {@link SparkHadoopConf#current()}).
   *
   * @throws PinnedDataException when Kernel cannot read the version (unsupported feature, log gone)
   */
  public static PinnedRows cached(TableVersion table) {
    String key = table.path() + "@" + table.version();
    synchronized (CACHE) {
      PinnedRows hit = CACHE.get(key);
      if (hit != null) {
        return hit;
      }
    }
    PinnedRows loaded = read(table, false, SparkHadoopConf.current());
    synchronized (CACHE) {
      CACHE.put(key, loaded);
    }
    return loaded;
  }

  /** Drops this JVM's cached versions (tests). */
  public static void clearCache() {
    synchronized (CACHE) {
      CACHE.clear();
    }
  }

  /**
   * {@code label_index}, {@code text} and, when the table has them, {@code features}, {@code image},
   * {@code target} and {@code fold} of {@code table} at its version (and {@code id} as text when {@code withIds}), uncached.
   *
   * @throws PinnedDataException when Kernel cannot read the version (unsupported feature, log gone)
   * @throws IllegalStateException when the table has no {@code label_index}, a row has none, or a file cannot be read
   */
  public static PinnedRows read(TableVersion table, boolean withIds, Configuration conf) {
    Engine engine = KernelTables.engine(conf);
    Snapshot snapshot = KernelTables.snapshot(engine, table);
    StructType schema = snapshot.getSchema();
    if (schema.indexOf("label_index") < 0) {
      throw new IllegalStateException("table " + table + " has no label_index column (columns: " + schema.fieldNames()
          + "); train on a prepsweep split table");
    }
    List<StructField> wanted = new ArrayList<>();
    for (String name : withIds ? List.of("id", "label_index", "text", "features", "image", "fold", "target")
        : List.of("label_index", "text", "features", "image", "fold", "target")) {
      if (schema.indexOf(name) >= 0) {
        wanted.add(schema.get(name));
      }
    }
    KernelTables.PinnedScan scan = KernelTables.scan(engine, snapshot, new StructType(wanted), table);
    StructType physical = KernelInternals.physicalReadSchema(engine, scan.state());
    Columns out = new Columns(withIds, schema.indexOf("features") >= 0, schema.indexOf("image") >= 0,
        schema.indexOf("fold") >= 0, schema.indexOf("target") >= 0);
    for (KernelTables.ScanFile file : scan.files()) {
      try (CloseableIterator<ColumnarBatch> physicalData = engine.getParquetHandler().readParquetFiles(
              single(KernelInternals.dataFile(file.row())), physical, Optional.empty());
          CloseableIterator<FilteredColumnarBatch> rows = Scan.transformPhysicalData(engine, scan.state(), file.row(),
              physicalData)) {
        while (rows.hasNext()) {
          out.add(rows.next(), table, file.dataFile());
        }
      } catch (IOException | RuntimeException e) {
        if (e instanceof PinnedDataException p) {
          throw p;
        }
        throw TableErrors.unreadable(table, e);
      }
    }
    return out.rows();
  }

  /** One file for Kernel's Parquet or JSON handler (Kernel's own helper for this is internal). */
  static CloseableIterator<FileStatus> single(FileStatus f) {
    return new CloseableIterator<>() {
      private boolean done;

      @Override
      public boolean hasNext() {
        return !done;
      }

      @Override
      public FileStatus next() {
        if (done) {
          throw new java.util.NoSuchElementException();
        }
        done = true;
        return f;
      }

      @Override
      public void close() {}
    };
  }

  /** The columns being read, grown batch by batch. */
  private static final class Columns {
    private final List<String> ids;
    private final List<Integer> labels = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();
    private final List<double[]> features;
    private final List<byte[]> images;
    private final List<Integer> folds;
    private final List<Double> targets;

    Columns(boolean withIds, boolean hasFeatures, boolean hasImages, boolean hasFolds, boolean hasTargets) {
      targets = hasTargets ? new ArrayList<>() : null;
      ids = withIds ? new ArrayList<>() : null;
      features = hasFeatures ? new ArrayList<>() : null;
      images = hasImages ? new ArrayList<>() : null;
      folds = hasFolds ? new ArrayList<>() : null;
    }

    void add(FilteredColumnarBatch filtered, TableVersion table, String file) {
      ColumnarBatch batch = filtered.getData();
      StructType schema = batch.getSchema();
      ColumnVector selection = filtered.getSelectionVector().orElse(null);
      ColumnVector label = batch.getColumnVector(schema.indexOf("label_index"));
      ColumnVector text = column(batch, "text");
      ColumnVector id = ids == null ? null : column(batch, "id");
      ColumnVector feature = features == null ? null : column(batch, "features");
      ColumnVector image = images == null ? null : column(batch, "image");
      ColumnVector fold = folds == null ? null : column(batch, "fold");
      ColumnVector target = targets == null ? null : column(batch, "target");
      for (int r = 0; r < batch.getSize(); r++) {
        // a row is live when the selection vector (deletion vectors) keeps it
        if (selection != null && (selection.isNullAt(r) || !selection.getBoolean(r))) {
          continue;
        }
        if (label.isNullAt(r)) {
          throw new IllegalStateException("table " + table + ": a row in " + file + " has no label_index");
        }
        labels.add((int) integral(label, r));
        texts.add(text == null || text.isNullAt(r) ? "" : text.getString(r));
        if (ids != null) {
          ids.add(id == null || id.isNullAt(r) ? null : idText(id, r));
        }
        if (features != null) {
          features.add(feature.isNullAt(r) ? new double[0] : doubles(feature.getArray(r)));
        }
        if (images != null) {
          images.add(image.isNullAt(r) ? new byte[0] : image.getBinary(r));
        }
        if (folds != null) {
          folds.add(fold.isNullAt(r) ? -1 : (int) integral(fold, r));
        }
        if (targets != null) {
          targets.add(target.isNullAt(r) ? Double.NaN : target.getDouble(r));
        }
      }
    }

    PinnedRows rows() {
      return new PinnedRows(ids == null ? null : ids.toArray(String[]::new),
          labels.stream().mapToInt(Integer::intValue).toArray(), texts.toArray(String[]::new),
          features == null ? null : features.toArray(double[][]::new),
          images == null ? null : images.toArray(byte[][]::new),
          folds == null ? null : folds.stream().mapToInt(Integer::intValue).toArray(),
          targets == null ? null : targets.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static ColumnVector column(ColumnarBatch batch, String name) {
      int i = batch.getSchema().indexOf(name);
      return i < 0 ? null : batch.getColumnVector(i);
    }
  }

  /** An integer column's value whatever its width (type widening may have made an INT a BIGINT). */
  private static long integral(ColumnVector v, int r) {
    DataType t = v.getDataType();
    if (t instanceof IntegerType) {
      return v.getInt(r);
    }
    if (t instanceof LongType) {
      return v.getLong(r);
    }
    if (t instanceof ShortType) {
      return v.getShort(r);
    }
    if (t instanceof ByteType) {
      return v.getByte(r);
    }
    throw new IllegalStateException("label_index has type " + t + ", not an integer type");
  }

  private static String idText(ColumnVector v, int r) {
    DataType t = v.getDataType();
    if (t instanceof IntegerType || t instanceof LongType || t instanceof ShortType || t instanceof ByteType) {
      return Long.toString(integral(v, r));
    }
    return v.getString(r);
  }

  /** An {@code ARRAY<DOUBLE>} (or FLOAT); null elements read as NaN. */
  private static double[] doubles(ArrayValue array) {
    ColumnVector elements = array.getElements();
    double[] out = new double[array.getSize()];
    boolean floats = elements.getDataType() instanceof FloatType;
    if (!floats && !(elements.getDataType() instanceof DoubleType)) {
      throw new IllegalStateException("features has elements of type " + elements.getDataType() + ", not DOUBLE");
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = elements.isNullAt(i) ? Double.NaN : floats ? elements.getFloat(i) : elements.getDouble(i);
    }
    return out;
  }
}
