package dev.prepsweep.etl.internal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.prepsweep.etl.PrepConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.ImputerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outlier clipping by quantiles, then missing-value imputation (MLlib's {@link Imputer} for mean,
 * median and mode; a fill for constants) of the feature columns of the kept rows. Rows with a
 * missing value under the {@code drop} policy never get here (they are quarantined).
 */
public final class ValueFixer {
  private static final Logger LOG = LoggerFactory.getLogger(ValueFixer.class);

  private ValueFixer() {}

  public static Dataset<Row> apply(Dataset<Row> df, PrepConfig config) {
    List<String> names = config.columns().features();
    if (names.isEmpty()) {
      return df;
    }
    PrepConfig.Clean c = config.clean();
    if (c.clipLower() != null) {
      String[] cols = new String[names.size()];
      for (int i = 0; i < cols.length; i++) {
        cols[i] = Cols.feature(i);
      }
      double[][] q = df.stat().approxQuantile(cols, new double[] {c.clipLower(), c.clipUpper()}, 0.001);
      for (int i = 0; i < cols.length; i++) {
        if (q[i].length == 2) {
          LOG.info("clip {} to [{}, {}]", names.get(i), q[i][0], q[i][1]);
          df = df.withColumn(cols[i], when(col(cols[i]).isNull(), col(cols[i]))
              .otherwise(least(greatest(col(cols[i]), lit(q[i][0])), lit(q[i][1]))));
        }
      }
    }
    Map<String, List<Integer>> byStrategy = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      PrepConfig.Missing m = c.missingFor(names.get(i));
      switch (m.policy()) {
        case DROP -> { }
        case CONSTANT -> df = df.na().fill(m.constant(), new String[] {Cols.feature(i)});
        // MLlib's Imputer strategies are the config names: mean, median, mode
        case MEAN, MEDIAN, MODE -> byStrategy.computeIfAbsent(m.policy().toString(), k -> new ArrayList<>()).add(i);
      }
    }
    for (Map.Entry<String, List<Integer>> e : byStrategy.entrySet()) {
      String[] in = e.getValue().stream().map(Cols::feature).toArray(String[]::new);
      String[] out = e.getValue().stream().map(i -> Cols.feature(i) + "_imp").toArray(String[]::new);
      ImputerModel model = new Imputer().setStrategy(e.getKey()).setInputCols(in).setOutputCols(out)
          .setRelativeError(0.001).fit(df);
      LOG.info("impute {} by {}", e.getValue(), e.getKey());
      df = model.transform(df);
      for (int i = 0; i < in.length; i++) {
        df = df.drop(in[i]).withColumnRenamed(out[i], in[i]);
      }
    }
    return df;
  }
}
