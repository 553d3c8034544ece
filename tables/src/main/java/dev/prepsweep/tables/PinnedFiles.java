package dev.prepsweep.tables;

import dev.prepsweep.common.TableVersion;
import io.delta.kernel.engine.Engine;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a pinned version needs to be read exactly, and the guard that it is all still there. A
 * version needs its log (Kernel rebuilds the snapshot from it), every data file the snapshot lists
 * (files other tables reference by absolute path included) and the deletion vector files of those
 * data files. A Delta {@code VACUUM} or log cleanup can remove any of them.
 */
public final class PinnedFiles {
  private PinnedFiles() {}

  /**
   * The absolute paths of the files {@code table}'s version needs, data files and deletion vector
   * files, sorted and without duplicates (its log entries aside).
   *
   * @throws PinnedDataException when the version's log can no longer be read or Kernel cannot read it
   */
  public static List<String> needed(TableVersion table, Configuration conf) {
    Engine engine = KernelTables.engine(conf);
    KernelTables.PinnedScan scan = KernelTables.scan(engine, KernelTables.snapshot(engine, table), null, table);
    Set<String> files = new java.util.TreeSet<>();
    for (KernelTables.ScanFile f : scan.files()) {
      files.add(f.dataFile());
      f.deletionVectorFile().ifPresent(files::add);
    }
    return List.copyOf(files);
  }

  /**
   * Checks that {@code table}'s version is complete: its log entries are readable (Kernel rebuilds its
   * snapshot) and every file it needs exists. One listing per folder, not one request per file.
   *
   * @throws PinnedDataException naming the table, the version and the missing files, or the unreadable
   *     log; or when the version uses a feature Kernel cannot read
   */
  public static void requireComplete(TableVersion table, Configuration conf) {
    requireAll(table, needed(table, conf), conf);
  }

  /**
   * As {@link #requireComplete}, and checks that the version holds at least one data file: a version
   * with none has no rows to train or score on. Prep's rewrite of a table commits such a version just
   * before the one that adopts its new files (docs/prep-benchmark.md), so a sweep that pinned the latest
   * version while a prep was rewriting the table could otherwise train on nothing.
   *
   * @throws PinnedDataException as {@link #requireComplete}, or naming the table and version without rows
   */
  public static void requireRows(TableVersion table, Configuration conf) {
    List<String> needed = needed(table, conf);
    if (needed.isEmpty()) {
      throw TableErrors.noRows(table);
    }
    requireAll(table, needed, conf);
  }

  private static void requireAll(TableVersion table, List<String> needed, Configuration conf) {
    Map<Path, List<Path>> byFolder = new LinkedHashMap<>();
    for (String f : needed) {
      Path p = new Path(f);
      byFolder.computeIfAbsent(p.getParent(), k -> new ArrayList<>()).add(p);
    }
    List<String> missing = new ArrayList<>();
    try {
      for (Map.Entry<Path, List<Path>> folder : byFolder.entrySet()) {
        FileSystem fs = folder.getKey().getFileSystem(conf);
        Set<String> present = new HashSet<>();
        try {
          for (FileStatus s : fs.listStatus(folder.getKey())) {
            present.add(s.getPath().getName());
          }
        } catch (FileNotFoundException e) {
          // the whole folder is gone: every file in it is missing
        }
        for (Path p : folder.getValue()) {
          if (!present.contains(p.getName())) {
            missing.add(p.toString());
          }
        }
      }
    } catch (IOException e) {
      throw TableErrors.unreadable(table, e);
    }
    if (!missing.isEmpty()) {
      throw TableErrors.missingFiles(table, missing, needed.size());
    }
  }
}
