package dev.prepsweep.etl.internal;

import dev.prepsweep.tables.DeltaIO;
import static org.apache.spark.sql.functions.col;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.etl.PrepConfig;
import dev.prepsweep.etl.plan.BalancePlanner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Train-only stages after the split: augmentation ({@code train_augmented}), balancing
 * ({@code train_balanced}, from the augmented rows when augmentation is on) and {@code class_weights}.
 */
public final class PostSplit {
  private PostSplit() {}

  public static void apply(SparkSession spark, PrepConfig config, List<String> labels, Map<String, Long> trainCounts,
      long seed, String warehouse, Map<String, TableVersion> tables, Lineage lineage, Scratch scratch) {
    TableVersion source = tables.get("train");
    Dataset<Row> train = DeltaIO.read(spark, source);
    if (config.augment().enabled()) {
      long t0 = System.nanoTime();
      Dataset<Row> augmented = Augmenter.apply(train, config, trainCounts, seed);
      DeltaIO.Written w = DeltaIO.overwrite(augmented, warehouse, "train_augmented");
      tables.put("train_augmented", w.table());
      lineage.stage("augment", total(trainCounts), w.rows(), (System.nanoTime() - t0) / 1_000_000);
      source = w.table();
      train = DeltaIO.read(spark, source);
    }
    if (config.balance().enabled()) {
      long t0 = System.nanoTime();
      // the split's per-class counts are exact (checked when written); augmentation changes them
      Balancer.Result r = Balancer.apply(train, config.augment().enabled() ? null : trainCounts, config.balance(), seed,
          scratch, true);
      Map<String, Long> in = new TreeMap<>();
      Map<String, Long> out = new TreeMap<>();
      r.classes().forEach((l, c) -> {
        in.put(l, c.count());
        out.put(l, c.target());
      });
      // a balance that only adds rows keeps the input's files and appends the new rows
      DeltaIO.Written w = r.addedOnly()
          ? DeltaIO.sourceRowsPlus(source, r.rows(), warehouse, "train_balanced")
          : DeltaIO.overwrite(r.rows(), warehouse, "train_balanced");
      tables.put("train_balanced", w.table());
      long rows = r.addedOnly() ? total(in) + w.rows() : w.rows();
      long planned = out.values().stream().mapToLong(Long::longValue).sum();
      if (planned != rows) {
        throw dev.prepsweep.etl.PrepErrors.splitMismatch("(all)", "train_balanced", planned, rows);
      }
      lineage.stage("balance", total(in), rows, (System.nanoTime() - t0) / 1_000_000);
      lineage.classCounts("balance_in", in);
      lineage.classCounts("train_balanced", out);
    }
    if (config.balance().classWeights()) {
      Map<String, Double> weights = BalancePlanner.classWeights(trainCounts);
      StructType schema = new StructType().add("label", DataTypes.StringType).add("label_index", DataTypes.IntegerType)
          .add("rows", DataTypes.LongType).add("weight", DataTypes.DoubleType);
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < labels.size(); i++) {
        String l = labels.get(i);
        rows.add(RowFactory.create(l, i, trainCounts.getOrDefault(l, 0L), weights.getOrDefault(l, 0.0)));
      }
      tables.put("class_weights", DeltaIO.overwrite(spark.createDataFrame(rows, schema), warehouse, "class_weights").table());
    }
  }

  private static long total(Map<String, Long> m) {
    return m.values().stream().mapToLong(Long::longValue).sum();
  }

  static Map<String, Long> copy(Map<String, Long> m) {
    return new LinkedHashMap<>(m);
  }

  static org.apache.spark.sql.Column label() {
    return col("label");
  }
}
