package dev.prepsweep.app.report;

import dev.prepsweep.app.warehouse.Warehouse;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Helpers for the Java notebooks in {@code notebooks/}: the same data and charts as the HTML report,
 * plus query results as HTML tables. Each method returns an HTML fragment for
 * {@code display("text/html", ...)}.
 */
public final class NotebookViews {

  private NotebookViews() {}

  /** A query result as an HTML table of at most {@code maxRows} rows (the rest are counted, not collected). */
  public static String table(Dataset<Row> df, int maxRows) {
    List<Row> rows = df.limit(maxRows + 1).collectAsList();
    StringBuilder sb = new StringBuilder("<table class=\"dataframe\"><thead><tr>");
    for (String c : df.columns()) {
      sb.append("<th>").append(Svg.esc(c)).append("</th>");
    }
    sb.append("</tr></thead><tbody>");
    for (int i = 0; i < Math.min(maxRows, rows.size()); i++) {
      sb.append("<tr>");
      Row r = rows.get(i);
      for (int j = 0; j < r.length(); j++) {
        Object v = r.get(j);
        String s = v == null ? "null" : v instanceof Double d ? HtmlReport.value(d) : v.toString();
        sb.append("<td>").append(Svg.esc(s.length() > 120 ? s.substring(0, 117) + "..." : s)).append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</tbody></table>");
    if (rows.size() > maxRows) {
      sb.append("<p>first ").append(maxRows).append(" rows shown</p>");
    }
    return sb.toString();
  }

  /** A chart (an SVG document from {@link Charts}) sized for a notebook cell. */
  public static String figure(String svg) {
    return "<div style=\"max-width:100%;overflow-x:auto\">" + svg + "</div>";
  }

  /**
   * A sweep as the report sees it.
   *
   * @param sweepIdOrNull null for the most recently started sweep
   * @throws ReportException when the warehouse has no such sweep
   */
  public static SweepData sweep(SparkSession spark, Warehouse warehouse, String sweepIdOrNull) {
    ReportQueries q = new ReportQueries(spark, warehouse);
    String id = sweepIdOrNull != null ? sweepIdOrNull
        : q.latestSweepId().orElseThrow(() -> ReportException.missingTable("sweeps", warehouse.path("sweeps")));
    return q.sweep(id);
  }

  /**
   * A prep run as the report sees it.
   *
   * @param runIdOrNull null for the most recently started run
   * @throws ReportException when the warehouse has no such run
   */
  public static PrepData prep(SparkSession spark, Warehouse warehouse, String runIdOrNull) {
    ReportQueries q = new ReportQueries(spark, warehouse);
    String id = runIdOrNull != null ? runIdOrNull
        : q.latestPrepRunId().orElseThrow(() -> ReportException.missingTable("prep_runs", warehouse.path("prep_runs")));
    return q.prep(id);
  }
}
