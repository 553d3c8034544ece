package dev.prepsweep.etl;

import dev.prepsweep.etl.internal.Lineage;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code prep_runs} table as other modules see it: its name and schema. The rows are written by
 * prep's internal lineage; readers outside {@code etl} (reports, their tests) use this class, since
 * {@code etl.internal} is prep's own (ModuleBoundariesTest in app checks it).
 */
public final class PrepRunsTable {

  /** The table's name in the warehouse. */
  public static final String NAME = "prep_runs";

  /** One row per prep run: inputs, config, per-stage counts and durations, output versions. */
  public static final StructType SCHEMA = Lineage.SCHEMA;

  private PrepRunsTable() {}
}
