package dev.prepsweep.etl.internal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import dev.prepsweep.etl.PrepConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;

/** Helpers for record-shaped columns. */
public final class Records {
  private Records() {}

  /** The cleaned record as JSON (id, label, text, features, group), for quarantined clean rows. */
  public static Column cleanedJson(PrepConfig config) {
    List<Column> fields = new ArrayList<>();
    fields.add(col("id"));
    fields.add(col("label"));
    if (!config.columns().text().isEmpty() || config.input().format() == PrepConfig.Format.TEXT) {
      fields.add(col("text"));
    }
    for (int i = 0; i < config.columns().features().size(); i++) {
      fields.add(col(Cols.feature(i)).as(config.columns().features().get(i)));
    }
    if (config.columns().group() != null) {
      fields.add(col("group"));
    }
    return to_json(struct(fields.toArray(Column[]::new)));
  }
}
