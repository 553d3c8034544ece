package dev.prepsweep.training.score;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.prepsweep.training.SavedModel;
import dev.prepsweep.training.SplitRows;
import java.io.Serializable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Distributed inference with a trial's saved model, what the DJL Spark extension's model loader and
 * transforms would have given: each executor JVM loads the model once (a static cache keyed by its
 * URI) and scores its partitions in chunks; only the model URI crosses from the driver.
 *
 * <p>Predictions schema: {@code id STRING, label_index INT (null when the input has none),
 * prediction INT, predicted_label STRING, probability DOUBLE (of the prediction),
 * probabilities ARRAY<DOUBLE> (label-index order), model_uri STRING}.
 */
public final class ModelScorer {

  /** Rows per forward pass. */
  static final int CHUNK = 256;

  public static final StructType PREDICTIONS = new StructType()
      .add("id", DataTypes.StringType)
      .add("label_index", DataTypes.IntegerType)
      .add("prediction", DataTypes.IntegerType)
      .add("predicted_label", DataTypes.StringType)
      .add("probability", DataTypes.DoubleType)
      .add("probabilities", DataTypes.createArrayType(DataTypes.DoubleType, false))
      .add("model_uri", DataTypes.StringType);

  public static final StructType TEST_METRICS = new StructType()
      .add("model_uri", DataTypes.StringType)
      .add("sweep_id", DataTypes.StringType)
      .add("trial_id", DataTypes.IntegerType)
      .add("split", DataTypes.StringType)
      .add("rows", DataTypes.LongType)
      .add("accuracy", DataTypes.DoubleType)
      .add("macro_f1", DataTypes.DoubleType)
      .add("log_loss", DataTypes.DoubleType)
      .add("roc_auc", DataTypes.DoubleType)
      .add("predictions_path", DataTypes.StringType)
      .add("scored_at", DataTypes.TimestampType)
      .add("rmse", DataTypes.DoubleType)
      .add("mae", DataTypes.DoubleType)
      .add("r2", DataTypes.DoubleType);

  /** Loaded models of this JVM by URI. */
  private static final Map<String, SavedModel> MODELS = new ConcurrentHashMap<>();

  private ModelScorer() {}

  /**
   * Scores {@code input} (a split table: {@code id}, {@code text}, and {@code features} / {@code image}
   * as the model family needs, optionally {@code label_index}) with the model saved at {@code modelUri}.
   * Lazy, like any Dataset transformation.
   */
  public static Dataset<Row> score(Dataset<Row> input, String modelUri) {
    List<String> columns = requireScorable(input.columns());
    Dataset<Row> in = input.select(
        col("id").cast("string"),
        columns.contains("label_index") ? col("label_index").cast("int") : lit(null).cast("int").as("label_index"),
        col("text"),
        columns.contains("features") ? col("features").cast("array<double>") : lit(null).cast("array<double>").as("features"),
        columns.contains("image") ? col("image").cast("binary") : lit(null).cast("binary").as("image"));
    return in.mapPartitions(new ScorePartition(modelUri), Encoders.row(PREDICTIONS));
  }

  /**
   * The input's columns, after checking it has what scoring needs ({@code id} and {@code text}).
   *
   * @throws IllegalArgumentException naming the missing column
   */
  static List<String> requireScorable(String[] inputColumns) {
    List<String> columns = Arrays.asList(inputColumns);
    for (String required : List.of("id", "text")) {
      if (!columns.contains(required)) {
        throw new IllegalArgumentException("cannot score: the input has no '" + required + "' column (columns: "
            + columns + "); score a prepsweep split table");
      }
    }
    return columns;
  }

  /**
   * Scores {@code input} into a Delta table at {@code predictionsPath} (overwritten), then computes the
   * metrics of those predictions against {@code label_index}.
   */
  public static TestMetrics scoreToDelta(Dataset<Row> input, String modelUri, String predictionsPath, String split) {
    // read here, on the driver: on a cluster only executors load the model, so no cache of this JVM holds it
    Map<String, Object> metadata = SavedModel.readMetadata(modelUri,
        input.sparkSession().sparkContext().hadoopConfiguration());
    if (Arrays.asList(input.columns()).contains("target")) {
      // a regression split: predicted numbers against the target
      RegressionScorer.score(input, modelUri).write().format("delta").mode("overwrite")
          .option("overwriteSchema", "true").save(predictionsPath);
      Dataset<Row> written = input.sparkSession().read().format("delta").load(predictionsPath);
      return RegressionScorer.evaluate(written, modelUri, split, predictionsPath, metadata);
    }
    new DjlModelTransformer(modelUri).transform(input).write().format("delta").mode("overwrite")
        .option("overwriteSchema", "true").save(predictionsPath);
    Dataset<Row> written = input.sparkSession().read().format("delta").load(predictionsPath);
    return evaluate(written, modelUri, split, predictionsPath, metadata);
  }

