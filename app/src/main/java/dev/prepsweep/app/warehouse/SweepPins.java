package dev.prepsweep.app.warehouse;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.tables.DeltaIO;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The table versions sweeps pin and must stay readable: those of a sweep that is {@code RUNNING}
 * (running now, or resumable after its driver stopped) or marked {@code keep}. Keep and release are
 * rows appended to the {@code sweep_keeps} table ({@code sweep_id, kept, at}); a sweep's newest row
 * wins, so the history of marks stays queryable.
 */
public final class SweepPins {
  public static final String KEEPS = "sweep_keeps";
  static final StructType KEEPS_SCHEMA = new StructType()
      .add("sweep_id", DataTypes.StringType, false)
      .add("kept", DataTypes.BooleanType, false)
      .add("at", DataTypes.TimestampType, false);

  /** One pinned version and the sweep that pins it ({@code why}: running or kept). */
  public record Pin(String sweepId, String why, TableVersion table) {
    @Override
    public String toString() {
      return "sweep " + sweepId + " (" + why + ") pins " + table.name() + "@" + table.version();
    }
  }

  private SweepPins() {}

  /** Marks a sweep kept ({@code kept}) or releases it; fails for a sweep the warehouse does not have. */
  public static void mark(SparkSession spark, Warehouse warehouse, String sweepId, boolean kept) {
    boolean known = warehouse.exists("sweeps") && !spark.read().format("delta").load(warehouse.path("sweeps"))
        .where(org.apache.spark.sql.functions.col("sweep_id").equalTo(sweepId)).isEmpty();
    if (!known) {
      throw new IllegalArgumentException("no sweep '" + sweepId + "' in " + warehouse.root() + " (see: prepsweep sweep list)");
    }
    Row row = RowFactory.create(sweepId, kept, new Timestamp(System.currentTimeMillis()));
    DeltaIO.append(spark.createDataFrame(List.of(row), KEEPS_SCHEMA), warehouse.root(), KEEPS);
  }

  /** The sweeps marked kept now (their newest mark is keep). */
  public static List<String> kept(SparkSession spark, Warehouse warehouse) {
    if (!warehouse.exists(KEEPS)) {
      return List.of();
    }
    Map<String, Row> newest = new HashMap<>();
    for (Row r : spark.read().format("delta").load(warehouse.path(KEEPS)).collectAsList()) {
      newest.merge(r.getString(0), r, (a, b) -> a.getTimestamp(2).after(b.getTimestamp(2)) ? a : b);
    }
    return newest.values().stream().filter(r -> r.getBoolean(1)).map(r -> r.getString(0)).sorted().toList();
  }

  /** Every pinned version: of sweeps {@code RUNNING} or kept, from {@code sweeps.data_versions/data_paths}. */
  public static List<Pin> read(SparkSession spark, Warehouse warehouse) {
    if (!warehouse.exists("sweeps")) {
      return List.of();
    }
    List<String> kept = kept(spark, warehouse);
    List<Pin> pins = new ArrayList<>();
    for (Row r : spark.read().format("delta").load(warehouse.path("sweeps"))
        .select("sweep_id", "status", "data_versions", "data_paths").collectAsList()) {
      String id = r.getString(0);
      String why = "RUNNING".equals(r.getString(1)) ? "running or resumable" : kept.contains(id) ? "kept" : null;
      if (why == null || r.isNullAt(2)) {
        continue;
      }
      Map<String, Long> versions = r.getJavaMap(2);
      Map<String, String> paths = r.isNullAt(3) ? Map.of() : r.getJavaMap(3);
      versions.forEach((name, v) -> pins.add(new Pin(id, why,
          new TableVersion(name, paths.getOrDefault(name, warehouse.path(name)), v))));
    }
    pins.sort(Comparator.comparing(Pin::sweepId).thenComparing(p -> p.table().name()));
    return pins;
  }
}
