package dev.prepsweep.etl.internal;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a reader produced: one row per input record with {@link Cols#SRC} (the original record, only
 * needed for rejected rows), {@link Cols#RULE}/{@link Cols#REASON} (a read-level rejection or null),
 * and the role columns {@code _r_*}.
 *
 * @param df the records
 * @param location the resolved input location
 * @param version the Delta version read, or null for other formats
 */
public record RawInput(Dataset<Row> df, String location, Long version) {}
