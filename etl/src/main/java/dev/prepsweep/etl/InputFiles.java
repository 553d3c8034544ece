package dev.prepsweep.etl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * The files an input path names, found with Hadoop's {@link FileSystem} alone (no Spark), so a
 * missing input can be reported before Spark starts. A path is a file, a folder (its files,
 * recursively) or a glob; hidden names ({@code _...}, {@code .…}, as Spark skips them) are left out.
 */
public final class InputFiles {
  private InputFiles() {}

  /** A local path made absolute against the working directory; a URI ({@code scheme:...}) as is. */
  public static String resolve(String path) {
    if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      return path;
    }
    return "file://" + Path.of(path).toAbsolutePath().normalize();
  }

  /**
   * The data files under {@code path}, sorted; empty when nothing matches.
   *
   * @throws IOException when the filesystem cannot be reached or listed
   */
  public static List<String> list(String path, Configuration conf) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(resolve(path));
    FileSystem fs = p.getFileSystem(conf);
    FileStatus[] matched = fs.globStatus(p);
    List<String> out = new ArrayList<>();
    if (matched == null) {
      return out;
    }
    for (FileStatus s : matched) {
      collect(fs, s, out);
    }
    out.sort(null);
    return out;
  }

  private static void collect(FileSystem fs, FileStatus s, List<String> out) throws IOException {
    String name = s.getPath().getName();
    if (name.startsWith("_") || name.startsWith(".")) {
      return;
    }
    if (s.isDirectory()) {
      for (FileStatus c : fs.listStatus(s.getPath())) {
        collect(fs, c, out);
      }
    } else {
      out.add(s.getPath().toString());
    }
  }

  /**
   * Why {@code path} cannot be read, or null when it names at least one file.
   *
   * @param needFiles whether data files must be found under it (false: the path must exist, as a
   *     Delta table folder whose files are all under {@code _delta_log} when it is empty)
   * @param conf a plain Hadoop configuration (core-site.xml on the class path, if any)
   */
  public static String problem(String path, boolean needFiles, Configuration conf) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(resolve(path));
      FileStatus[] matched = p.getFileSystem(conf).globStatus(p);
      boolean empty = needFiles ? list(path, conf).isEmpty() : matched == null || matched.length == 0;
      if (empty) {
        return path.contains("*") || path.contains("?") || path.contains("[") || path.contains("{")
            ? "the pattern matches no file (resolved: " + resolve(path) + ")"
            : "no file or folder with data files at " + resolve(path);
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return "cannot list " + resolve(path) + ": " + e.getMessage();
    }
  }
}
