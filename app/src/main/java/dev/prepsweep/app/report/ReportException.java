package dev.prepsweep.app.report;

import java.util.List;

/** A report that cannot be made from the warehouse as it is; the message says why and what to do. */
public final class ReportException extends RuntimeException {

  private ReportException(String message) {
    super(message);
  }

  static ReportException missingTable(String table, String path) {
    return new ReportException("cannot report: table '" + table + "' does not exist at " + path
        + "; run 'prepsweep run' (or 'prep' then 'sweep') into this warehouse first, or pass --warehouse");
  }

  static ReportException unknownSweep(String sweepId, List<String> known) {
    return new ReportException("cannot report: no sweep '" + sweepId + "' in the sweeps table; known sweeps: "
        + (known.isEmpty() ? "none" : String.join(", ", known)));
  }

  static ReportException unknownPrepRun(String runId) {
    return new ReportException("cannot report: no prep run '" + runId + "' in the prep_runs table;"
        + " list them with: prepsweep query \"SELECT run_id, started_at FROM prep_runs ORDER BY started_at DESC\"");
  }

  static ReportException noMetric(String sweepId) {
    return new ReportException("cannot report sweep '" + sweepId + "': its sweeps row has no metric;"
        + " the row is incomplete (was the sweep interrupted while starting?)");
  }

  static ReportException nothingToReport(String root) {
    return new ReportException("cannot report: the warehouse " + root + " has neither a sweeps nor a prep_runs table;"
        + " run 'prepsweep run' first");
  }
}
