package dev.prepsweep.app.report;

import dev.prepsweep.app.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * {@code prepsweep report}: writes one self-contained HTML file per sweep (with the prep run that
 * made its data) or per prep run, readable offline. The command line calls
 * {@link #run(SparkSession, Warehouse, String, Path)} and prints the path it returns.
 */
public final class ReportCommand {

  private ReportCommand() {}

  /**
   * Writes the report of a sweep, or of the latest prep run when the warehouse holds no sweep yet.
   *
   * @param sweepIdOrNull the sweep to report; null for the most recently started one
   * @param outDir the folder to write into (created when missing)
   * @return the absolute path of the written {@code sweep-<id>.html} (or {@code prep-<run>.html})
   * @throws ReportException when the warehouse has nothing to report or the sweep id is unknown
   * @throws UncheckedIOException when the file cannot be written
   */
  public static Path run(SparkSession spark, Warehouse warehouse, String sweepIdOrNull, Path outDir) {
    ReportQueries q = new ReportQueries(spark, warehouse);
    Optional<String> sweepId = sweepIdOrNull != null ? Optional.of(sweepIdOrNull) : q.latestSweepId();
    if (sweepId.isEmpty()) {
      return runPrep(spark, warehouse, null, outDir);
    }
    SweepData data = q.sweep(sweepId.get());
    PrepData prep = q.prepForSweep(data.sweep()).orElse(null);
    return write(outDir, "sweep-" + fileSafe(sweepId.get()) + ".html", HtmlReport.sweep(data, prep, now()));
  }

  /**
   * Writes the report of one prep run.
   *
   * @param runIdOrNull the run to report; null for the most recently started one
   * @return the absolute path of the written {@code prep-<run>.html}
   * @throws ReportException when there is no prep_runs table or no such run
   * @throws UncheckedIOException when the file cannot be written
   */
  public static Path runPrep(SparkSession spark, Warehouse warehouse, String runIdOrNull, Path outDir) {
    ReportQueries q = new ReportQueries(spark, warehouse);
    String runId = runIdOrNull != null ? runIdOrNull
        : q.latestPrepRunId().orElseThrow(() -> ReportException.nothingToReport(warehouse.root()));
    return write(outDir, "prep-" + fileSafe(runId) + ".html", HtmlReport.prep(q.prep(runId), now()));
  }

  /**
   * Where reports go by default: {@code _reports/} inside a local warehouse folder (next to the tables
   * they describe; not a table, so views and {@code prepsweep query} ignore it), else
   * {@code ./reports} for a remote warehouse.
   */
  public static Path defaultOutDir(Warehouse warehouse) {
    URI uri = URI.create(warehouse.root().replace(" ", "%20"));
    if (uri.getScheme() == null) {
      return Path.of(warehouse.root()).toAbsolutePath().resolve("_reports");
    }
    if ("file".equals(uri.getScheme())) {
      return Path.of(uri).resolve("_reports");
    }
    return Path.of("reports").toAbsolutePath();
  }

  static String fileSafe(String id) {
    return id.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Writes through a temporary file and a move, so a reader never sees half a report. */
  static Path write(Path outDir, String name, String html) {
    try {
      Files.createDirectories(outDir);
      Path target = outDir.resolve(name).toAbsolutePath();
      Path tmp = outDir.resolve("." + name + ".tmp");
      Files.writeString(tmp, html, StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report " + name + " into " + outDir + ": " + e.getMessage(), e);
    }
  }
}
