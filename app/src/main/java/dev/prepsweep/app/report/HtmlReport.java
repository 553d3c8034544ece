package dev.prepsweep.app.report;

import static dev.prepsweep.app.report.Charts.fmt;
import static dev.prepsweep.app.report.Svg.esc;

import dev.prepsweep.app.report.SweepAnalysis.Importance;
import dev.prepsweep.app.report.SweepData.Objective;
import dev.prepsweep.app.report.SweepData.Sweep;
import dev.prepsweep.app.report.SweepData.Trial;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Renders a report as one self-contained HTML page: inline CSS, inline SVG charts and a small
 * inline self-check script, with a Content-Security-Policy that forbids loading anything, so the
 * page works offline and any accidental external reference shows up as an error.
 *
 * <p>The self-check script (resource {@code report/selfcheck.js}) records {@code console.error},
 * uncaught errors and CSP violations, marks every chart {@code data-rendered="ok"} when its data
 * marks have a non-empty box, and writes the totals onto {@code #report-status}; the browser test
 * reads them from the DOM.
 */
public final class HtmlReport {

  /** Completed trials listed in the leaderboard. */
  static final int LEADERBOARD = 10;

  private HtmlReport() {}

  /** The report of one sweep, with the prep run that made its data when known (null otherwise). */
  public static String sweep(SweepData data, PrepData prep, String generatedAt) {
    Sweep s = data.sweep();
    Page page = new Page("prepsweep sweep " + s.sweepId(), generatedAt);
    page.html.append("<h1>Sweep <code>").append(esc(s.sweepId())).append("</code></h1>");
    page.html.append("<p class=\"lead\">").append(esc(s.method())).append(" search, ")
        .append(objectivesText(s.objectives())).append(" &mdash; <span class=\"status status-")
        .append(esc(s.status())).append("\">").append(esc(s.status())).append("</span></p>");
    page.nav(List.of("summary", "history", "parallel", "importance", "curves"), s.objectives().size() > 1, prep != null);
    summary(page, data);

    List<Trial> done = SweepAnalysis.completed(data);
    page.section("history", "Optimisation history",
        "The objective of every completed trial in the order trials were sampled, and the best value so far.",
        done.isEmpty() ? null : Charts.history(data), "No trial completed, so there is no history to draw.");
    page.section("parallel", "Parameters against the objective",
        "Parallel coordinates: each line is a completed trial, coloured from worst to best. Hover a line for its values.",
        done.isEmpty() || data.paramNames().isEmpty() ? null : Charts.parallelCoordinates(data),
        "Needs at least one completed trial with parameters.");
    List<Importance> importance = SweepAnalysis.importance(data);
    page.section("importance", "Parameter importance",
        "How much of the spread of " + s.primary().name() + " each parameter explains on its own (epsilon squared over "
            + "groups of trials: values for categorical parameters, quantile bins for numeric ones; corrected for chance, "
            + "interactions not attributed). With few trials read it as a hint, not a ranking.",
        importance.isEmpty() ? null : Charts.importance(importance),
        "Needs at least " + SweepAnalysis.MIN_TRIALS_FOR_IMPORTANCE + " completed trials and a parameter that varies ("
            + done.size() + " completed).");
    page.section("curves", "Learning curves",
        String.join(", ", Charts.curveMetrics(data))
            + " after every epoch of every trial; pruned trials are dashed and end in a cross.",
        data.epochs().isEmpty() ? null : Charts.allLearningCurves(data), "No epoch metrics were recorded.");
    if (s.objectives().size() > 1) {
      page.section("pareto", "Pareto front",
          "Trials no other trial beats on every objective, for " + s.objectives().get(0).name() + " and "
              + s.objectives().get(1).name() + ".",
          done.isEmpty() ? null : Charts.paretoFront(data), "No trial completed.");
    }
    failures(page, data);
    if (prep != null) {
      page.html.append("<h2 id=\"prep\">Data: prep run <code>").append(esc(prep.runId())).append("</code></h2>");
      prepBody(page, prep);
    }
    return page.end();
  }

  /** The report of one prep run. */
  public static String prep(PrepData prep, String generatedAt) {
    Page page = new Page("prepsweep prep run " + prep.runId(), generatedAt);
    page.html.append("<h1>Prep run <code>").append(esc(prep.runId())).append("</code></h1>");
    prepBody(page, prep);
    return page.end();
  }

  private static void summary(Page page, SweepData data) {
    Sweep s = data.sweep();
    page.html.append("<section id=\"summary\"><h2>Summary</h2><div class=\"cols\"><table class=\"kv\">");
    kv(page, "trials", s.trialsComplete() + " complete, " + s.trialsPruned() + " pruned, " + s.trialsFailed()
        + " failed" + (s.budgetTrials() == null ? "" : " (budget " + s.budgetTrials() + ")"));
    kv(page, "best", s.bestTrialId() == null ? "none" : s.primary().name() + " = " + fmt(s.bestValue()) + " (trial "
        + s.bestTrialId() + ")");
    kv(page, "started / ended", nz(s.startedAt()) + " / " + nz(s.endedAt()));
    kv(page, "parallelism / master", nz(s.parallelism()) + " / " + nz(s.master()));
    kv(page, "seed", nz(s.seed()));
    kv(page, "code version", nz(s.codeVersion()));
    for (Map.Entry<String, Long> e : s.dataVersions().entrySet()) {
      kv(page, "data: " + e.getKey(), "version " + e.getValue() + " of " + nz(s.dataPaths().get(e.getKey())));
    }
    if (s.message() != null && !s.message().isBlank()) {
      kv(page, "message", s.message());
    }
    page.html.append("</table></div>");
    List<Trial> done = SweepAnalysis.completed(data);
    boolean max = s.primary().maximize();
    done.sort(Comparator.comparingDouble((Trial t) -> max ? -t.value() : t.value()).thenComparingInt(Trial::trialId));
    if (!done.isEmpty()) {
      page.html.append("<h3>Best trials</h3><div class=\"scroll\"><table class=\"grid\"><thead><tr><th>#</th><th>trial</th><th>")
          .append(esc(s.primary().name())).append("</th>");
      List<String> metricCols = new ArrayList<>();
      for (String m : ReportQueries.METRIC_COLUMNS) {
        if (!m.equals(s.primary().name()) && done.stream().anyMatch(t -> t.metrics().get(m) != null)) {
          metricCols.add(m);
          page.html.append("<th>").append(esc(m)).append("</th>");
        }
      }
      data.paramNames().forEach(p -> page.html.append("<th>").append(esc(p)).append("</th>"));
      page.html.append("<th>seconds</th></tr></thead><tbody>");
      for (int i = 0; i < Math.min(LEADERBOARD, done.size()); i++) {
        Trial t = done.get(i);
        page.html.append("<tr><td>").append(i + 1).append("</td><td>").append(t.trialId()).append("</td><td><b>")
            .append(fmt(t.value())).append("</b></td>");
        metricCols.forEach(m -> page.html.append("<td>").append(fmt(t.metrics().get(m))).append("</td>"));
        data.paramNames().forEach(p -> page.html.append("<td>").append(esc(value(t.params().get(p)))).append("</td>"));
        page.html.append("<td>").append(t.durationS() == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f", t.durationS()))
            .append("</td></tr>");
      }
      page.html.append("</tbody></table></div>");
    }
    page.html.append("</section>");
  }

  private static void failures(Page page, SweepData data) {
    // attempts that ended without a result: failed, timed out, lost with their driver or heartbeat
    List<Trial> bad = data.trials().stream()
        .filter(t -> List.of("FAILED", "TIMED_OUT", "LOST").contains(t.state())).toList();
    if (bad.isEmpty()) {
      return;
    }
    page.html.append("<section id=\"failures\"><h2>Failed trials</h2><table class=\"grid\"><thead><tr><th>trial</th>"
        + "<th>attempt</th><th>state</th><th>executor</th><th>error</th></tr></thead><tbody>");
    for (Trial t : bad) {
      String err = t.error() == null ? "" : t.error();
      page.html.append("<tr><td>").append(t.trialId()).append("</td><td>").append(t.attempt()).append("</td><td>")
          .append(esc(t.state())).append("</td><td>").append(esc(nz(t.executorId()))).append("</td><td><pre>")
          .append(esc(err.length() > 600 ? err.substring(0, 600) + " ..." : err)).append("</pre></td></tr>");
    }
    page.html.append("</tbody></table></section>");
  }

  private static void prepBody(Page page, PrepData prep) {
    page.html.append("<section id=\"prep-summary\"><table class=\"kv\">");
    kv(page, "input", nz(prep.inputLocation()) + " (" + nz(prep.inputFormat()) + ")");
    kv(page, "started / ended", nz(prep.startedAt()) + " / " + nz(prep.endedAt()));
    kv(page, "seed / config hash", nz(prep.seed()) + " / " + nz(prep.configHash()));
    StringBuilder versions = new StringBuilder();
    prep.outputVersions().forEach((k, v) -> versions.append(versions.length() == 0 ? "" : ", ").append(k).append(" v").append(v));
    kv(page, "tables written", versions.toString());
    if (!prep.rejectsByRule().isEmpty()) {
      StringBuilder rules = new StringBuilder();
      prep.rejectsByRule().forEach((k, v) -> rules.append(rules.length() == 0 ? "" : ", ").append(k).append(": ").append(v));
      kv(page, "rejected by rule", rules.toString());
    }
    page.html.append("</table></section>");
    page.section("stages", "Rows through the stages", "Rows each prep stage read and kept.",
        prep.stages().isEmpty() ? null : Charts.prepStages(prep), "The run recorded no stages.");
    page.section("classes", "Class distributions",
        "Share of each class before and after the stages and in each split (counts on hover).",
        prep.classCounts().isEmpty() ? null : Charts.classDistribution(prep), "The run recorded no class counts.");
  }

  private static void kv(Page page, String k, String v) {
    page.html.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
  }

  private static String objectivesText(List<Objective> objectives) {
    List<String> parts = new ArrayList<>();
    objectives.forEach(o -> parts.add((o.maximize() ? "maximising " : "minimising ") + o.name()));
    return esc(String.join(", ", parts));
  }

  static String value(Object v) {
    if (v == null) {
      return "-";
    }
    return v instanceof Double d ? fmt(d) : v.toString();
  }

  private static String nz(Object o) {
    return o == null ? "-" : o.toString();
  }

  /** The page being written: head, navigation, sections, footer. */
  private static final class Page {
    final StringBuilder html = new StringBuilder(64 * 1024);

    Page(String title, String generatedAt) {
      html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
          .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';"
              + " script-src 'unsafe-inline'; img-src data:\">")
          .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
          .append("<meta name=\"generator\" content=\"prepsweep report\"><title>").append(esc(title)).append("</title>")
          .append("<script>").append(resource("selfcheck.js")).append("</script>")
          .append("<style>").append(resource("report.css")).append("</style></head><body><main>")
          .append("<p class=\"generated\">prepsweep report &middot; generated ").append(esc(generatedAt)).append("</p>");
    }

    void nav(List<String> ids, boolean pareto, boolean prep) {
      html.append("<nav>");
      for (String id : ids) {
        html.append("<a href=\"#").append(id).append("\">").append(id).append("</a> ");
      }
      if (pareto) {
        html.append("<a href=\"#pareto\">pareto</a> ");
      }
      if (prep) {
        html.append("<a href=\"#prep\">data</a>");
      }
      html.append("</nav>");
    }

    /** A chart section; the note replaces the chart when there is nothing to draw. */
    void section(String id, String title, String text, String svg, String emptyNote) {
      html.append("<section id=\"").append(id).append("\"><h2>").append(esc(title)).append("</h2><p>").append(esc(text))
          .append("</p>");
      if (svg != null) {
        html.append("<figure class=\"figure\">").append(svg).append("</figure>");
      } else {
        html.append("<p class=\"empty\">").append(esc(emptyNote)).append("</p>");
      }
      html.append("</section>");
    }

    String end() {
      return html.append("<footer><pre id=\"report-status\" hidden></pre></footer></main></body></html>\n").toString();
    }
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream("/report/" + name)) {
      if (in == null) {
        throw new IllegalStateException("report resource /report/" + name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read report resource /report/" + name, e);
    }
  }
}
