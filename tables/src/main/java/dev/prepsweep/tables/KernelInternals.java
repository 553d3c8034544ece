package dev.prepsweep.tables;

import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.FileStatus;
import java.util.Optional;

/**
 * The only place prepsweep names Delta Kernel's {@code internal} package. Kernel 4.0's public API
 * hands out scan files as opaque rows and a scan state row, and its own documented read path
 * (kernel/USER_GUIDE.md, "Read a Delta table") turns them into a Parquet read with exactly these
 * helpers: the data file of a scan file row, and the physical schema to read from it (physical
 * column names under column mapping, no partition columns), and where a scan file's deletion
 * vector lives (for the files a version needs). Kernel offers no public equivalent in
 * 4.0. {@code KernelInternalsTest} calls each of them, so a Kernel upgrade that moves or changes
 * them fails the build here, in one class.
 */
final class KernelInternals {
  private KernelInternals() {}

  /** The data file (absolute path, size) a scan file row names. */
  static FileStatus dataFile(Row scanFile) {
    return InternalScanFileUtils.getAddFileStatus(scanFile);
  }

  /** The schema to ask the Parquet reader for: the read schema's columns under their physical names. */
  static StructType physicalReadSchema(Engine engine, Row scanState) {
    return ScanStateRow.getPhysicalDataReadSchema(engine, scanState);
  }

  /**
   * The absolute path of the deletion vector file of a scan file row, when its rows are filtered
   * by a deletion vector kept in a file of its own (inline vectors live in the log).
   */
  static Optional<String> deletionVectorFile(Row scanState, Row scanFile) {
    DeletionVectorDescriptor dv = InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile);
    if (dv == null || !dv.isOnDisk()) {
      return Optional.empty();
    }
    return Optional.of(dv.getAbsolutePath(ScanStateRow.getTableRoot(scanState)));
  }

  /** Whether a scan file row's rows are filtered by a deletion vector (inline in the log or in a file). */
  static boolean hasDeletionVector(Row scanFile) {
    return InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile) != null;
  }
}
