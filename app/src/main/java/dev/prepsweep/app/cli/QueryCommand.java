package dev.prepsweep.app.cli;

import dev.prepsweep.app.warehouse.Warehouse;
import java.io.PrintStream;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** {@code prepsweep query "SQL"} over a warehouse whose tables are views of their names. */
final class QueryCommand {
  private QueryCommand() {}

  /**
   * Runs {@code sql} and prints its first rows. A statement Spark rejects (parse or analysis error,
   * or an error raised while running it, such as a failed cast) is the user's to fix: exit code 2
   * with Spark's own first line, not a stack trace.
   */
  static int run(Warehouse warehouse, String sql, int maxRows, TablePrinter.Format format, int maxWidth, PrintStream out) {
    if (warehouse.registerViews().isEmpty()) {
      System.err.println("prepsweep: no tables in " + warehouse.root() + "; run 'prepsweep run' first");
      return ExitCode.USAGE.code;
    }
    try {
      Dataset<Row> result = warehouse.spark().sql(sql);
      TablePrinter.print(result, maxRows, format, maxWidth, out);
      return ExitCode.OK.code;
    } catch (Exception e) {
      // Scala throws AnalysisException (checked to Java) without declaring it; errors raised while
      // running arrive as SparkException wrapping the SparkThrowable of the failing expression.
      SparkThrowable sqlError = sqlError(e);
      if (sqlError == null) {
        throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
      }
      System.err.println("prepsweep: SQL error: " + firstLine(((Throwable) sqlError).getMessage()));
      return ExitCode.USAGE.code;
    }
  }

  /** The first {@link SparkThrowable} with an error condition in {@code e}'s cause chain, or null. */
  private static SparkThrowable sqlError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SparkThrowable st && st.getCondition() != null && !st.isInternalError()) {
        return st;
      }
    }
    return null;
  }

  private static String firstLine(String message) {
    String m = message == null ? "" : message.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }
}