  /**
   * Metrics of a predictions table (schema {@link #PREDICTIONS}), computed with Spark aggregations; the sweep and
   * trial come from {@code metadata}, what was saved with the model ({@link SavedModel#readMetadata}).
   */
  public static TestMetrics evaluate(Dataset<Row> predictions, String modelUri, String split, String predictionsPath,
      Map<String, Object> metadata) {
    Dataset<Row> labelled = predictions.where(col("label_index").isNotNull()).cache();
    try {
      Row totals = labelled.agg(count(lit(1)), sum(when(col("prediction").equalTo(col("label_index")), 1).otherwise(0)),
          avg(log(least(lit(1 - 1e-15), greatest(lit(1e-15), element_at(col("probabilities"), col("label_index").plus(1)))))
              .multiply(-1))).first();
      long rows = totals.getLong(0);
      if (rows == 0) {
        throw new IllegalArgumentException("cannot evaluate: no scored row of split '" + split + "' has a label_index");
      }
      double accuracy = totals.getLong(1) / (double) rows;
      double logLoss = totals.getDouble(2);
      int classes = labelled.select(functionsSize()).first().getInt(0);
      long[] truePos = new long[classes];
      long[] predicted = new long[classes];
      long[] actual = new long[classes];
      for (Row r : labelled.groupBy("label_index", "prediction").count().collectAsList()) {
        int y = r.getInt(0);
        int p = r.getInt(1);
        actual[y] += r.getLong(2);
        predicted[p] += r.getLong(2);
        if (y == p) {
          truePos[y] += r.getLong(2);
        }
      }
      double f1 = 0;
      int present = 0;
      for (int c = 0; c < classes; c++) {
        if (actual[c] + predicted[c] > 0) {
          present++;
          f1 += 2.0 * truePos[c] / (actual[c] + predicted[c]);
        }
      }
      double auc = classes == 2 ? rocAuc(labelled) : Double.NaN;
      return new TestMetrics(modelUri, SavedModel.sweepId(metadata), SavedModel.trialId(metadata), split, rows, accuracy,
          f1 / present, logLoss, auc, predictionsPath);
    } finally {
      labelled.unpersist();
    }
  }

  private static org.apache.spark.sql.Column functionsSize() {
    return org.apache.spark.sql.functions.max(org.apache.spark.sql.functions.size(col("probabilities")));
  }

  /** Binary ROC AUC: per positive, negatives scored lower plus half the ties, over distinct scores. */
  private static double rocAuc(Dataset<Row> labelled) {
    Dataset<Row> byScore = labelled
        .select(element_at(col("probabilities"), 2).as("s"), col("label_index").equalTo(1).cast("long").as("pos"))
        .groupBy("s").agg(sum("pos").as("p"), sum(lit(1L).minus(col("pos"))).as("n"));
    Dataset<Row> ranked = byScore.withColumn("neg_below",
        coalesce(sum("n").over(Window.orderBy("s").rowsBetween(Window.unboundedPreceding(), -1)), lit(0L)));
    Row r = ranked.agg(sum(col("p").multiply(col("neg_below").plus(col("n").divide(2.0)))), sum("p"), sum("n")).first();
    long positives = r.getLong(1);
    long negatives = r.getLong(2);
    return positives == 0 || negatives == 0 ? Double.NaN : r.getDouble(0) / ((double) positives * negatives);
  }

  /** Appends {@code metrics} as one row to the Delta table at {@code path} (schema {@link #TEST_METRICS}). */
  public static void appendMetrics(SparkSession spark, TestMetrics m, String path) {
    Row row = RowFactory.create(m.modelUri(), m.sweepId(), m.trialId(), m.split(), m.rows(), nullIfNaN(m.accuracy()),
        nullIfNaN(m.macroF1()),
        nullIfNaN(m.logLoss()), nullIfNaN(m.rocAuc()), m.predictionsPath(),
        new Timestamp(System.currentTimeMillis()), nullIfNaN(m.rmse()), nullIfNaN(m.mae()), nullIfNaN(m.r2()));
    // tables written before the regression columns existed gain them
    spark.createDataFrame(List.of(row), TEST_METRICS).write().format("delta").mode("append").option("mergeSchema", "true")
        .save(path);
  }

