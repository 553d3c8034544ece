package dev.prepsweep.app.report;

import dev.prepsweep.app.report.SweepAnalysis.HistoryPoint;
import dev.prepsweep.app.report.SweepAnalysis.Importance;
import dev.prepsweep.app.report.SweepData.Epoch;
import dev.prepsweep.app.report.SweepData.Objective;
import dev.prepsweep.app.report.SweepData.Trial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The report's charts as standalone SVG documents (strings), drawn from {@link SweepData} and
 * {@link PrepData} with no script and no external resource, so they render offline in a browser,
 * in a notebook output or in an {@code <img>}. Every data element carries the CSS class
 * {@code mark} and a {@code <title>} tooltip; the root carries {@code data-chart} with the chart's id.
 */
public final class Charts {

  static final int WIDTH = 760;
  static final int HEIGHT = 360;
  private static final String AXIS = "#444";
  private static final String GRID = "#e4e4e4";
  private static final String MUTED = "#9a9a9a";
  private static final String FAILED = "#c0392b";
  private static final String BEST = "#D55E00";

  private Charts() {}

  /** The plot area inside the margins. */
  private record Frame(double left, double top, double right, double bottom) {}

  // ---------------------------------------------------------------- sweep charts

  /**
   * Optimisation history: the objective of every completed trial in trial order, the best value so
   * far as a step line, and pruned or failed trials as crosses on the axis.
   */
  public static String history(SweepData data) {
    Objective obj = data.sweep().primary();
    List<HistoryPoint> points = SweepAnalysis.history(data);
    Svg svg = new Svg("history", "Optimisation history: " + obj.name() + " per trial and best so far", WIDTH, HEIGHT);
    Frame f = new Frame(64, 20, WIDTH - 150, HEIGHT - 46);
    List<Double> xs = new ArrayList<>();
    data.trials().forEach(t -> xs.add((double) t.trialId()));
    List<Double> ys = new ArrayList<>();
    points.forEach(p -> ys.add(p.value()));
    Scale x = Scale.of(xs, f.left(), f.right(), false, false);
    Scale y = Scale.of(ys, f.bottom(), f.top(), false, false);
    axes(svg, f, x, y, "trial", obj.name() + (obj.maximize() ? " (higher is better)" : " (lower is better)"), true);
    List<double[]> step = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      HistoryPoint p = points.get(i);
      if (i > 0) {
        step.add(new double[] {x.map(p.trialId()), y.map(points.get(i - 1).bestSoFar())});
      }
      step.add(new double[] {x.map(p.trialId()), y.map(p.bestSoFar())});
    }
    if (!points.isEmpty()) {
      double lastX = x.map(xs.stream().mapToDouble(Double::doubleValue).max().orElse(0));
      step.add(new double[] {Math.max(lastX, step.get(step.size() - 1)[0]), y.map(points.get(points.size() - 1).bestSoFar())});
    }
    svg.path(step, BEST, 2, "mark best-line", null, "best " + obj.name() + " so far");
    for (HistoryPoint p : points) {
      svg.circle(x.map(p.trialId()), y.map(p.value()), p.isBest() ? 5 : 4, p.isBest() ? BEST : Svg.PALETTE.get(0), "#fff",
          "mark", "trial " + p.trialId() + ": " + obj.name() + " = " + fmt(p.value()) + (p.isBest() ? " (new best)" : ""));
    }
    for (Trial t : data.trials()) {
      if (!t.complete()) {
        svg.cross(x.map(t.trialId()), f.bottom() - 6, 4, t.pruned() ? MUTED : FAILED,
            "trial " + t.trialId() + " attempt " + t.attempt() + ": " + t.state() + (t.error() == null ? "" : " - " + t.error()));
      }
    }
    legend(svg, f.right() + 14, f.top() + 4, List.of(
        new LegendItem("completed trial", "dot", Svg.PALETTE.get(0)),
        new LegendItem("new best", "dot", BEST),
        new LegendItem("best so far", "line", BEST),
        new LegendItem("pruned", "cross", MUTED),
        new LegendItem("failed", "cross", FAILED)));
    return svg.end();
  }

  /**
   * Parallel coordinates: one axis per parameter and a last one for the objective; every completed
   * trial is a line, coloured from worst (blue) to best (red). Parameters spanning a decade or
   * more get a log axis; categorical ones one position per value; unset values sit below the axis.
   */
  public static String parallelCoordinates(SweepData data) {
    Objective obj = data.sweep().primary();
    List<Trial> done = SweepAnalysis.completed(data);
    List<String> axes = new ArrayList<>(data.paramNames());
    int w = Math.max(WIDTH, 120 * (axes.size() + 1));
    Svg svg = new Svg("parallel", "Parallel coordinates: parameters against " + obj.name(), w, HEIGHT + 20);
    Frame f = new Frame(60, 44, w - 70, HEIGHT - 30);
    int n = axes.size() + 1;
    double gap = n == 1 ? 0 : (f.right() - f.left()) / (n - 1);
    List<java.util.function.Function<Object, Double>> maps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double ax = f.left() + i * gap;
      String name = i < axes.size() ? axes.get(i) : obj.name();
      List<Object> values = new ArrayList<>();
      for (Trial t : done) {
        values.add(i < axes.size() ? t.params().get(name) : t.value());
      }
      svg.line(ax, f.top(), ax, f.bottom(), AXIS, 1, null);
      svg.text(ax, f.top() - 22, name, "middle", "font-weight=\"600\"");
      if (i == n - 1) {
        svg.text(ax, f.top() - 9, obj.maximize() ? "objective, higher is better" : "objective, lower is better", "middle", "fill=\"" + MUTED + "\" font-size=\"10\"");
      }
      boolean numeric = values.stream().allMatch(v -> v == null || v instanceof Number);
      if (numeric) {
        List<Double> nums = new ArrayList<>();
        values.forEach(v -> nums.add(v == null ? null : ((Number) v).doubleValue()));
        boolean log = Scale.wantsLog(nums);
        if (log) {
          svg.text(ax, f.top() - 9, "log scale", "middle", "fill=\"" + MUTED + "\" font-size=\"10\"");
        }
        Scale s = Scale.of(nums, f.bottom(), f.top(), log, false);
        for (double tick : s.ticks(5)) {
          double ty = s.map(tick);
          svg.line(ax - 4, ty, ax, ty, AXIS, 1, null);
          svg.text(ax - 6, ty + 4, Scale.format(tick), "end", "font-size=\"10\"");
        }
        maps.add(v -> v == null ? f.bottom() + 16 : s.map(((Number) v).doubleValue()));
      } else {
        Set<String> cats = new TreeSet<>();
        values.forEach(v -> {
          if (v != null) {
            cats.add(v.toString());
          }
        });
        List<String> catList = new ArrayList<>(cats);
        Map<String, Double> pos = new LinkedHashMap<>();
        for (int c = 0; c < catList.size(); c++) {
          double ty = catList.size() == 1 ? (f.top() + f.bottom()) / 2
              : f.bottom() - (c + 0.5) * (f.bottom() - f.top()) / catList.size();
          pos.put(catList.get(c), ty);
          svg.line(ax - 4, ty, ax, ty, AXIS, 1, null);
          svg.text(ax - 6, ty + 4, catList.get(c), "end", "font-size=\"10\"");
        }
        maps.add(v -> v == null ? f.bottom() + 16 : pos.get(v.toString()));
      }
      if (values.stream().anyMatch(v -> v == null)) {
        svg.text(ax - 6, f.bottom() + 20, "unset", "end", "font-size=\"10\" fill=\"" + MUTED + "\"");
      }
    }
    double lo = done.stream().mapToDouble(Trial::value).min().orElse(0);
    double hi = done.stream().mapToDouble(Trial::value).max().orElse(1);
    List<Trial> ordered = new ArrayList<>(done);
    // Draw the best last so it stays on top.
    ordered.sort(java.util.Comparator.comparingDouble(t -> goodness(t.value(), lo, hi, obj.maximize())));
    for (Trial t : ordered) {
      List<double[]> pts = new ArrayList<>();
      StringBuilder tip = new StringBuilder("trial " + t.trialId() + ": " + obj.name() + " = " + fmt(t.value()));
      for (int i = 0; i < n; i++) {
        Object v = i < axes.size() ? t.params().get(axes.get(i)) : t.value();
        pts.add(new double[] {f.left() + i * gap, maps.get(i).apply(v)});
        if (i < axes.size()) {
          tip.append(", ").append(axes.get(i)).append(" = ").append(v instanceof Double d ? fmt(d) : String.valueOf(v));
        }
      }
      svg.path(pts, Svg.diverging(goodness(t.value(), lo, hi, obj.maximize())), 1.8, "mark", "stroke-opacity=\"0.85\"", tip.toString());
    }
    gradientLegend(svg, f.left(), HEIGHT - 2, obj, lo, hi);
    return svg.end();
  }

  /** Parameter importance as horizontal bars of epsilon-squared, with each parameter's share. */
  public static String importance(List<Importance> importances) {
    return importance(importances, "variance explained on its own (epsilon squared)");
  }

  /** Parameter importance as horizontal bars of any score in 0..1 (e.g. random-forest importances), with shares. */
  public static String importance(List<Importance> importances, String scoreLabel) {
    int rowH = 30;
    int h = 50 + rowH * Math.max(1, importances.size());
    Svg svg = new Svg("importance", "Parameter importance (share of objective variance explained)", WIDTH, h);
    double left = 150;
    double right = WIDTH - 190;
    double max = importances.stream().mapToDouble(Importance::score).max().orElse(0);
    Scale x = Scale.fixed(0, Math.max(0.05, Math.min(1, max * 1.1)), left, right);
    for (double tick : x.ticks(5)) {
      svg.line(x.map(tick), 16, x.map(tick), h - 30, GRID, 1, null);
      svg.text(x.map(tick), h - 14, Scale.format(tick), "middle", "font-size=\"10\"");
    }
    svg.text((left + right) / 2, h - 1, scoreLabel, "middle", "fill=\"" + AXIS + "\"");
    for (int i = 0; i < importances.size(); i++) {
      Importance imp = importances.get(i);
      double y = 20 + i * rowH;
      svg.text(left - 8, y + 15, imp.param(), "end", null);
      // A minimum width keeps zero-importance bars visible as a hairline.
      svg.rect(left, y + 2, Math.max(1.5, x.map(imp.score()) - left), rowH - 10, Svg.PALETTE.get(0), "mark",
          imp.param() + ": " + scoreLabel + " " + fmt(imp.score()) + " (" + pct(imp.share()) + " of the total)");
      svg.text(Math.max(x.map(imp.score()), left + 1.5) + 6, y + 15,
          fmt(imp.score()) + "  (" + pct(imp.share()) + " of the explained)", "start", "font-size=\"11\"");
    }
    svg.line(left, 16, left, h - 30, AXIS, 1, null);
    return svg.end();
  }

  /**
   * Learning curves: the objective's metric per epoch for every attempt (val_loss when the objective
   * is not an epoch metric). Pruned attempts are dashed and end in a cross, failed ones dotted and
   * red; the best trial is drawn thicker.
   */
  public static String learningCurves(SweepData data) {
    return learningCurves(data, curveMetric(data), "curves");
  }

  /** Learning curves of one epoch metric, as {@link #learningCurves(SweepData)} draws the objective's. */
  static String learningCurves(SweepData data, String metric, String chartId) {
    Svg svg = new Svg(chartId, "Learning curves: " + metric + " per epoch", WIDTH, HEIGHT);
    Frame f = new Frame(64, 20, WIDTH - 150, HEIGHT - 46);
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (Epoch e : data.epochs()) {
      if (e.metric(metric) != null) {
        xs.add((double) e.epoch());
        ys.add(e.metric(metric));
      }
    }
    Scale x = Scale.of(xs, f.left(), f.right(), false, true);
    Scale y = Scale.of(ys, f.bottom(), f.top(), false, false);
    axes(svg, f, x, y, "epoch", metric, true);
    Integer best = data.sweep().bestTrialId();
    int colour = 0;
    for (Trial t : data.trials()) {
      List<double[]> pts = new ArrayList<>();
      for (Epoch e : data.epochsOf(t.trialId(), t.attempt())) {
        if (e.metric(metric) != null) {
          pts.add(new double[] {x.map(e.epoch()), y.map(e.metric(metric))});
        }
      }
      String c = t.complete() ? Svg.PALETTE.get(colour++ % Svg.PALETTE.size()) : t.pruned() ? MUTED : FAILED;
      if (pts.isEmpty()) {
        continue;
      }
      boolean isBest = best != null && best == t.trialId() && t.complete();
      String dash = t.complete() ? null : t.pruned() ? "stroke-dasharray=\"6 4\"" : "stroke-dasharray=\"2 3\"";
      String tip = "trial " + t.trialId() + " attempt " + t.attempt() + " (" + t.state() + "): " + pts.size() + " epochs";
      svg.path(pts, c, isBest ? 3.5 : 1.6, "mark", dash, tip);
      double[] last = pts.get(pts.size() - 1);
      if (!t.complete()) {
        svg.cross(last[0], last[1], 4, c, tip + (t.pruned() ? ", pruned after this epoch" : ", failed"));
      } else {
        svg.circle(last[0], last[1], isBest ? 4 : 2.5, c, "none", "mark", tip);
      }
    }
    legend(svg, f.right() + 14, f.top() + 4, List.of(
        new LegendItem("completed", "line", Svg.PALETTE.get(0)),
        new LegendItem("best trial", "thick", Svg.PALETTE.get(0)),
        new LegendItem("pruned", "dashed", MUTED),
        new LegendItem("failed", "dotted", FAILED)));
    return svg.end();
  }

  /** The epoch metrics of a regression sweep, charted each on its own. */
  static final List<String> REGRESSION_CURVES = List.of("val_rmse", "val_mae", "val_r2", "train_loss");

  /**
   * The metrics whose learning curves the report draws, the first as {@code curves}: a classification sweep's
   * {@link #curveMetric}; a regression sweep's (one whose epochs recorded a regression metric) that first, then
   * the rest of {@link #REGRESSION_CURVES} its epochs recorded.
   */
  static List<String> curveMetrics(SweepData data) {
    String first = curveMetric(data);
    boolean regression = data.epochs().stream().anyMatch(e -> REGRESSION_CURVES.subList(0, 3).stream()
        .anyMatch(m -> e.metric(m) != null));
    if (!regression) {
      return List.of(first);
    }
    List<String> out = new ArrayList<>(List.of(first));
    for (String m : REGRESSION_CURVES) {
      if (!out.contains(m) && data.epochs().stream().anyMatch(e -> e.metric(m) != null)) {
        out.add(m);
      }
    }
    return out;
  }

  /** The curves of every metric of {@link #curveMetrics}: {@code curves}, then {@code curves-<metric>}. */
  public static String allLearningCurves(SweepData data) {
    StringBuilder out = new StringBuilder();
    for (String m : curveMetrics(data)) {
      out.append(learningCurves(data, m, out.length() == 0 ? "curves" : "curves-" + m));
    }
    return out.toString();
  }

  /** The metric learning curves show first: the primary objective when epochs record it, else val_loss. */
  static String curveMetric(SweepData data) {
    String name = data.sweep().primary().name();
    for (Epoch e : data.epochs()) {
      if (e.metric(name) != null) {
        return name;
      }
    }
    return "val_loss";
  }

  /**
   * Pareto front of the first two objectives: every completed trial, the non-dominated ones
   * highlighted and joined. Only meaningful for multi-objective sweeps.
   *
   * @throws IllegalArgumentException when the sweep has a single objective
   */
  public static String paretoFront(SweepData data) {
    List<Objective> objs = data.sweep().objectives();
    if (objs.size() < 2) {
      throw new IllegalArgumentException("a Pareto front needs at least two objectives; sweep "
          + data.sweep().sweepId() + " has one (" + objs.get(0).name() + ")");
    }
    Objective ox = objs.get(0);
    Objective oy = objs.get(1);
    List<Trial> front = SweepAnalysis.paretoFront(data);
    Svg svg = new Svg("pareto", "Pareto front: " + ox.name() + " against " + oy.name(), WIDTH, HEIGHT);
    Frame f = new Frame(64, 20, WIDTH - 150, HEIGHT - 46);
    List<Trial> all = new ArrayList<>();
    for (Trial t : data.trials()) {
      if (t.complete() && SweepAnalysis.objective(t, ox) != null && SweepAnalysis.objective(t, oy) != null) {
        all.add(t);
      }
    }
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    all.forEach(t -> {
      xs.add(SweepAnalysis.objective(t, ox));
      ys.add(SweepAnalysis.objective(t, oy));
    });
    Scale x = Scale.of(xs, f.left(), f.right(), false, false);
    Scale y = Scale.of(ys, f.bottom(), f.top(), false, false);
    axes(svg, f, x, y, ox.name() + (ox.maximize() ? " (higher is better)" : " (lower is better)"),
        oy.name() + (oy.maximize() ? " (higher is better)" : " (lower is better)"), true);
    List<double[]> line = new ArrayList<>();
    front.forEach(t -> line.add(new double[] {x.map(SweepAnalysis.objective(t, ox)), y.map(SweepAnalysis.objective(t, oy))}));
    svg.path(line, BEST, 1.5, "mark", "stroke-dasharray=\"4 3\"", "Pareto front (" + front.size() + " trials)");
    Set<Trial> onFront = new LinkedHashSet<>(front);
    for (Trial t : all) {
      boolean on = onFront.contains(t);
      svg.circle(x.map(SweepAnalysis.objective(t, ox)), y.map(SweepAnalysis.objective(t, oy)), on ? 5 : 3.5,
          on ? BEST : MUTED, "#fff", "mark", "trial " + t.trialId() + ": " + ox.name() + " = "
              + fmt(SweepAnalysis.objective(t, ox)) + ", " + oy.name() + " = " + fmt(SweepAnalysis.objective(t, oy))
              + (on ? " (on the front)" : ""));
    }
    legend(svg, f.right() + 14, f.top() + 4, List.of(new LegendItem("on the front", "dot", BEST),
        new LegendItem("dominated", "dot", MUTED)));
    return svg.end();
  }

  // ---------------------------------------------------------------- prep charts

  /** Rows in and out of every prep stage, as paired horizontal bars. */
  public static String prepStages(PrepData prep) {
    int rowH = 40;
    int h = 60 + rowH * Math.max(1, prep.stages().size());
    Svg svg = new Svg("stages", "Rows in and out of each prep stage", WIDTH, h);
    double left = 120;
    double right = WIDTH - 150;
    List<Double> all = new ArrayList<>();
    prep.stages().values().forEach(s -> {
      all.add((double) s.in());
      all.add((double) s.out());
    });
    all.add(0.0);
    Scale x = Scale.of(all, left, right, false, true);
    for (double tick : x.ticks(5)) {
      svg.line(x.map(tick), 16, x.map(tick), h - 40, GRID, 1, null);
      svg.text(x.map(tick), h - 26, Scale.format(tick), "middle", "font-size=\"10\"");
    }
    svg.text((left + right) / 2, h - 8, "rows", "middle", null);
    int i = 0;
    for (Map.Entry<String, PrepData.StageRows> e : prep.stages().entrySet()) {
      double y = 20 + i++ * rowH;
      PrepData.StageRows s = e.getValue();
      svg.text(left - 8, y + 18, e.getKey(), "end", null);
      String time = s.millis() == null ? "" : String.format(Locale.ROOT, " in %.1f s", s.millis() / 1000.0);
      svg.rect(left, y + 2, Math.max(1.5, x.map(s.in()) - left), 14, Svg.PALETTE.get(4), "mark",
          e.getKey() + ": " + s.in() + " rows in" + time);
      svg.rect(left, y + 17, Math.max(1.5, x.map(s.out()) - left), 14, Svg.PALETTE.get(0), "mark",
          e.getKey() + ": " + s.out() + " rows out (" + (s.in() - s.out()) + " removed)");
      svg.text(Math.max(x.map(s.in()), left) + 5, y + 13, s.in() + " in", "start", "font-size=\"10\"");
      svg.text(Math.max(x.map(s.out()), left) + 5, y + 28, s.out() + " out", "start", "font-size=\"10\"");
    }
    svg.line(left, 16, left, h - 40, AXIS, 1, null);
    legend(svg, right + 70, 24, List.of(new LegendItem("rows in", "box", Svg.PALETTE.get(4)),
        new LegendItem("rows out", "box", Svg.PALETTE.get(0))));
    return svg.end();
  }

  /**
   * Class distribution of every recorded stage or split as a 100% stacked bar (counts in the
   * tooltips and labels), so imbalance and its repair read at a glance.
   */
  public static String classDistribution(PrepData prep) {
    Set<String> labels = new TreeSet<>();
    prep.classCounts().values().forEach(m -> labels.addAll(m.keySet()));
    List<String> labelList = new ArrayList<>(labels);
    int rowH = 34;
    int h = 70 + rowH * Math.max(1, prep.classCounts().size());
    Svg svg = new Svg("classes", "Class distribution before and after each prep stage", WIDTH, h);
    double left = 130;
    double right = WIDTH - 170;
    Scale x = Scale.fixed(0, 1, left, right);
    for (double tick : List.of(0.0, 0.25, 0.5, 0.75, 1.0)) {
      svg.line(x.map(tick), 16, x.map(tick), h - 44, GRID, 1, null);
      svg.text(x.map(tick), h - 30, pct(tick), "middle", "font-size=\"10\"");
    }
    svg.text((left + right) / 2, h - 12, "share of rows per class", "middle", null);
    int i = 0;
    for (Map.Entry<String, Map<String, Long>> e : prep.classCounts().entrySet()) {
      double y = 20 + i++ * rowH;
      long total = e.getValue().values().stream().mapToLong(Long::longValue).sum();
      svg.text(left - 8, y + 17, e.getKey(), "end", null);
      double at = 0;
      for (int c = 0; c < labelList.size(); c++) {
        long count = e.getValue().getOrDefault(labelList.get(c), 0L);
        if (count == 0 || total == 0) {
          continue;
        }
        double share = (double) count / total;
        double x0 = x.map(at);
        double x1 = x.map(at + share);
        svg.rect(x0, y + 4, x1 - x0, rowH - 12, Svg.PALETTE.get(c % Svg.PALETTE.size()), "mark",
            e.getKey() + ": " + labelList.get(c) + " " + count + " rows (" + pct(share) + ")");
        if (x1 - x0 > 60) {
          svg.text((x0 + x1) / 2, y + 21, count + " (" + pct(share) + ")", "middle", "fill=\"#fff\" font-size=\"10\"");
        }
        at += share;
      }
      svg.text(right + 6, y + 17, "n = " + total, "start", "font-size=\"11\"");
    }
    List<LegendItem> items = new ArrayList<>();
    for (int c = 0; c < labelList.size(); c++) {
      items.add(new LegendItem(labelList.get(c), "box", Svg.PALETTE.get(c % Svg.PALETTE.size())));
    }
    legend(svg, right + 80, 24, items);
    return svg.end();
  }

  // ---------------------------------------------------------------- helpers

  private record LegendItem(String label, String kind, String colour) {}

  private static void legend(Svg svg, double x, double y, List<LegendItem> items) {
    for (int i = 0; i < items.size(); i++) {
      LegendItem it = items.get(i);
      double cy = y + i * 18;
      switch (it.kind()) {
        case "dot" -> svg.circle(x + 6, cy, 4, it.colour(), "#fff", "legend", null);
        case "cross" -> svg.raw("<path class=\"legend\" d=\"M" + Svg.n(x + 2) + "," + Svg.n(cy - 4) + "L" + Svg.n(x + 10)
            + "," + Svg.n(cy + 4) + "M" + Svg.n(x + 2) + "," + Svg.n(cy + 4) + "L" + Svg.n(x + 10) + "," + Svg.n(cy - 4)
            + "\" stroke=\"" + it.colour() + "\" stroke-width=\"2\"/>");
        case "box" -> svg.rect(x, cy - 5, 12, 10, it.colour(), "legend", null);
        case "thick" -> svg.line(x, cy, x + 14, cy, it.colour(), 3.5, null);
        case "dashed" -> svg.line(x, cy, x + 14, cy, it.colour(), 1.6, "stroke-dasharray=\"6 4\"");
        case "dotted" -> svg.line(x, cy, x + 14, cy, it.colour(), 1.6, "stroke-dasharray=\"2 3\"");
        default -> svg.line(x, cy, x + 14, cy, it.colour(), 2, null);
      }
      svg.text(x + 20, cy + 4, it.label(), "start", "font-size=\"11\"");
    }
  }

  private static void gradientLegend(Svg svg, double x, double y, Objective obj, double lo, double hi) {
    svg.text(x, y - 3, obj.name() + ": worst " + fmt(obj.maximize() ? lo : hi), "start", "font-size=\"10\"");
    double x0 = x + 190;
    for (int i = 0; i < 20; i++) {
      svg.rect(x0 + i * 6, y - 12, 6, 10, Svg.diverging(i / 19.0), "legend", null);
    }
    svg.text(x0 + 126, y - 3, "best " + fmt(obj.maximize() ? hi : lo), "start", "font-size=\"10\"");
  }

  private static void axes(Svg svg, Frame f, Scale x, Scale y, String xTitle, String yTitle, boolean integerX) {
    for (double tick : y.ticks(5)) {
      double ty = y.map(tick);
      svg.line(f.left(), ty, f.right(), ty, GRID, 1, null);
      svg.text(f.left() - 6, ty + 4, Scale.format(tick), "end", "font-size=\"10\"");
    }
    for (double tick : x.ticks(8)) {
      if (integerX && tick != Math.rint(tick)) {
        continue;
      }
      double tx = x.map(tick);
      svg.line(tx, f.bottom(), tx, f.bottom() + 4, AXIS, 1, null);
      svg.text(tx, f.bottom() + 16, Scale.format(tick), "middle", "font-size=\"10\"");
    }
    svg.line(f.left(), f.bottom(), f.right(), f.bottom(), AXIS, 1, null);
    svg.line(f.left(), f.top(), f.left(), f.bottom(), AXIS, 1, null);
    svg.text((f.left() + f.right()) / 2, f.bottom() + 36, xTitle, "middle", null);
    svg.text(14, (f.top() + f.bottom()) / 2, yTitle, "middle",
        "transform=\"rotate(-90 14 " + Svg.n((f.top() + f.bottom()) / 2) + ")\"");
  }

  private static double goodness(double v, double lo, double hi, boolean maximize) {
    if (hi - lo < 1e-12) {
      return 1;
    }
    double t = (v - lo) / (hi - lo);
    return maximize ? t : 1 - t;
  }

  static String fmt(Double v) {
    if (v == null) {
      return "-";
    }
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e6)) {
      return String.format(Locale.ROOT, "%.3e", v);
    }
    return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }
}
