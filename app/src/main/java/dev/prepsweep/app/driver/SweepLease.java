package dev.prepsweep.app.driver;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One driver per sweep. The driver running a sweep holds its lease: a file
 * {@code <warehouse>/_prepsweep/leases/<sweep id>/<generation>} naming the owner (user, host, pid),
 * renewed (its modification time set to now) every third of the lease duration. A lease whose file
 * was not renewed for a whole duration has expired: its driver died or hangs. Taking a lease over
 * creates the next generation's file with an atomic create-if-absent ({@code O_EXCL} on local and
 * NFS paths, the NameNode's create-without-overwrite on HDFS), so of two drivers racing for one
 * expired lease exactly one wins; a driver that finds a newer generation than its own when renewing
 * has lost its lease (it paused for longer than the lease) and must stop writing. Files rather than
 * a row of {@code sweeps}: a renewal every few seconds as a Delta MERGE would cost a dozen Spark jobs
 * each and conflict with the sweep's own writes. On object stores without a conditional create
 * (S3 before conditional writes) the create is best effort.
 *
 * <p>Clocks of the hosts that run drivers must agree to well within the lease duration.
 */
final class SweepLease implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SweepLease.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Who holds a lease, as its file says, and when it was last renewed. */
  record Holder(String owner, String host, long pid, long durationMillis, long generation, long renewedAtMillis) {
    long expiresAtMillis() {
      return renewedAtMillis + durationMillis;
    }

    /** Alive unless it expired, or ran on this host under a pid that no longer exists (killed: no need to wait). */
    boolean aliveAt(long nowMillis) {
      if (nowMillis >= expiresAtMillis()) {
        return false;
      }
      return !(host.equals(thisHost()) && ProcessHandle.of(pid).isEmpty());
    }

    String describe(long nowMillis) {
      if (renewedAtMillis == 0) {
        return owner + " on " + host + " (pid " + pid + "), released";
      }
      return owner + " on " + host + " (pid " + pid + "), renewed " + Math.max(0, (nowMillis - renewedAtMillis) / 1000)
          + " s ago, expires " + Instant.ofEpochMilli(expiresAtMillis());
    }
  }

  /** Thrown when another live driver holds the sweep's lease. */
  static final class HeldException extends IllegalArgumentException {
    final transient Holder holder;

    HeldException(String sweepId, Holder holder, long now) {
      super("sweep " + sweepId + " is being run by another driver: " + holder.describe(now)
          + ". Only one driver may run a sweep; stop that driver (or wait until its lease expires, "
          + Duration.ofMillis(holder.durationMillis()).toSeconds() + " s after it stops) and resume again");
      this.holder = holder;
    }
  }

  private final FileSystem fs;
  private final Path dir;
  private final Path mine;
  private final long generation;
  private final long durationMillis;
  private final String sweepId;
  private final ScheduledExecutorService renewer;
  private volatile boolean lost;
  private volatile String lostReason;

  private SweepLease(FileSystem fs, Path dir, long generation, long durationMillis, String sweepId) {
    this.fs = fs;
    this.dir = dir;
    this.generation = generation;
    this.mine = new Path(dir, String.valueOf(generation));
    this.durationMillis = durationMillis;
    this.sweepId = sweepId;
    this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "prepsweep-lease-" + sweepId);
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(200, durationMillis / 3);
    renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the sweep's lease: a new one, or the next generation of one whose driver stopped.
   *
   * @return the lease and the holder it took over from, if any
   * @throws HeldException when a live driver holds it
   */
  static Acquired acquire(Configuration conf, String warehouseRoot, String sweepId, Duration duration) {
    Path dir = new Path(warehouseRoot + "/_prepsweep/leases/" + sweepId);
    try {
      FileSystem fs = dir.getFileSystem(conf);
      for (int race = 0; ; race++) {
        Optional<Holder> current = current(fs, dir);
        long now = System.currentTimeMillis();
        if (current.isPresent() && current.get().aliveAt(now)) {
          throw new HeldException(sweepId, current.get(), now);
        }
        long next = current.map(h -> h.generation() + 1).orElse(1L);
        if (createExclusively(fs, new Path(dir, String.valueOf(next)), content(duration.toMillis()))) {
          current.ifPresent(h -> LOG.warn("sweep {}: took over the lease of {} (expired or its process is gone)", sweepId,
              h.describe(now)));
          return new Acquired(new SweepLease(fs, dir, next, duration.toMillis(), sweepId), current);
        }
        if (race > 3) {
          throw new IllegalStateException("sweep " + sweepId + ": could not take the lease at " + dir
              + " after " + race + " races with other drivers");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the lease of sweep " + sweepId + " at " + dir + ": " + e.getMessage(), e);
    }
  }

  record Acquired(SweepLease lease, Optional<Holder> previous) {}

  /** The newest generation's holder, if any lease file exists. */
  static Optional<Holder> current(FileSystem fs, Path dir) throws IOException {
    if (!fs.exists(dir)) {
      return Optional.empty();
    }
    FileStatus newest = null;
    for (FileStatus s : fs.listStatus(dir)) {
      if (s.getPath().getName().matches("\\d+") && (newest == null || generation(s) > generation(newest))) {
        newest = s;
      }
    }
    if (newest == null) {
      return Optional.empty();
    }
    Map<String, Object> c;
    try (InputStream in = fs.open(newest.getPath())) {
      byte[] bytes = in.readAllBytes();
      // created but not yet written: its creator is alive this very moment
      c = bytes.length == 0 ? Map.of() : JSON.readValue(bytes, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
    }
    return Optional.of(new Holder(String.valueOf(c.getOrDefault("owner", "?")), String.valueOf(c.getOrDefault("host", "?")),
        ((Number) c.getOrDefault("pid", -1)).longValue(), ((Number) c.getOrDefault("duration_ms", 60_000)).longValue(),
        generation(newest), newest.getModificationTime()));
  }

  private static long generation(FileStatus s) {
    return Long.parseLong(s.getPath().getName());
  }

  /** Creates {@code file} with {@code content} unless it exists; false if another driver created it first. */
  private static boolean createExclusively(FileSystem fs, Path file, byte[] content) throws IOException {
    URI uri = file.toUri();
    if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
      // Hadoop's local create(overwrite=false) checks, then opens: not atomic. O_EXCL is.
      java.nio.file.Path local = java.nio.file.Path.of(uri.getPath());
      Files.createDirectories(local.getParent());
      try {
        Files.write(local, content, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(content);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  private static byte[] content(long durationMillis) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("owner", System.getProperty("user.name", "?"));
    c.put("host", thisHost());
    c.put("pid", ProcessHandle.current().pid());
    c.put("duration_ms", durationMillis);
    c.put("acquired_at", Instant.now().toString());
    try {
      return JSON.writeValueAsString(c).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String thisHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  /** Sets the lease file's time to now, unless a newer generation shows the lease was taken over. */
  private void renew() {
    try {
      Optional<Holder> current = current(fs, dir);
      if (current.isPresent() && current.get().generation() != generation) {
        lostReason = "another driver took the lease over: " + current.get().describe(System.currentTimeMillis());
        lost = true;
        LOG.error("sweep {}: {}; this driver stops", sweepId, lostReason);
        renewer.shutdown();
        return;
      }
      fs.setTimes(mine, System.currentTimeMillis(), -1);
    } catch (IOException | RuntimeException e) {
      // A missed renewal is not fatal: the lease lasts three renewal periods.
      LOG.warn("sweep {}: could not renew the lease {}: {}", sweepId, mine, e.getMessage());
    }
  }

  /** Whether another driver took this lease over; the sweep must then stop without writing. */
  boolean lost() {
    return lost;
  }

  String lostReason() {
    return lostReason;
  }

  long durationMillis() {
    return durationMillis;
  }

  /**
   * Stops renewing and gives the lease up: its file's time goes back to the epoch, so it reads as
   * expired. The file stays, so generations only grow and a driver that lost its lease can never
   * mistake an older generation for its own.
   */
  @Override
  public void close() {
    renewer.shutdownNow();
    if (!lost) {
      try {
        fs.setTimes(mine, 0, -1);
      } catch (IOException e) {
        LOG.warn("sweep {}: could not release the lease {}: {}", sweepId, mine, e.getMessage());
      }
    }
  }
}
