package dev.prepsweep.training.score;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;

import dev.prepsweep.training.SavedModel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@link ModelScorer} for a regression model ({@code task: regression}): each executor scores its partitions with
 * the cached model's {@link SavedModel#predictions}, and the test metrics are RMSE, MAE and R2 against the split's
 * {@code target} (R2's total sum of squares around the scored rows' own mean, as scikit-learn's {@code r2_score}).
 *
 * <p>Predictions schema: {@code id STRING, target DOUBLE, prediction DOUBLE, model_uri STRING}.
 */
final class RegressionScorer {

  static final StructType PREDICTIONS = new StructType()
      .add("id", DataTypes.StringType)
      .add("target", DataTypes.DoubleType)
      .add("prediction", DataTypes.DoubleType)
      .add("model_uri", DataTypes.StringType);

  private RegressionScorer() {}

  static Dataset<Row> score(Dataset<Row> input, String modelUri) {
    List<String> columns = ModelScorer.requireScorable(input.columns());
    Dataset<Row> in = input.select(
        col("id").cast("string"),
        col("target").cast("double"),
        col("text"),
        columns.contains("features") ? col("features").cast("array<double>") : lit(null).cast("array<double>").as("features"),
        columns.contains("image") ? col("image").cast("binary") : lit(null).cast("binary").as("image"));
    return in.mapPartitions(new Partition(modelUri), Encoders.row(PREDICTIONS));
  }

  static ModelScorer.TestMetrics evaluate(Dataset<Row> predictions, String modelUri, String split, String path,
      Map<String, Object> metadata) {
    Dataset<Row> scored = predictions.where(col("target").isNotNull());
    Row m = scored.agg(count(lit(1)), avg(pow(col("prediction").minus(col("target")), 2)),
        avg(abs(col("prediction").minus(col("target")))), avg("target")).first();
    long rows = m.getLong(0);
    if (rows == 0) {
      throw new IllegalArgumentException("cannot evaluate: no scored row of split '" + split + "' has a target");
    }
    double mse = m.getDouble(1);
    double sst = scored.agg(sum(pow(col("target").minus(lit(m.getDouble(3))), 2))).first().getDouble(0);
    return new ModelScorer.TestMetrics(modelUri, SavedModel.sweepId(metadata), SavedModel.trialId(metadata), split, rows, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, path, Math.sqrt(mse), m.getDouble(2), sst == 0 ? Double.NaN : 1 - mse * rows / sst);
  }

  /**
   * Scores one partition in chunks of {@link ModelScorer#CHUNK} rows with the executor's cached model, streaming
   * ({@link ChunkedRows}): one chunk in memory at a time.
   */
  static final class Partition implements MapPartitionsFunction<Row, Row> {
    private final String modelUri;

    Partition(String modelUri) {
      this.modelUri = modelUri;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      SavedModel model = ModelScorer.model(modelUri);
      return new ChunkedRows(rows, ModelScorer.CHUNK, chunk -> score(model, chunk));
    }

    private List<Row> score(SavedModel model, List<Row> chunk) {
      float[] p = model.predictions(ModelScorer.inputs(chunk));
      List<Row> out = new ArrayList<>(chunk.size());
      for (int i = 0; i < chunk.size(); i++) {
        Row r = chunk.get(i);
        out.add(RowFactory.create(r.getString(0), r.isNullAt(1) ? null : r.getDouble(1), (double) p[i], modelUri));
      }
      return out;
    }
  }
}
