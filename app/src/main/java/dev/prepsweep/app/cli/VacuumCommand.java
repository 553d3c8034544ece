package dev.prepsweep.app.cli;

import dev.prepsweep.app.spark.SparkSessions;
import dev.prepsweep.app.warehouse.VacuumPlan;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.app.warehouse.WarehouseVacuum;
import dev.prepsweep.tables.TableCleanup;
import java.io.PrintStream;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * {@code prepsweep vacuum [--retain HOURS] [--dry-run]}: Delta's VACUUM of the warehouse's tables that
 * keeps what pinned versions need ({@link WarehouseVacuum}); prints each file that goes or stays, and
 * why it stays.
 */
final class VacuumCommand {

  private VacuumCommand() {}

  static int run(CliArgs cli, PrintStream out) {
    if (!cli.positional().isEmpty()) {
      throw new CliArgs.UsageException("vacuum takes no arguments, only --retain HOURS and --dry-run");
    }
    String text = cli.option("retain", String.valueOf((long) TableCleanup.DELTA_MIN_RETAIN_HOURS));
    double retain;
    try {
      retain = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      retain = Double.NaN;
    }
    if (!(retain >= 0) || Double.isInfinite(retain)) {
      throw new CliArgs.UsageException("--retain must be a number of hours >= 0, got '" + text + "'");
    }
    boolean dry = cli.flag("dry-run");
    String warehouseRoot = Main.warehouseRoot(cli);
    SparkSession spark = SparkSessions.create(cli.option("master", "local[2]"), "prepsweep vacuum");
    try {
      Warehouse warehouse = new Warehouse(spark, warehouseRoot);
      WarehouseVacuum.Result r = WarehouseVacuum.run(spark, warehouse, retain, dry);
      r.pins().forEach(p -> out.println("pinned: " + p));
      for (VacuumPlan plan : r.plans()) {
        plan.delete().forEach(f -> out.println((dry ? "would delete " : "deleted ") + plan.table() + " " + f));
        for (Map.Entry<String, String> e : plan.keep().entrySet()) {
          out.println("kept " + plan.table() + " " + e.getKey() + " (" + e.getValue() + ")");
        }
      }
      r.retentionChanges().forEach(c -> out.println("log retention: " + c));
      out.printf("vacuum%s: %d tables, %d files %s, %d kept for pinned versions (retain %s hours)%n", dry ? " (dry run)" : "",
          r.plans().size(), r.deleted(), dry ? "would be deleted" : "deleted", r.kept(), text);
      return ExitCode.OK.code;
    } finally {
      spark.stop();
    }
  }
}
