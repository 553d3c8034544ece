package dev.prepsweep.app.driver;

import static org.apache.spark.sql.functions.col;

import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.app.warehouse.Warehouse;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.sweep.space.CategoricalDistribution;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.training.TrainingParams;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Which version of the prep job's {@code class_weights} table a sweep trains with when its trials ask
 * for {@code class_weights: table}: the version written by the same prep run as the pinned train and val
 * versions (found in {@code prep_runs.output_versions}), not the table's latest, so the weights always
 * describe the split the trial trains on.
 */
final class ClassWeightsPin {

  static final String TABLE = "class_weights";
  private static final String KEY = "class_weights";

  private ClassWeightsPin() {}

  /** Whether any trial of the sweep can ask for the table's weights (fixed in {@code train:} or a choice of the space). */
  static boolean wanted(JobConfig config) {
    if (isTable(config.train().get(KEY))) {
      return true;
    }
    for (Parameter p : config.requireSweep().space().allParameters()) {
      if (p.name().equals(KEY) && p.distribution() instanceof CategoricalDistribution c
          && c.choices().stream().anyMatch(ClassWeightsPin::isTable)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTable(Object value) {
    return "table".equals(TrainingParams.classWeights(value));
  }

  /**
   * The {@code class_weights} version the prep run that wrote {@code train} and {@code val} wrote with them.
   *
   * @throws ConfigException (exit 2, before any trial) naming the config key when no recorded prep run wrote
   *     class weights together with these versions
   */
  static TableVersion find(SparkSession spark, Warehouse warehouse, JobConfig config, TableVersion train,
      TableVersion val) {
    Optional<Long> version = Optional.empty();
    if (warehouse.exists("prep_runs")) {
      List<Row> rows = spark.read().format("delta").load(warehouse.path("prep_runs"))
          .where(col("output_versions").getItem(train.name()).equalTo(train.version())
              .and(col("output_versions").getItem(val.name()).equalTo(val.version()))
              .and(col("output_versions").getItem(TABLE).isNotNull()))
          .orderBy(col("started_at").desc_nulls_last())
          .select(col("output_versions").getItem(TABLE)).limit(1).collectAsList();
      version = rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).getLong(0));
    }
    return version.map(v -> new TableVersion(TABLE, warehouse.path(TABLE), v)).orElseThrow(() -> keyNode(config).invalid(
        "trials ask for the prep job's class weights, but no prep run in " + warehouse.path("prep_runs") + " wrote '"
            + TABLE + "' together with " + train.name() + " version " + train.version() + " and " + val.name()
            + " version " + val.version() + "; run prep with prep.balance.class_weights: true, or use"
            + " class_weights: balanced to recompute them from the train split"));
  }

  /** The {@code train.class_weights} key, else the sweep parameter of that name: where a config error points. */
  private static ConfigNode keyNode(JobConfig config) {
    ConfigNode root = ConfigNode.parse(config.text(), config.source());
    Optional<ConfigNode> fixed = root.get("train").flatMap(t -> t.get(KEY));
    if (fixed.isPresent()) {
      return fixed.get();
    }
    return root.get("sweep").flatMap(s -> s.get("parameters")).flatMap(p -> p.get(KEY)).orElse(root);
  }
}
