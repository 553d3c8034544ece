package dev.prepsweep.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.collection.Iterable;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Prints the first rows of a query result: an aligned text table (what spark-sql users expect), CSV
 * (RFC 4180) or JSON lines. Maps, arrays and structs print as JSON in every format, never as Scala's
 * {@code HashMap(...)} or {@code ArraySeq(...)}.
 */
final class TablePrinter {

  /** Output formats of {@code --format}. */
  enum Format {
    TABLE, CSV, JSON;

    static Format parse(String text) {
      try {
        return valueOf(text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CliArgs.UsageException("--format must be table, csv or json, got '" + text + "'");
      }
    }
  }

  /** The default {@code --max-width}: cells longer than this are cut in the table format. */
  static final int DEFAULT_MAX_WIDTH = 80;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TablePrinter() {}

  static void print(Dataset<Row> df, int maxRows, PrintStream out) {
    print(df, maxRows, Format.TABLE, DEFAULT_MAX_WIDTH, out);
  }

  /**
   * @param maxWidth the widest cell of the table format (longer ones end in "..."); CSV and JSON are
   *     never cut
   */
  static void print(Dataset<Row> df, int maxRows, Format format, int maxWidth, PrintStream out) {
    String[] columns = df.columns();
    List<Row> rows = df.limit(maxRows + 1).collectAsList();
    boolean more = rows.size() > maxRows;
    if (more) {
      rows = rows.subList(0, maxRows);
    }
    switch (format) {
      case TABLE -> table(columns, rows, maxWidth, out);
      case CSV -> csv(columns, rows, out);
      case JSON -> rows.forEach(r -> out.println(write(object(r, columns))));
    }
    if (format == Format.TABLE || more) {
      // CSV and JSON stay machine-readable on stdout; the cut is said on stderr
      PrintStream note = format == Format.TABLE ? out : System.err;
      note.println(rows.size() + (rows.size() == 1 ? " row" : " rows") + (more ? " (more not shown; raise --max-rows)" : ""));
    }
  }

  private static void table(String[] columns, List<Row> rows, int maxWidth, PrintStream out) {
    List<String[]> cells = new ArrayList<>();
    int[] width = new int[columns.length];
    for (int c = 0; c < columns.length; c++) {
      width[c] = columns[c].length();
    }
    for (Row r : rows) {
      String[] line = new String[columns.length];
      for (int c = 0; c < columns.length; c++) {
        line[c] = cut(text(r.get(c)).replace('\n', ' '), maxWidth);
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
  }

  private static void csv(String[] columns, List<Row> rows, PrintStream out) {
    List<String> header = new ArrayList<>();
    for (String c : columns) {
      header.add(csvField(c));
    }
    out.print(String.join(",", header) + "\r\n");
    for (Row r : rows) {
      List<String> fields = new ArrayList<>();
      for (int c = 0; c < columns.length; c++) {
        fields.add(r.isNullAt(c) ? "" : csvField(text(r.get(c))));
      }
      out.print(String.join(",", fields) + "\r\n");
    }
  }

  private static String csvField(String s) {
    return s.matches("(?s).*[\",\r\n].*") ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  private static String cut(String s, int maxWidth) {
    return s.length() > maxWidth ? s.substring(0, Math.max(0, maxWidth - 3)) + "..." : s;
  }

  /** A cell as text: NULL, a scalar's own text, or a nested value as JSON. */
  static String text(Object v) {
    if (v == null) {
      return "NULL";
    }
    JsonNode node = node(v);
    return node.isTextual() ? node.asText() : node.isValueNode() ? v.toString() : write(node);
  }

  private static JsonNode node(Object v) {
    if (v == null) {
      return NODES.nullNode();
    }
    if (v instanceof Row row) {
      String[] names = row.schema() == null ? null : row.schema().fieldNames();
      ObjectNode o = NODES.objectNode();
      for (int i = 0; i < row.length(); i++) {
        o.set(names == null ? "_" + i : names[i], node(row.get(i)));
      }
      return o;
    }
    if (v instanceof scala.collection.Map<?, ?> map) {
      ObjectNode o = NODES.objectNode();
      for (Map.Entry<?, ?> e : CollectionConverters.asJava(map).entrySet()) {
        o.set(String.valueOf(e.getKey()), node(e.getValue()));
      }
      return o;
    }
    if (v instanceof Iterable<?> seq) {
      ArrayNode a = NODES.arrayNode();
      CollectionConverters.asJava(seq).forEach(e -> a.add(node(e)));
      return a;
    }
    if (v instanceof byte[] bytes) {
      return NODES.binaryNode(bytes);
    }
    if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return NODES.textNode(d.toString());
    }
    if (v instanceof Number || v instanceof Boolean) {
      return JSON.valueToTree(v);
    }
    return NODES.textNode(v.toString());
  }

  private static ObjectNode object(Row r, String[] columns) {
    ObjectNode o = NODES.objectNode();
    for (int c = 0; c < columns.length; c++) {
      o.set(columns[c], node(r.get(c)));
    }
    return o;
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
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
