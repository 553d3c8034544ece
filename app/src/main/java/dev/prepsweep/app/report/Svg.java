package dev.prepsweep.app.report;

import java.util.List;
import java.util.Locale;

/** A small SVG writer: the few elements the charts need, every text escaped. */
final class Svg {

  /** Colours for categories (trials, classes): Okabe-Ito, readable by colour-blind readers. */
  static final List<String> PALETTE = List.of("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
      "#F0E442", "#000000", "#7F7F7F", "#882255");

  private final StringBuilder sb = new StringBuilder();
  private final int width;
  private final int height;

  Svg(String chartId, String title, int width, int height) {
    this.width = width;
    this.height = height;
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"").append(esc(chartId))
        .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"").append(esc(title))
        .append("\" font-family=\"system-ui, sans-serif\" font-size=\"12\">");
    sb.append("<title>").append(esc(title)).append("</title>");
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  Svg line(double x1, double y1, double x2, double y2, String stroke, double strokeWidth, String extra) {
    sb.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
        .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"")
        .append(n(strokeWidth)).append('"').append(extra == null ? "" : " " + extra).append("/>");
    return this;
  }

  /** A polyline as a path; {@code cssClass} "mark" makes it count as rendered data. */
  Svg path(List<double[]> points, String stroke, double strokeWidth, String cssClass, String extra, String tooltip) {
    if (points.isEmpty()) {
      return this;
    }
    StringBuilder d = new StringBuilder();
    for (int i = 0; i < points.size(); i++) {
      d.append(i == 0 ? 'M' : 'L').append(n(points.get(i)[0])).append(',').append(n(points.get(i)[1]));
    }
    sb.append("<path class=\"").append(cssClass).append("\" d=\"").append(d).append("\" fill=\"none\" stroke=\"")
        .append(stroke).append("\" stroke-width=\"").append(n(strokeWidth)).append('"')
        .append(extra == null ? "" : " " + extra);
    return closeWithTooltip("path", tooltip);
  }

  Svg circle(double cx, double cy, double r, String fill, String stroke, String cssClass, String tooltip) {
    sb.append("<circle class=\"").append(cssClass).append("\" cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy))
        .append("\" r=\"").append(n(r)).append("\" fill=\"").append(fill).append("\" stroke=\"").append(stroke)
        .append('"');
    return closeWithTooltip("circle", tooltip);
  }

  Svg rect(double x, double y, double w, double h, String fill, String cssClass, String tooltip) {
    sb.append("<rect class=\"").append(cssClass).append("\" x=\"").append(n(x)).append("\" y=\"").append(n(y))
        .append("\" width=\"").append(n(Math.max(0, w))).append("\" height=\"").append(n(Math.max(0, h)))
        .append("\" fill=\"").append(fill).append('"');
    return closeWithTooltip("rect", tooltip);
  }

  /** A cross (for pruned trials and failures). */
  Svg cross(double cx, double cy, double r, String stroke, String tooltip) {
    String d = "M" + n(cx - r) + "," + n(cy - r) + "L" + n(cx + r) + "," + n(cy + r) + "M" + n(cx - r) + ","
        + n(cy + r) + "L" + n(cx + r) + "," + n(cy - r);
    sb.append("<path class=\"mark\" d=\"").append(d).append("\" stroke=\"").append(stroke)
        .append("\" stroke-width=\"2\" fill=\"none\"");
    return closeWithTooltip("path", tooltip);
  }

  /** Text; anchor is start, middle or end. */
  Svg text(double x, double y, String text, String anchor, String extra) {
    sb.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"").append(anchor)
        .append('"').append(extra == null ? "" : " " + extra).append('>').append(esc(text)).append("</text>");
    return this;
  }

  Svg raw(String s) {
    sb.append(s);
    return this;
  }

  private Svg closeWithTooltip(String element, String tooltip) {
    if (tooltip == null) {
      sb.append("/>");
    } else {
      sb.append("><title>").append(esc(tooltip)).append("</title></").append(element).append('>');
    }
    return this;
  }

  String end() {
    return sb.append("</svg>").toString();
  }

  /** A number with at most two decimals: small files, no locale surprises. */
  static String n(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("not a finite coordinate: " + v);
    }
    String s = String.format(Locale.ROOT, "%.2f", v);
    s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    return s.equals("-0") ? "0" : s;
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A colour between blue (t=0) and orange-red (t=1) through pale yellow, for "worse to better". */
  static String diverging(double t) {
    double u = Math.max(0, Math.min(1, t));
    int[][] stops = {{0x31, 0x36, 0x95}, {0x74, 0xAD, 0xD1}, {0xFE, 0xE0, 0x90}, {0xF4, 0x6D, 0x43}, {0xA5, 0x00, 0x26}};
    double pos = u * (stops.length - 1);
    int i = Math.min(stops.length - 2, (int) Math.floor(pos));
    double f = pos - i;
    int r = (int) Math.round(stops[i][0] + f * (stops[i + 1][0] - stops[i][0]));
    int g = (int) Math.round(stops[i][1] + f * (stops[i + 1][1] - stops[i][1]));
    int b = (int) Math.round(stops[i][2] + f * (stops[i + 1][2] - stops[i][2]));
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }
}
