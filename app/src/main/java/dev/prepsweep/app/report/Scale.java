package dev.prepsweep.app.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A numeric axis: maps a domain onto pixels, linearly or in log10, and picks readable ticks. */
final class Scale {

  private final double d0;
  private final double d1;
  private final double r0;
  private final double r1;
  private final boolean log;

  private Scale(double d0, double d1, double r0, double r1, boolean log) {
    this.d0 = d0;
    this.d1 = d1;
    this.r0 = r0;
    this.r1 = r1;
    this.log = log;
  }

  /**
   * A scale over the values' range (padded by 5% on each side unless {@code tight}), log10 when
   * asked and every value is positive. A degenerate range is widened so one value still maps to the middle.
   */
  static Scale of(List<Double> values, double r0, double r1, boolean log, boolean tight) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Double v : values) {
      if (v != null && Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo > hi) {
      lo = 0;
      hi = 1;
    }
    boolean useLog = log && lo > 0;
    if (useLog) {
      lo = Math.log10(lo);
      hi = Math.log10(hi);
    }
    if (hi - lo < 1e-12) {
      double pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.05 : 0.5;
      lo -= pad;
      hi += pad;
    } else if (!tight) {
      double pad = (hi - lo) * 0.05;
      lo -= pad;
      hi += pad;
    }
    return new Scale(lo, hi, r0, r1, useLog);
  }

  /** A scale over a fixed domain. */
  static Scale fixed(double lo, double hi, double r0, double r1) {
    return new Scale(lo, hi, r0, r1, false);
  }

  /** Whether values spread over a decade or more, where a log axis reads better. */
  static boolean wantsLog(List<Double> values) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (Double v : values) {
      if (v == null || !Double.isFinite(v)) {
        continue;
      }
      if (v <= 0) {
        return false;
      }
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return hi > 0 && hi / lo >= 10;
  }

  boolean log() {
    return log;
  }

  double map(double v) {
    double x = log ? Math.log10(v) : v;
    return r0 + (x - d0) / (d1 - d0) * (r1 - r0);
  }

  /** About {@code count} ticks inside the domain, at round numbers (powers of ten on log axes). */
  List<Double> ticks(int count) {
    List<Double> out = new ArrayList<>();
    if (log) {
      for (double e = Math.ceil(d0 - 1e-9); e <= d1 + 1e-9; e++) {
        out.add(Math.pow(10, e));
      }
      if (out.size() < 2) {
        for (double e = Math.floor(d0); e <= d1; e++) {
          for (int m : new int[] {2, 5}) {
            double v = m * Math.pow(10, e);
            if (Math.log10(v) >= d0 && Math.log10(v) <= d1) {
              out.add(v);
            }
          }
        }
        out.sort(null);
      }
      return out;
    }
    double step = niceStep((d1 - d0) / Math.max(1, count));
    for (double v = Math.ceil(d0 / step) * step; v <= d1 + step * 1e-9; v += step) {
      out.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
    }
    return out;
  }

  private static double niceStep(double raw) {
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / mag;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nice * mag;
  }

  /** A short label for a tick or value. */
  static String format(double v) {
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) {
      return String.format(Locale.ROOT, "%.0e", v).replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
    }
    if (a >= 100 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    String s = String.format(Locale.ROOT, a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }
}
