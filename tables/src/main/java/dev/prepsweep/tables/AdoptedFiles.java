package dev.prepsweep.tables;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Parquet files that already exist the rows of a new version of a Delta table, through public
 * APIs only, instead of reading and writing the rows again:
 * <ol>
 *   <li>Delta's public API makes the table empty with the files' schema: {@code DeltaTable.create} for
 *       a new table (metadata only), an overwrite with no rows for one that exists (it removes every
 *       file, keeps them for time travel and keeps the table's properties, as prep's writes always did);
 *   <li>one Delta Kernel transaction appends the files as they are
 *       ({@code Transaction.generateAppendActions}, row counts from their Parquet footers as Delta's
 *       {@code numRecords} statistic) and records prep's metadata in the domain {@link #DOMAIN}.
 * </ol>
 * Two commits, because Kernel 4.0's public transactions only append (its replace and remove actions
 * are internal; {@code REPLACE TABLE} is public from Kernel 4.1) and Kernel rejects
 * {@code delta.checkpointRetentionDuration} as a new table's property. The second commit is the
 * version prep pins and records; the first is an empty version nobody pins. Kernel commits carry no
 * user metadata, so the commit's metadata lives in the domain metadata, which Kernel reads back at any
 * version ({@link DeltaIO#userMetadata}).
 *
 * <p>Only plain tables take this path: no partition columns, no column mapping or widened types (the
 * files hold the columns under their logical names), and a protocol Kernel can write. Otherwise
 * {@link #kernelCanAppend} says no and the caller writes the rows through Delta's writer.
 */
final class AdoptedFiles {
  private static final Logger LOG = LoggerFactory.getLogger(AdoptedFiles.class);
  /** The user-controlled domain of the commit metadata prep records with adopted files (JSON). */
  static final String DOMAIN = "prepsweep.commit";
  /** Where Kernel's commit names its writer ({@code engineInfo} in the commit info). */
  private static final String ENGINE_INFO = "prepsweep";

  private AdoptedFiles() {}

  /** A Parquet data file to adopt: its qualified path, size, modification time and row count. */
  record DataFile(String path, long size, long modificationTime, long rows) {}

  /**
   * Whether Kernel can append files to the table at {@code path} as prep writes them: true for a table
   * that does not exist yet; for one that does, when it is plain (see the class comment) and Kernel
   * accepts its protocol for writing (a transaction is built and dropped: nothing is committed).
   */
  static boolean kernelCanAppend(Engine engine, String path) {
    Snapshot latest;
    try {
      latest = Table.forPath(engine, path).getLatestSnapshot(engine);
    } catch (TableNotFoundException e) {
      return true;
    } catch (KernelException e) {
      LOG.info("Delta Kernel cannot read {} ({}): its rows are written by Delta's writer", path, e.getMessage());
      return false;
    }
    if (!latest.getPartitionColumnNames().isEmpty() || !KernelTables.plainColumns(latest.getSchema())) {
      return false;
    }
    try {
      transaction(engine, path);
      return true;
    } catch (KernelException | UnsupportedOperationException e) {
      LOG.info("Delta Kernel cannot write {} ({}): its rows are written by Delta's writer", path, e.getMessage());
      return false;
    }
  }

  /**
   * Makes the table at {@code path} an empty table with {@code schema} (all columns nullable, as
   * Delta's writer makes them) and prep's table properties: one commit.
   */
  static void empty(SparkSession spark, String path, StructType schema) {
    StructType nullable = schema.asNullable();
    if (DeltaIO.latestVersionIfAny(spark, path).isEmpty()) {
      var create = DeltaTable.create(spark).location(path).addColumns(nullable);
      for (Map.Entry<String, String> p : TableProperties.prepTables().entrySet()) {
        create = create.property(p.getKey(), p.getValue());
      }
      create.execute();
    } else {
      spark.createDataFrame(List.of(), nullable).write().format("delta").mode(SaveMode.Overwrite)
          .option("overwriteSchema", "true").options(TableProperties.prepTables()).save(path);
    }
  }

  /**
   * Appends {@code files} to the table at {@code path} in one Kernel commit, with {@code metadata}
   * (JSON) as the domain {@link #DOMAIN}, runs the commit's hooks (checkpoint, checksum) and brings
   * Spark's Delta up to the new version.
   *
   * @return the committed version
   */
  static long append(SparkSession spark, Engine engine, String path, List<DataFile> files, Optional<String> metadata) {
    long t0 = System.nanoTime();
    Transaction txn = transaction(engine, path);
    long t1 = System.nanoTime();
    metadata.ifPresent(m -> txn.addDomainMetadata(DOMAIN, m));
    Row state = txn.getTransactionState(engine);
    DataWriteContext context = Transaction.getWriteContext(engine, state, Map.of());
    List<DataFileStatus> statuses = files.stream().map(f -> new DataFileStatus(f.path(), f.size(), f.modificationTime(),
        Optional.of(new DataFileStatistics(f.rows(), Map.of(), Map.of(), Map.of())))).toList();
    List<Row> actions = new ArrayList<>();
    try (CloseableIterator<Row> adds = Transaction.generateAppendActions(engine, state,
        closeable(statuses), context)) {
      adds.forEachRemaining(actions::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long t2 = System.nanoTime();
    TransactionCommitResult result = txn.commit(engine, CloseableIterable.inMemoryIterable(closeable(actions)));
    long t3 = System.nanoTime();
    for (PostCommitHook hook : result.getPostCommitHooks()) {
      try {
        hook.threadSafeInvoke(engine);
      } catch (IOException | RuntimeException e) {
        // the commit stands; a missing checkpoint or checksum only makes later log reads slower
        LOG.warn("{} after commit {} of {} failed: {}", hook.getType(), result.getVersion(), path, e.getMessage());
      }
    }
    long t4 = System.nanoTime();
    // Spark's Delta caches each table's snapshot and, with spark.databricks.delta.stalenessLimit set,
    // serves reads of the latest version from it without looking at the log: a commit it did not
    // make would stay unseen. Its public history reads the log (DeltaLog.update, never stale), which
    // refreshes that snapshot, and shows Delta sees this commit.
    long seen = DeltaTable.forPath(spark, path).history(1).select("version").head().getLong(0);
    LOG.debug("TIMING append {}: txn {} ms, actions {} ms, commit {} ms, hooks {} {} ms, history {} ms", path,
        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000,
        result.getPostCommitHooks().stream().map(h -> h.getType().toString()).toList(), (t4 - t3) / 1_000_000,
        (System.nanoTime() - t4) / 1_000_000);
    if (seen < result.getVersion()) {
      throw new IllegalStateException("Delta Kernel committed version " + result.getVersion() + " of " + path
          + ", but Delta on Spark sees version " + seen + " as the latest");
    }
    return result.getVersion();
  }

  /** A list as Kernel's iterator type (Kernel 4.0's own adapter is in its internal package). */
  private static <T> CloseableIterator<T> closeable(List<T> items) {
    java.util.Iterator<T> it = items.iterator();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public T next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }

  private static Transaction transaction(Engine engine, String path) {
    return Table.forPath(engine, path).createTransactionBuilder(engine, ENGINE_INFO, Operation.WRITE)
        .withDomainMetadataSupported().build(engine);
  }

  /**
   * Moves the Parquet data files directly under {@code from} (missing: none) into {@code table}'s
   * folder and describes them; files without rows are deleted instead (a Spark job writes one for an
   * empty result), so they never enter the table.
   */
  static List<DataFile> moveInto(Configuration conf, Path from, Path table) {
    try {
      FileSystem fs = table.getFileSystem(conf);
      fs.mkdirs(table);
      List<DataFile> out = new ArrayList<>();
      for (FileStatus f : parquetFiles(fs, from)) {
        long rows = rows(f, conf);
        if (rows == 0) {
          fs.delete(f.getPath(), false);
          continue;
        }
        Path moved = new Path(table, f.getPath().getName());
        if (!fs.rename(f.getPath(), moved)) {
          throw new IOException("could not move " + f.getPath() + " to " + moved);
        }
        FileStatus now = fs.getFileStatus(moved);
        out.add(new DataFile(fs.makeQualified(moved).toString(), now.getLen(), now.getModificationTime(), rows));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the files of " + from + " into " + table + ": " + e.getMessage(), e);
    }
  }

  /** Describes data files that stay where they are (another table's), their row counts from their footers. */
  static List<DataFile> inPlace(Configuration conf, List<KernelTables.ScanFile> files) {
    try {
      List<DataFile> out = new ArrayList<>();
      for (KernelTables.ScanFile f : files) {
        Path p = new Path(f.dataFile());
        FileStatus status = p.getFileSystem(conf).getFileStatus(p);
        out.add(new DataFile(f.dataFile(), status.getLen(), status.getModificationTime(), rows(status, conf)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a data file's footer: " + e.getMessage(), e);
    }
  }

  private static long rows(FileStatus f, Configuration conf) throws IOException {
    try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromStatus(f, conf))) {
      return footer.getRecordCount();
    }
  }

  /** The Parquet data files directly under {@code dir}, by name; none when it does not exist. */
  private static List<FileStatus> parquetFiles(FileSystem fs, Path dir) throws IOException {
    if (!fs.exists(dir)) {
      return List.of();
    }
    return Arrays.stream(fs.listStatus(dir))
        .filter(f -> f.isFile() && f.getPath().getName().endsWith(".parquet") && !f.getPath().getName().startsWith(".")
            && !f.getPath().getName().startsWith("_"))
        .sorted(Comparator.comparing(f -> f.getPath().getName())).toList();
  }
}
