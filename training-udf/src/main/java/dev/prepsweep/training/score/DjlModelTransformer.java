package dev.prepsweep.training.score;

import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} over a trial's saved DJL model, so scoring fits in ML pipelines:
 * each executor loads the model once ({@link ModelScorer}'s per-JVM cache) and scores its
 * partitions; only the model URI is serialized. Input: a prepsweep split table ({@code id},
 * {@code text}, and {@code features}/{@code image} as the model family needs); output:
 * {@link ModelScorer#PREDICTIONS}.
 */
public final class DjlModelTransformer extends Transformer {

  private final String uid;
  private final String modelUri;

  public DjlModelTransformer(String modelUri) {
    this(Identifiable$.MODULE$.randomUID("djlModel"), modelUri);
  }

  private DjlModelTransformer(String uid, String modelUri) {
    if (modelUri == null || modelUri.isBlank()) {
      throw new IllegalArgumentException("a model URI is required (a trial's model_uri)");
    }
    this.uid = uid;
    this.modelUri = modelUri;
  }

  public String modelUri() {
    return modelUri;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    return ModelScorer.score(dataset.toDF(), modelUri);
  }

  /**
   * @throws IllegalArgumentException when the input lacks {@code id} or {@code text}
   */
  @Override
  public StructType transformSchema(StructType schema) {
    ModelScorer.requireScorable(schema.fieldNames());
    return ModelScorer.PREDICTIONS;
  }

  @Override
  public DjlModelTransformer copy(ParamMap extra) {
    return new DjlModelTransformer(uid, modelUri);
  }

  @Override
  public String uid() {
    return uid;
  }
}
