package dev.prepsweep.etl.internal;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a reader produced: one row per input record with {@link Cols#RULE}/{@link Cols#REASON} (a
 * read-level rejection or null), the role columns {@code _r_*}, and whatever columns {@code source}
 * needs.
 *
 * @param df the records
 * @param source the original record as a string, evaluated only for rejected rows
 * @param location the resolved input location
 * @param version the Delta version read, or null for other formats
 */
public record RawInput(Dataset<Row> df, Column source, String location, Long version) {}