  private static Double nullIfNaN(double v) {
    return Double.isNaN(v) ? null : v;
  }

  /** The model at {@code uri}, loaded once per JVM. */
  static SavedModel model(String uri) {
    return MODELS.computeIfAbsent(uri, u -> SavedModel.load(u, hadoopConf()));
  }

  /** Drops this JVM's cached models (tests; an executor keeps them for its lifetime). */
  public static void clearCache() {
    MODELS.values().forEach(SavedModel::close);
    MODELS.clear();
  }

  private static Configuration hadoopConf() {
    return dev.prepsweep.tables.SparkHadoopConf.current();
  }

  /**
   * Test metrics of one model on one split.
   *
   * @param rocAuc binary tasks only, NaN otherwise
   * @param rmse regression only (NaN for a classifier), as are {@code mae} and {@code r2}; a regression model's
   *     classification metrics are NaN
   */
  public record TestMetrics(String modelUri, String sweepId, Integer trialId, String split, long rows, double accuracy,
      double macroF1, double logLoss, double rocAuc, String predictionsPath, double rmse, double mae, double r2)
      implements Serializable {

    /** A classifier's metrics. */
    public TestMetrics(String modelUri, String sweepId, Integer trialId, String split, long rows, double accuracy,
        double macroF1, double logLoss, double rocAuc, String predictionsPath) {
      this(modelUri, sweepId, trialId, split, rows, accuracy, macroF1, logLoss, rocAuc, predictionsPath, Double.NaN,
          Double.NaN, Double.NaN);
    }

    /** Whether these are a regression model's metrics (its RMSE is always set, a classifier's never). */
    public boolean regression() {
      return !Double.isNaN(rmse);
    }

    /**
     * The metrics of the model's task, for a log line: RMSE, MAE and R2 of a regression model; accuracy, macro-F1,
     * log loss and (binary tasks) ROC AUC of a classifier. A metric that could not be computed shows as n/a.
     */
    public String summary() {
      return regression()
          ? "RMSE " + format(rmse) + ", MAE " + format(mae) + ", R2 " + format(r2)
          : "accuracy " + format(accuracy) + ", macro-F1 " + format(macroF1) + ", log loss " + format(logLoss)
              + (Double.isNaN(rocAuc) ? "" : ", ROC AUC " + format(rocAuc));
    }

    private static String format(double v) {
      return Double.isNaN(v) ? "n/a" : String.format(java.util.Locale.ROOT, "%.4f", v);
    }
  }

  /**
   * The model inputs of a chunk of scored rows ({@code id, target-or-label, text, features, image}):
   * texts, feature vectors and image bytes, with no labels.
   */
  static SplitRows inputs(List<Row> chunk) {
    int n = chunk.size();
    String[] texts = new String[n];
    double[][] features = new double[n][];
    byte[][] images = new byte[n][];
    for (int i = 0; i < n; i++) {
      Row r = chunk.get(i);
      texts[i] = r.isNullAt(2) ? "" : r.getString(2);
      if (!r.isNullAt(3)) {
        List<Double> f = r.getList(3);
        features[i] = f.stream().mapToDouble(d -> d == null ? Double.NaN : d).toArray();
      }
      images[i] = r.isNullAt(4) ? null : (byte[]) r.get(4);
    }
    return new SplitRows(texts, new int[n], features, images);
  }

  /** Scores one partition in chunks with the executor's cached model. */
  static final class ScorePartition implements MapPartitionsFunction<Row, Row> {
    private final String modelUri;

    ScorePartition(String modelUri) {
      this.modelUri = modelUri;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      SavedModel model = model(modelUri);
      List<String> labels = model.labels();
      return new ChunkedRows(rows, CHUNK, chunk -> score(model, labels, chunk));
    }

    private List<Row> score(SavedModel model, List<String> labels, List<Row> chunk) {
      int n = chunk.size();
      float[] p = model.probabilities(inputs(chunk));
      int k = labels.size();
      List<Row> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int best = 0;
        double[] probs = new double[k];
        for (int c = 0; c < k; c++) {
          probs[c] = (double) p[i * k + c];
          if (p[i * k + c] > p[i * k + best]) {
            best = c;
          }
        }
        Row r = chunk.get(i);
        out.add(RowFactory.create(r.getString(0), r.isNullAt(1) ? null : r.getInt(1), best, labels.get(best),
            probs[best], probs, modelUri));
      }
      return out;
    }
  }
}
