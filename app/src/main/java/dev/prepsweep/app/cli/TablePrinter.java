package dev.prepsweep.app.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Prints the first rows of a query result as an aligned text table (what spark-sql users expect). */
final class TablePrinter {

  private static final int MAX_CELL = 80;

  private TablePrinter() {}

  static void print(Dataset<Row> df, int maxRows, PrintStream out) {
    String[] columns = df.columns();
    List<Row> rows = df.limit(maxRows + 1).collectAsList();
    boolean more = rows.size() > maxRows;
    if (more) {
      rows = rows.subList(0, maxRows);
    }
    List<String[]> cells = new ArrayList<>();
    int[] width = new int[columns.length];
    for (int c = 0; c < columns.length; c++) {
      width[c] = columns[c].length();
    }
    for (Row r : rows) {
      String[] line = new String[columns.length];
      for (int c = 0; c < columns.length; c++) {
        line[c] = cell(r.get(c));
        width[c] = Math.max(width[c], line[c].length());
      }
      cells.add(line);
    }
    String rule = rule(width);
    out.println(rule);
    out.println(line(columns, width));
    out.println(rule);
    for (String[] line : cells) {
      out.println(line(line, width));
    }
    out.println(rule);
    out.println(rows.size() + (rows.size() == 1 ? " row" : " rows") + (more ? " (more not shown; raise --max-rows)" : ""));
  }

  private static String cell(Object v) {
    String s = v == null ? "NULL" : v instanceof Row row ? structText(row) : v.toString();
    s = s.replace('\n', ' ');
    return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 3) + "..." : s;
  }

  private static String structText(Row row) {
    StringBuilder sb = new StringBuilder("{");
    String[] names = row.schema() == null ? null : row.schema().fieldNames();
    for (int i = 0; i < row.length(); i++) {
      if (row.isNullAt(i)) {
        continue;
      }
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(names == null ? "_" + i : names[i]).append('=').append(cell(row.get(i)));
    }
    return sb.append('}').toString();
  }

  private static String rule(int[] width) {
    StringBuilder sb = new StringBuilder("+");
    for (int w : width) {
      sb.append("-".repeat(w + 2)).append('+');
    }
    return sb.toString();
  }

  private static String line(String[] values, int[] width) {
    StringBuilder sb = new StringBuilder("|");
    for (int c = 0; c < values.length; c++) {
      sb.append(' ').append(String.format("%-" + width[c] + "s", values[c])).append(" |");
    }
    return sb.toString();
  }
}
