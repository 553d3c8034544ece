package dev.prepsweep.app.cli;

import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.app.spark.SparkSessions;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.etl.LeakageAudit;
import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.tables.DeltaIO;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code prepsweep audit --train TABLE --test TABLE [--text COL] [--id COL]}: leakage between two Delta
 * tables ({@link LeakageAudit}). A TABLE is a path, or the name of a table in the warehouse. Exit code
 * 3 when any pair is found, 0 when none, 2 when a table or a named column is missing.
 */
final class AuditCommand {
  private AuditCommand() {}

  static int run(CliArgs cli, PrintStream out) {
    String trainArg = required(cli, "train");
    String testArg = required(cli, "test");
    String textCol = cli.option("text", "text");
    boolean idGiven = cli.options().containsKey("id");
    String idCol = cli.option("id", "id");
    Path configFile = Path.of(cli.option("config", Main.DEFAULT_CONFIG));
    JobConfig config = Files.exists(configFile) ? JobConfig.load(configFile) : null;
    String root = cli.option("warehouse", config == null ? dev.prepsweep.app.config.JobDefaults.WAREHOUSE : config.warehouse());
    // the prep job's near-duplicate settings when the config has them, else dedupe.near's defaults
    PrepConfig.Near near = config == null ? null : config.prep().map(p -> p.dedupe().near()).orElse(null);
    if (near == null) {
      near = dev.prepsweep.etl.PrepDefaults.NEAR;
    }
    long seed = config == null ? dev.prepsweep.app.config.JobDefaults.SEED : config.seed();
    SparkSession spark = SparkSessions.create(cli.option("master", "local[2]"), "prepsweep audit");
    try {
      Warehouse warehouse = new Warehouse(spark, root);
      Dataset<Row> train = table(spark, warehouse, trainArg, "--train");
      Dataset<Row> test = table(spark, warehouse, testArg, "--test");
      for (Map.Entry<String, Dataset<Row>> e : Map.of(trainArg, train, testArg, test).entrySet()) {
        column(e.getValue(), textCol, e.getKey(), "--text");
      }
      boolean hasIds = Arrays.asList(train.columns()).contains(idCol) && Arrays.asList(test.columns()).contains(idCol);
      if (idGiven) {
        column(train, idCol, trainArg, "--id");
        column(test, idCol, testArg, "--id");
      }
      LeakageAudit.Result r = LeakageAudit.run(spark, train, test, hasIds ? idCol : null, textCol, near, seed,
          warehouse.root(), trainArg, testArg);
      out.printf("audit %s vs %s: %d pairs with the same id%s, %d with the same normalised text, %d near-duplicates"
              + " (Jaccard >= %s, %d-char shingles)%n", trainArg, testArg, r.counts().get("id"),
          hasIds ? "" : " (no '" + idCol + "' column: not checked)", r.counts().get("content"), r.counts().get("near"),
          near.threshold(), near.shingle());
      for (String kind : LeakageAudit.KINDS) {
        for (String ex : r.examples().get(kind)) {
          out.println("  " + kind + ": " + ex);
        }
      }
      out.println("pairs: " + r.table().path() + " (version " + r.table().version() + ")");
      return r.leaks() ? ExitCode.DATA.code : ExitCode.OK.code;
    } finally {
      spark.stop();
    }
  }

  private static String required(CliArgs cli, String name) {
    String v = cli.option(name, null);
    if (v == null || v.equals("true")) {
      throw new CliArgs.UsageException("audit needs --" + name + " TABLE (a Delta table path or a warehouse table name)");
    }
    return v;
  }

  /** A path (with a '/' or an existing folder) or a warehouse table name, at its latest version. */
  private static Dataset<Row> table(SparkSession spark, Warehouse warehouse, String arg, String option) {
    String path = arg.contains("/") || Files.isDirectory(Path.of(arg)) ? Warehouse.qualify(arg) : warehouse.path(arg);
    if (DeltaIO.latestVersionIfAny(spark, path).isEmpty()) {
      throw new CliArgs.UsageException(option + " '" + arg + "': no Delta table at " + path
          + (arg.contains("/") ? "" : " (a name is looked up in the warehouse " + warehouse.root() + ")"));
    }
    return spark.read().format("delta").load(path);
  }

  private static void column(Dataset<Row> df, String column, String table, String option) {
    List<String> cols = Arrays.asList(df.columns());
    if (!cols.contains(column)) {
      throw new CliArgs.UsageException(option + " '" + column + "': table '" + table + "' has no such column; its columns are " + cols);
    }
  }
}
