package dev.prepsweep.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.results.ResultTables;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.testkit.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** {@code prepsweep sweep status|best|cancel ID} of a sweep the warehouse does not hold. */
class SweepCommandsTest {

  @Test
  void unknownSweepIdExitsTwoSayingSo() throws Exception {
    SparkSession spark = SharedSpark.session();
    Warehouse warehouse = new Warehouse(spark, Files.createTempDirectory("sweep-cmd").toString());
    spark.sql("SELECT 'sw-known' AS sweep_id, 'COMPLETE' AS status").write().format("delta")
        .save(warehouse.path(ResultTables.SWEEPS));
    for (String action : new String[] {"status", "best", "cancel"}) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream before = System.err;
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code;
      try {
        code = SweepCommands.run(action, "sw-missing", warehouse, new PrintStream(new ByteArrayOutputStream()));
      } finally {
        System.setErr(before);
      }
      assertThat(code).as(action).isEqualTo(ExitCode.USAGE.code);
      assertThat(err.toString(StandardCharsets.UTF_8)).as(action)
          .contains("no sweep 'sw-missing' in " + warehouse.root()).contains("prepsweep sweep list");
    }
    assertThat(warehouse.isCancelRequested("sw-missing")).as("no cancel marker for an unknown sweep").isFalse();
  }
}
