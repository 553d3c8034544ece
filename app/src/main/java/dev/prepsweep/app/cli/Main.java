package dev.prepsweep.app.cli;

import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.app.config.TrainerCheck;
import dev.prepsweep.app.driver.BestTrialScorer;
import dev.prepsweep.app.report.ReportCommand;
import dev.prepsweep.app.report.ReportException;
import dev.prepsweep.app.driver.SweepDriver;
import dev.prepsweep.app.driver.SweepSummary;
import dev.prepsweep.app.spark.SparkSessions;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.etl.PrepException;
import dev.prepsweep.tables.PinnedDataException;
import dev.prepsweep.etl.PrepJob;
import dev.prepsweep.etl.PrepResult;
import dev.prepsweep.sweep.protocol.AskTellProtocol;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prepsweep command line: {@code prep}, {@code sweep}, {@code run} (prep then sweep),
 * {@code query}, {@code report}, {@code vacuum} and {@code optimize}. Results go to stdout, logs to stderr; the exit code is an
 * {@link ExitCode}.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  static final String DEFAULT_CONFIG = "conf/prepsweep.yaml";
  private static final Set<String> OPTIONS = Set.of("config", "master", "warehouse", "seed", "max-rows", "sampler",
      "sweep", "prep-run", "out", "max-width", "format", "train", "test", "text", "id", "retain", "jars");

  static final String USAGE = """
      usage: prepsweep <command> [options]

      commands:
        run      prep the data, then run the sweep on the fresh tables; prints the leaderboard
        prep     clean, de-duplicate and split the input into Delta tables
        sweep    run a hyperparameter sweep on the current train/val tables
        sweep list | status ID | best ID | cancel ID | resume ID
                 look at sweeps, stop a running one, or continue one whose driver died
        sweep keep ID | release ID
                 keep (or stop keeping) the table versions a finished sweep pinned through vacuums
        vacuum   delete table files no version needs any more (Delta's VACUUM), keeping every file
                 of a version pinned by a running, resumable or kept sweep; --retain HOURS (default
                 168), --dry-run lists what would go and what is kept and why
        query    run SQL over the warehouse tables: prepsweep query "SELECT * FROM trials"
        report   a self-contained HTML report of a sweep (--sweep ID, default the latest) or of
                 a prep run (--prep-run ID); --out DIR (default <warehouse>/_reports)
        optimize speak the JSON-lines ask/tell protocol on stdin/stdout (--sampler NAME)
        audit    leakage between two Delta tables: --train TABLE --test TABLE [--text COL] [--id COL]
                 (paths or warehouse names): same ids, same normalised text, near-duplicates;
                 writes the pairs to the 'leakage' table, exit code 3 when any is found

      options:
        --config FILE      job configuration (default conf/prepsweep.yaml)
        --master URL       Spark master; default: what spark-submit set, else the embedded
                           local-cluster[2,2,2048] (two executor JVMs)
        --warehouse DIR    where the Delta tables live (overrides the config's 'warehouse')
        --seed N           overrides the config's 'seed'
        --jars A.jar,...   jars shipped to the executors (spark.jars), e.g. the jar of a plug-in
                           trainer named in the config as train: {model: {class: ...}}
        --max-rows N       rows 'query' prints (default 50)
        --max-width N      widest cell 'query' prints in a table (default 80)
        --format F         'query' output: table (default), csv or json (one object a line);
                           maps, arrays and structs print as JSON in every format
        --sampler NAME     sampler for 'optimize' (random, grid, sobol, tpe, gp, ...)
        --retain HOURS     'vacuum': keep files unneeded for less than this long (default 168)
        --dry-run          'vacuum': list only, delete nothing
        --verbose          progress and Spark warnings (default: progress only)

      exit codes: 0 ok, 1 internal error, 2 bad command line or config, 3 input data rejected (or leakage found),
                  4 sweep finished without a completed trial (or spent its failure budget),
                  5 sweep cancelled
      """;

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out);
    System.out.flush();
    if (code == ExitCode.OK.code && inYarnApplicationMaster()) {
      // YARN cluster mode: Spark's ApplicationMaster reports SUCCEEDED when main returns; an exit
      // here would reach its shutdown hook first, which reports FAILED ("Shutdown hook called
      // before final status was reported"). A non-zero exit is a failure there as everywhere.
      return;
    }
    System.exit(code);
  }

  /** Whether this driver runs inside Spark's YARN ApplicationMaster (it sets these before calling main). */
  static boolean inYarnApplicationMaster() {
    return "yarn".equals(System.getProperty("spark.master"))
        && "cluster".equals(System.getProperty("spark.submit.deployMode"));
  }

  /** Runs a command; returns the exit code instead of exiting (for tests). */
  public static int run(String[] args, PrintStream out) {
    CliArgs cli;
    try {
      cli = CliArgs.parse(args, OPTIONS);
    } catch (CliArgs.UsageException e) {
      System.err.println("prepsweep: " + e.getMessage() + "\n\n" + USAGE);
      return ExitCode.USAGE.code;
    }
    if (cli.flag("help") || cli.verb().equals("help") || cli.verb().equals("--help")) {
      out.print(USAGE);
      return ExitCode.OK.code;
    }
    try {
      return switch (cli.verb()) {
        case "optimize" -> optimize(cli, out);
        case "sweep" -> cli.positional().isEmpty() ? runJob(cli, out) : SweepCommands.run(cli, out);
        case "prep", "run" -> runJob(cli, out);
        case "query" -> query(cli, out);
        case "report" -> report(cli, out);
        case "audit" -> AuditCommand.run(cli, out);
        case "vacuum" -> VacuumCommand.run(cli, out);
        default -> {
          System.err.println("prepsweep: unknown command '" + cli.verb() + "'\n\n" + USAGE);
          yield ExitCode.USAGE.code;
        }
      };
    } catch (ConfigException | CliArgs.UsageException e) {
      System.err.println("prepsweep: " + e.getMessage());
      return ExitCode.USAGE.code;
    } catch (ReportException e) {
      System.err.println("prepsweep: " + e.getMessage());
      return ExitCode.USAGE.code;
    } catch (PrepException e) {
      System.err.println("prepsweep: input rejected: " + e.getMessage());
      return ExitCode.DATA.code;
    } catch (PinnedDataException e) {
      System.err.println("prepsweep: pinned data rejected: " + e.getMessage());
      return ExitCode.DATA.code;
    } catch (RuntimeException e) {
      LOG.error("prepsweep {} failed", cli.verb(), e);
      System.err.println("prepsweep: " + cli.verb() + " failed: " + e.getMessage());
      return ExitCode.INTERNAL.code;
    }
  }

  /**
   * The ask/tell protocol on stdin and {@code out}. Meanwhile anything else printing to
   * {@code System.out} (a console logger) goes to stderr, so it cannot corrupt the protocol stream.
   */
  private static int optimize(CliArgs cli, PrintStream out) {
    PrintStream console = System.out;
    System.setOut(System.err);
    try {
      return AskTellProtocol.run(System.in, out, cli.option("sampler", "tpe"));
    } finally {
      System.setOut(console);
    }
  }

  private static int runJob(CliArgs cli, PrintStream out) {
    JobConfig config = JobConfig.load(Path.of(cli.option("config", DEFAULT_CONFIG)));
    String warehouseRoot = cli.option("warehouse", config.warehouse());
    long seed = cli.options().containsKey("seed") ? parseLong(cli.option("seed", null), "--seed") : config.seed();
    boolean prep = !cli.verb().equals("sweep");
    boolean sweep = !cli.verb().equals("prep");
    // Validate everything the command needs before starting Spark.
    if (prep) {
      config.requirePrep();
      config.checkPrepInput();
    }
    List<String> jars = jars(cli);
    if (sweep) {
      config.requireSweep();
      TrainerCheck.check(config, jars);
    }
    JobConfig effective = config.withWarehouse(warehouseRoot).withSeed(seed);
    SparkSession spark = SparkSessions.create(cli.option("master", null), "prepsweep " + cli.verb(),
        cli.option("jars", null));
    try {
      Warehouse warehouse = new Warehouse(spark, warehouseRoot);
      PrepResult prepResult = null;
      if (prep) {
        prepResult = PrepJob.run(spark, effective.requirePrep(), warehouse.root(), seed);
        printPrep(prepResult, out);
      }
      if (sweep) {
        return afterSweep(spark, warehouse, new SweepDriver(spark, warehouse).run(effective), out);
      }
      String runId = prepResult.runId();
      printReport(out, () -> ReportCommand.runPrep(spark, warehouse, runId, ReportCommand.defaultOutDir(warehouse)));
      return ExitCode.OK.code;
    } finally {
      spark.stop();
    }
  }

  private static int query(CliArgs cli, PrintStream out) {
    if (cli.positional().size() != 1) {
      throw new CliArgs.UsageException("query takes one SQL statement in quotes, e.g. prepsweep query \"SELECT * FROM trials\"");
    }
    String warehouseRoot = warehouseRoot(cli);
    int maxRows = (int) parseLong(cli.option("max-rows", "50"), "--max-rows");
    int maxWidth = (int) parseLong(cli.option("max-width", String.valueOf(TablePrinter.DEFAULT_MAX_WIDTH)), "--max-width");
    if (maxWidth < 4) {
      throw new CliArgs.UsageException("--max-width must be at least 4, got " + maxWidth);
    }
    TablePrinter.Format format = TablePrinter.Format.parse(cli.option("format", "table"));
    // A query needs no executors for training: a single local JVM starts fastest.
    SparkSession spark = SparkSessions.create(cli.option("master", "local[2]"), "prepsweep query");
    try {
      return QueryCommand.run(new Warehouse(spark, warehouseRoot), cli.positional().get(0), maxRows, format, maxWidth, out);
    } finally {
      spark.stop();
    }
  }

  /** Writes a report after a finished job; a report problem is a warning, not a failed job. */
  private static void printReport(PrintStream out, java.util.function.Supplier<Path> report) {
    try {
      out.println("report: " + report.get().toUri());
    } catch (RuntimeException e) {
      LOG.warn("the job finished but its report could not be written: {}", e.getMessage(), e);
    }
  }

  private static int report(CliArgs cli, PrintStream out) {
    String warehouseRoot = warehouseRoot(cli);
    SparkSession spark = SparkSessions.create(cli.option("master", "local[2]"), "prepsweep report");
    try {
      Warehouse warehouse = new Warehouse(spark, warehouseRoot);
      Path outDir = cli.options().containsKey("out") ? Path.of(cli.option("out", null)) : ReportCommand.defaultOutDir(warehouse);
      Path report = cli.options().containsKey("prep-run")
          ? ReportCommand.runPrep(spark, warehouse, cli.option("prep-run", null), outDir)
          : ReportCommand.run(spark, warehouse, cli.option("sweep", null), outDir);
      out.println("report: " + report.toUri());
      return ExitCode.OK.code;
    } finally {
      spark.stop();
    }
  }

  /**
   * What every finished sweep run gets, whether {@code run}, {@code sweep} or {@code sweep resume}
   * ran it: the leaderboard, the pinned test split scored with the best model, the report; returns
   * the exit code of the sweep's outcome.
   */
  static int afterSweep(SparkSession spark, Warehouse warehouse, SweepSummary summary, PrintStream out) {
    printLeaderboard(spark, warehouse, summary, out);
    printTestScore(spark, warehouse, summary, out);
    printReport(out, () -> ReportCommand.run(spark, warehouse, summary.sweepId(), ReportCommand.defaultOutDir(warehouse)));
    return exitCode(summary);
  }

  static int exitCode(SweepSummary summary) {
    return switch (summary.status()) {
      case "COMPLETE" -> summary.complete() > 0 ? ExitCode.OK.code : ExitCode.SWEEP_FAILED.code;
      case "CANCELLED" -> ExitCode.CANCELLED.code;
      default -> ExitCode.SWEEP_FAILED.code;
    };
  }

  static String leaderboardSql(SweepSummary s) {
    // the trial scored on test (the selection rule's pick) first, then feasible trials (null: rows of sweeps recorded
    // before plain sweeps had feasible = true), the Pareto front (null: single objective), the first metric
    return "SELECT trial_id, " + metricColumns(s.metric()) + ", ROUND(latency_p50_ms, 3) AS p50_ms, "
        + "ROUND(latency_p95_ms, 3) AS p95_ms, model_bytes, feasible, pareto_rank, best_epoch, params_json, executor_id, "
        + "ROUND(duration_s, 1) AS seconds "
        + "FROM trials WHERE sweep_id = '" + s.sweepId() + "' AND state = 'COMPLETE' "
        + "ORDER BY " + (s.bestTrialId() == null ? "" : "trial_id = " + s.bestTrialId() + " DESC, ")
        + "coalesce(feasible, true) DESC, pareto_rank ASC NULLS LAST, value " + (s.maximize() ? "DESC" : "ASC")
        + ", trial_id LIMIT 10";
  }

  /**
   * The metric columns a leaderboard shows: a regression sweep's (optimising {@code val_rmse},
   * {@code val_mae} or {@code val_r2}) errors and R2, else a classifier's accuracy, macro-F1 and loss.
   */
  static String metricColumns(String metric) {
    List<String> columns = List.of("val_rmse", "val_mae", "val_r2").contains(metric)
        ? List.of("val_rmse", "val_mae", "val_r2") : List.of("val_accuracy", "val_macro_f1", "val_loss");
    return String.join(", ", columns.stream().map(c -> "ROUND(" + c + ", 4) AS " + c).toList());
  }

  /** Scores the pinned test split with the best trial's model and prints the metrics (nothing without either). */
  private static void printTestScore(SparkSession spark, Warehouse warehouse, SweepSummary summary, PrintStream out) {
    BestTrialScorer.score(spark, warehouse, summary).ifPresent(m -> out.printf(
        "test split (%d rows, %s) scored with trial %d's model: %s%n  predictions: %s; metrics: test_metrics%n",
        m.rows(), summary.test().get(), summary.bestTrialId(), m.summary(), m.predictionsPath()));
  }

  private static void printLeaderboard(SparkSession spark, Warehouse warehouse, SweepSummary s, PrintStream out) {
    out.printf("%nsweep %s %s: %d complete, %d failed; data versions %s%n", s.sweepId(), s.status(), s.complete(),
        s.failed(), new TreeMap<>(s.dataVersions()));
    if (s.complete() == 0) {
      out.println("no trial completed; see: prepsweep query \"SELECT trial_id, attempt, error FROM trials WHERE sweep_id = '"
          + s.sweepId() + "'\"");
      return;
    }
    warehouse.registerViews();
    String sql = leaderboardSql(s);
    if (s.bestTrialId() == null) {
      out.printf("no COMPLETE trial meets the constraints and the selection rule (see sweeps.selection_rule)%n%n");
    } else {
      out.printf("best %s = %.4f (trial %d)%n%n", s.metric(), s.bestValue(), s.bestTrialId());
    }
    TablePrinter.print(spark.sql(sql), 10, out);
    out.printf("%nreproduce: bin/prepsweep query \"%s\"%n", sql);
  }

  private static void printPrep(PrepResult r, PrintStream out) {
    out.printf("prep %s: %d rows read = %d clean + %d quarantined + %d duplicates removed%n", r.runId(), r.rowsRead(),
        r.rowsClean(), r.rowsQuarantined(), r.duplicatesRemoved());
    for (Map.Entry<String, Map<String, Long>> e : new TreeMap<>(r.splitClassCounts()).entrySet()) {
      out.printf("  %-6s %s%n", e.getKey(), new TreeMap<>(e.getValue()));
    }
    // once, at the end of the prep output; also in prep_runs.warnings
    r.warnings().forEach(w -> out.println("  warning: " + w));
    StringBuilder tables = new StringBuilder();
    new TreeMap<>(r.tables()).forEach((k, v) -> tables.append(' ').append(v));
    out.println("  tables:" + tables);
  }

  /** The jars the job ships: {@code --jars} and what spark-submit put in {@code spark.jars}. */
  private static List<String> jars(CliArgs cli) {
    List<String> jars = new java.util.ArrayList<>();
    String submitted = new org.apache.spark.SparkConf().get("spark.jars", "");
    if (!submitted.isBlank()) {
      jars.add(submitted);
    }
    String option = cli.option("jars", null);
    if (option != null) {
      jars.add(option);
    }
    return jars;
  }

  /** The warehouse of a command that reads tables: --warehouse, else the config's 'warehouse'. */
  static String warehouseRoot(CliArgs cli) {
    return cli.options().containsKey("warehouse") ? cli.option("warehouse", null)
        : JobConfig.load(Path.of(cli.option("config", DEFAULT_CONFIG))).warehouse();
  }

  private static long parseLong(String text, String option) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new CliArgs.UsageException(option + " must be a whole number, got '" + text + "'");
    }
  }
}
