package dev.prepsweep.etl.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How prep writes its files. Profiles of the 1M-row benchmark showed two costs that buy nothing here:
 * Parquet dictionary-encoding columns whose values are nearly all distinct (real-valued features, row
 * ids and the source ids of synthetic rows: the dictionary is built and then abandoned), and Delta
 * collecting min/max statistics per column (prep's tables are read whole or by label, and every file
 * holds every label, so no query skips a file by them).
 */
public final class WriteOptions {
  /** Parquet's dictionary switch of one column: the key followed by the column path. */
  private static final String DICTIONARY = "parquet.enable.dictionary#";
  /** The string columns whose values are nearly all distinct. */
  private static final List<String> DISTINCT_IDS = List.of("id", Cols.SOURCE_ID);
  /**
   * Parquet's per-column dictionary switches for the columns of nearly distinct values: the elements
   * of a {@code features} array (Spark writes a three-level list), {@code id} and {@code source_id}.
   */
  static final List<String> NO_DICTIONARY = Stream.concat(Stream.of("features.list.element"), DISTINCT_IDS.stream())
      .map(column -> DICTIONARY + column).toList();

  private WriteOptions() {}

  /** Options of plain Parquet writes: no dictionary for doubles, arrays of doubles and the ids. */
  static Map<String, String> parquet(StructType schema) {
    Map<String, String> out = new LinkedHashMap<>();
    for (StructField f : schema.fields()) {
      DataType t = f.dataType();
      if (t.equals(DataTypes.DoubleType) || DISTINCT_IDS.contains(f.name())) {
        out.put(DICTIONARY + f.name(), "false");
      } else if (t instanceof ArrayType a && a.elementType().equals(DataTypes.DoubleType)) {
        out.put(DICTIONARY + f.name() + ".list.element", "false");
      }
    }
    return out;
  }


  /**
   * Runs {@code work} with the dictionaries of {@link #NO_DICTIONARY} off for Delta writes too. Delta
   * ignores Parquet options given to the writer but builds its Hadoop configuration from the
   * session's, so the settings are session ones, restored afterwards.
   */
  public static <T> T withoutDictionaryForDistinctValues(SparkSession spark, Supplier<T> work) {
    Map<String, scala.Option<String>> before = new LinkedHashMap<>();
    for (String key : NO_DICTIONARY) {
      before.put(key, spark.conf().getOption(key));
      spark.conf().set(key, "false");
    }
    try {
      return work.get();
    } finally {
      before.forEach((key, value) -> {
        if (value.isDefined()) {
          spark.conf().set(key, value.get());
        } else {
          spark.conf().unset(key);
        }
      });
    }
  }
}
