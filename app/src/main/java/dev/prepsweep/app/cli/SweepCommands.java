package dev.prepsweep.app.cli;

import dev.prepsweep.app.driver.SweepDriver;
import dev.prepsweep.app.results.ResultTables;
import dev.prepsweep.app.spark.SparkSessions;
import dev.prepsweep.app.warehouse.SweepPins;
import dev.prepsweep.app.warehouse.Warehouse;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

/** {@code prepsweep sweep list | status ID | best ID | cancel ID | resume ID | keep ID | release ID}. */
final class SweepCommands {

  private SweepCommands() {}

  static int run(CliArgs cli, PrintStream out) {
    String action = cli.positional().get(0);
    String id = cli.positional().size() > 1 ? cli.positional().get(1) : null;
    if (!action.equals("list") && id == null) {
      throw new CliArgs.UsageException("sweep " + action + " needs a sweep id (see: prepsweep sweep list)");
    }
    if (!action.matches("list|status|best|cancel|resume|keep|release")) {
      throw new CliArgs.UsageException(
          "unknown sweep action '" + action + "'; use list, status, best, cancel, resume, keep or release");
    }
    if (id != null && !id.matches("[A-Za-z0-9._-]+")) {
      throw new CliArgs.UsageException("'" + id + "' is not a sweep id");
    }
    String warehouseRoot = Main.warehouseRoot(cli);
    // Resume trains, so it needs the executors; the other actions only read a few rows.
    String master = cli.option("master", action.equals("resume") ? null : "local[2]");
    SparkSession spark = SparkSessions.create(master, "prepsweep sweep " + action);
    try {
      return run(action, id, new Warehouse(spark, warehouseRoot), out);
    } finally {
      spark.stop();
    }
  }

  /** Runs {@code action} on sweep {@code id} (null for list) of {@code warehouse}; returns the exit code. */
  static int run(String action, String id, Warehouse warehouse, PrintStream out) {
    SparkSession spark = warehouse.spark();
    try {
      if (!warehouse.exists(ResultTables.SWEEPS)) {
        System.err.println("prepsweep: no sweeps in " + warehouse.root() + " yet");
        return ExitCode.USAGE.code;
      }
      warehouse.registerViews();
      if (id != null && !action.equals("resume") && spark.sql("SELECT 1 FROM sweeps WHERE sweep_id = '" + id + "'").isEmpty()) {
        System.err.println("prepsweep: no sweep '" + id + "' in " + warehouse.root() + "; see: prepsweep sweep list");
        return ExitCode.USAGE.code;
      }
      switch (action) {
        case "list" -> TablePrinter.print(spark.sql("SELECT sweep_id, status, method, metric, goal, best_value, "
            + "best_trial_id, trials_complete, trials_failed, budget_trials, data_versions, started_at, ended_at "
            + "FROM sweeps ORDER BY started_at DESC"), 100, out);
        case "status" -> {
          TablePrinter.print(spark.sql("SELECT sweep_id, status, method, metric, best_value, best_trial_id, "
              + "trials_complete, trials_failed, budget_trials, parallelism, master, data_versions, code_version, "
              + "started_at, ended_at, message FROM sweeps WHERE sweep_id = '" + id + "'"), 1, out);
          TablePrinter.print(spark.sql("SELECT state, count(*) AS attempts, count(DISTINCT trial_id) AS trials "
              + "FROM trials WHERE sweep_id = '" + id + "' GROUP BY state ORDER BY state"), 10, out);
        }
        case "best" -> {
          org.apache.spark.sql.Row sweep = spark.sql("SELECT goal, metric FROM sweeps WHERE sweep_id = '" + id + "'").head();
          boolean maximize = sweep.getString(0).equals("maximize");
          // the selected trial and the Pareto front first, infeasible trials last (README "Objectives")
          TablePrinter.print(spark.sql("SELECT s.selection_rule, s.selected_trial_id, s.pareto_front, s.constraints"
              + " FROM sweeps s WHERE sweep_id = '" + id + "'"), 1, out);
          TablePrinter.print(spark.sql(bestTrialsSql(id, sweep.getString(1), maximize)), 10, out);
        }
        case "cancel" -> {
          warehouse.requestCancel(id);
          out.println("cancel requested for " + id + "; its driver stops within a few seconds");
        }
        case "keep", "release" -> {
          SweepPins.mark(spark, warehouse, id, action.equals("keep"));
          out.println(action.equals("keep")
              ? "sweep " + id + " kept: 'prepsweep vacuum' keeps the table versions it pinned until 'prepsweep sweep release " + id + "'"
              : "sweep " + id + " released: 'prepsweep vacuum' may remove the table versions only it pinned");
        }
        case "resume" -> {
          return Main.afterSweep(spark, warehouse, new SweepDriver(spark, warehouse).resume(id), out);
        }
        default -> throw new IllegalStateException(action);
      }
      return ExitCode.OK.code;
    } catch (IllegalArgumentException e) {
      System.err.println("prepsweep: " + e.getMessage());
      return ExitCode.USAGE.code;
    }
  }

  /**
   * The COMPLETE trials of sweep {@code id} as {@code sweep best} lists them: the trial scored on test (the
   * selection rule's pick, also the run's leaderboard's first row) first, then feasible trials, by Pareto rank
   * (multi-objective sweeps; null otherwise), then by the first metric.
   */
  static String bestTrialsSql(String id, String metric, boolean maximize) {
    return "SELECT t.trial_id, t.attempt, t.value, t.objective_values, " + Main.metricColumns(metric)
        + ", t.latency_p50_ms, t.latency_p95_ms, t.throughput_rows_s, t.model_bytes, t.feasible, t.pareto_rank, "
        + "t.best_epoch, t.params_json, t.train_version, t.val_version FROM trials t JOIN sweeps s "
        + "ON s.sweep_id = t.sweep_id WHERE t.sweep_id = '" + id + "' AND t.state = 'COMPLETE' "
        + "ORDER BY t.trial_id <=> s.selected_trial_id DESC, coalesce(t.feasible, true) DESC, "
        + "t.pareto_rank ASC NULLS LAST, t.value " + (maximize ? "DESC" : "ASC") + ", t.trial_id";
  }
}
