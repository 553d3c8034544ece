package dev.prepsweep.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.testkit.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code prepsweep query}: exit codes of bad SQL, and output a person (or a program) can read. */
class QueryCommandTest {
  private static SparkSession spark;
  private static Warehouse warehouse;

  @BeforeAll
  static void table() throws Exception {
    spark = SharedSpark.session();
    Path root = Files.createTempDirectory("query-cmd");
    warehouse = new Warehouse(spark, root.toString());
    spark.sql("SELECT 1 AS trial_id, map('train', 3L, 'val', 1L) AS data_versions, array(0.5D, 0.25D) AS curve, "
        + "named_struct('lr', 0.01D, 'hidden', 64) AS params, repeat('x', 120) AS long_text, 'a,\"b\"' AS quoted")
        .write().format("delta").save(warehouse.path("trials"));
  }

  private record Result(int code, String out, String err) {}

  private static Result query(String sql, TablePrinter.Format format, int maxWidth) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = QueryCommand.run(warehouse, sql, 10, format, maxWidth, new PrintStream(out, true, StandardCharsets.UTF_8));
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(before);
    }
  }

  @Test
  void sqlErrorsExitTwoWithOneLine() {
    for (String bad : new String[] {"SELEKT * FROM trials", "SELECT no_such_column FROM trials",
        "SELECT CAST('x' AS INT) + trial_id FROM trials", "SELECT * FROM no_such_table"}) {
      Result r = query(bad, TablePrinter.Format.TABLE, 80);
      assertThat(r.code()).as(bad).isEqualTo(ExitCode.USAGE.code);
      assertThat(r.err()).as(bad).startsWith("prepsweep: SQL error: ");
      assertThat(r.err().strip().lines().count()).as(bad + ": one line, no stack trace").isEqualTo(1);
    }
  }

  @Test
  void mapsArraysAndStructsPrintAsJsonAndCellsRespectMaxWidth() {
    Result r = query("SELECT data_versions, curve, params, long_text FROM trials", TablePrinter.Format.TABLE, 40);
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("{\"train\":3,\"val\":1}").contains("[0.5,0.25]").contains("{\"lr\":0.01,\"hidden\":64}")
        .doesNotContain("HashMap").doesNotContain("ArraySeq").contains("x".repeat(37) + "...")
        .doesNotContain("x".repeat(38));
    Result wide = query("SELECT long_text FROM trials", TablePrinter.Format.TABLE, 200);
    assertThat(wide.out()).contains("x".repeat(120));
  }

  @Test
  void csvAndJsonAreMachineReadableAndNeverCut() throws Exception {
    Result csv = query("SELECT trial_id, quoted, long_text FROM trials", TablePrinter.Format.CSV, 10);
    assertThat(csv.out()).isEqualTo("trial_id,quoted,long_text\r\n1,\"a,\"\"b\"\"\"," + "x".repeat(120) + "\r\n");
    Result json = query("SELECT * FROM trials", TablePrinter.Format.JSON, 10);
    JsonNode row = new ObjectMapper().readTree(json.out());
    assertThat(row.path("data_versions").path("train").asLong()).isEqualTo(3);
    assertThat(row.path("params").path("hidden").asInt()).isEqualTo(64);
    assertThat(row.path("curve").get(1).asDouble()).isEqualTo(0.25);
    assertThat(row.path("long_text").asText()).hasSize(120);
    assertThat(json.out().lines().count()).isEqualTo(1);
  }
}
