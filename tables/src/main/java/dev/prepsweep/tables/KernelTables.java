package dev.prepsweep.tables;

import dev.prepsweep.common.TableVersion;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Pinned versions through Delta Kernel's public API: the snapshot at a version (its protocol checked
 * by Kernel: a reader feature it does not support fails here, before anything reads data) and the
 * scan files Kernel's log replay gives for it, in path order so every reader sees the same row order.
 */
final class KernelTables {
  /** Field metadata keys under which Delta records that a column's files do not hold it as the schema says. */
  private static final List<String> NOT_PLAIN_KEYS = List.of("delta.columnMapping.physicalName", "delta.typeChanges");

  private KernelTables() {}

  static Engine engine(Configuration conf) {
    return DefaultEngine.create(conf);
  }

  /**
   * The snapshot of {@code t}'s version.
   *
   * @throws PinnedDataException when the version uses a feature Kernel cannot read, or its log is gone
   */
  static Snapshot snapshot(Engine engine, TableVersion t) {
    try {
      return Table.forPath(engine, t.path()).getSnapshotAsOfVersion(engine, t.version());
    } catch (TableNotFoundException e) {
      throw TableErrors.logUnreadable(t, e);
    } catch (KernelException e) {
      throw unsupported(e) ? TableErrors.unsupportedFeature(t, e) : TableErrors.logUnreadable(t, e);
    }
  }

  /**
   * Whether Kernel refused the table for what it is rather than for what is missing: Kernel 4.0 builds
   * these errors in its internal {@code DeltaErrors} ("Unsupported Delta reader features: ...",
   * "Unsupported Delta protocol reader version ...", "Unsupported data type ...") and has no public
   * exception type for them, so the message is the only public signal.
   */
  private static boolean unsupported(KernelException e) {
    return e.getMessage() != null && e.getMessage().startsWith("Unsupported");
  }

  /** A scan file of a version: Kernel's row for it and the absolute paths of its data and deletion vector files. */
  record ScanFile(Row row, String dataFile, Optional<String> deletionVectorFile) {}

  /** The scan (with {@code readSchema}, or every column when null) and its files in path order. */
  record PinnedScan(Scan scan, Row state, List<ScanFile> files) {}

  static PinnedScan scan(Engine engine, Snapshot snapshot, StructType readSchema, TableVersion t) {
    var builder = snapshot.getScanBuilder();
    if (readSchema != null) {
      builder = builder.withReadSchema(readSchema);
    }
    Scan scan = builder.build();
    Row state = scan.getScanState(engine);
    List<ScanFile> files = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            Row row = rows.next();
            files.add(new ScanFile(row, KernelInternals.dataFile(row).getPath(),
                KernelInternals.deletionVectorFile(state, row)));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(TableErrors.unreadable(t, e).getMessage(), e);
    } catch (KernelException e) {
      throw TableErrors.logUnreadable(t, e);
    }
    files.sort(Comparator.comparing(ScanFile::dataFile));
    return new PinnedScan(scan, state, files);
  }

  /** What {@link #commitUserMetadata} reads of a commit file: the commit info's user metadata only. */
  private static final StructType COMMIT_USER_METADATA = new StructType()
      .add("commitInfo", new StructType().add("userMetadata", StringType.STRING));

  /**
   * The user metadata ({@code commitInfo.userMetadata}) of the commit file of {@code t}'s version, read
   * with the engine's JSON reader (public Kernel API; the file is the Delta protocol's
   * {@code _delta_log/<version, 20 digits>.json}): present-and-empty when the commit records none,
   * absent when the commit file itself is gone (a log cleanup after a checkpoint), so the caller
   * asks Delta's commit history instead.
   */
  static Optional<Optional<String>> commitUserMetadata(Configuration conf, TableVersion t) {
    Engine engine = engine(conf);
    String file = t.path() + "/_delta_log/" + String.format("%020d", t.version()) + ".json";
    FileStatus status;
    try {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
      org.apache.hadoop.fs.FileStatus found = path.getFileSystem(conf).getFileStatus(path);
      status = FileStatus.of(file, found.getLen(), found.getModificationTime());
    } catch (java.io.FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(TableErrors.unreadable(t, e).getMessage(), e);
    }
    try (CloseableIterator<ColumnarBatch> batches = engine.getJsonHandler()
        .readJsonFiles(PinnedReader.single(status), COMMIT_USER_METADATA, Optional.empty())) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            Row row = rows.next();
            if (!row.isNullAt(0)) {
              Row info = row.getStruct(0);
              return Optional.of(info.isNullAt(0) ? Optional.empty() : Optional.of(info.getString(0)));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(TableErrors.unreadable(t, e).getMessage(), e);
    } catch (KernelException e) {
      throw TableErrors.logUnreadable(t, e);
    }
    return Optional.of(Optional.empty());
  }

  /**
   * Whether the Parquet files of a snapshot with {@code schema} hold its columns under their own names
   * and types: no column mapping (physical names) and no widened types anywhere in the schema.
   */
  static boolean plainColumns(StructType schema) {
    for (StructField f : schema.fields()) {
      for (String key : NOT_PLAIN_KEYS) {
        if (f.getMetadata().contains(key)) {
          return false;
        }
      }
      if (!plainColumns(f.getDataType())) {
        return false;
      }
    }
    return true;
  }

  private static boolean plainColumns(DataType type) {
    if (type instanceof StructType s) {
      return plainColumns(s);
    }
    if (type instanceof ArrayType a) {
      return plainColumns(a.getElementType());
    }
    if (type instanceof MapType m) {
      return plainColumns(m.getKeyType()) && plainColumns(m.getValueType());
    }
    return true;
  }
}
