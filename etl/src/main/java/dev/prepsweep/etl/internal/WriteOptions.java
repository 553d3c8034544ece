package dev.prepsweep.etl.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How prep writes its files. Profiles of the 1M-row benchmark showed two costs that buy nothing here:
 * Parquet dictionary-encoding real-valued features (nearly every value is distinct, so the dictionary
 * is built and then abandoned), and Delta collecting min/max statistics per column (prep's tables are
 * read whole or by label, and every file holds every label, so no query skips a file by them).
 */
public final class WriteOptions {
  /** The column path Spark gives the elements of a {@code features} array (a three-level list). */
  static final String FEATURES_NO_DICTIONARY = "parquet.enable.dictionary#features.list.element";

  private WriteOptions() {}

  /** Options of plain Parquet writes: no dictionary for double columns or arrays of doubles. */
  static Map<String, String> parquet(StructType schema) {
    Map<String, String> out = new LinkedHashMap<>();
    for (StructField f : schema.fields()) {
      DataType t = f.dataType();
      if (t.equals(DataTypes.DoubleType)) {
        out.put("parquet.enable.dictionary#" + f.name(), "false");
      } else if (t instanceof ArrayType a && a.elementType().equals(DataTypes.DoubleType)) {
        out.put("parquet.enable.dictionary#" + f.name() + ".list.element", "false");
      }
    }
    return out;
  }

  /** Table properties of the Delta tables prep creates: row counts only, no column statistics. */
  static Map<String, String> deltaTableProperties() {
    return Map.of("delta.dataSkippingNumIndexedCols", "0");
  }

  /**
   * Runs {@code work} with the features dictionary off for Delta writes too. Delta ignores Parquet
   * options given to the writer but builds its Hadoop configuration from the session's, so the setting
   * is a session one, restored afterwards.
   */
  public static <T> T withoutFeatureDictionary(SparkSession spark, Supplier<T> work) {
    scala.Option<String> before = spark.conf().getOption(FEATURES_NO_DICTIONARY);
    spark.conf().set(FEATURES_NO_DICTIONARY, "false");
    try {
      return work.get();
    } finally {
      if (before.isDefined()) {
        spark.conf().set(FEATURES_NO_DICTIONARY, before.get());
      } else {
        spark.conf().unset(FEATURES_NO_DICTIONARY);
      }
    }
  }
}
