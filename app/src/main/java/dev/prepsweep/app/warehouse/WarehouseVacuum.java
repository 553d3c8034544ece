package dev.prepsweep.app.warehouse;

import dev.prepsweep.tables.PinnedFiles;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.tables.TableCleanup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * {@code prepsweep vacuum}: Delta's {@code VACUUM} of every warehouse table, except that nothing a
 * pinned version ({@link SweepPins}) or another table's latest version (a shallow clone such as
 * {@code train_balanced} references {@code train}'s files) needs is deleted. Delta's VACUUM has no
 * such exception, so each table's candidates come from Delta's own dry run; a table none of whose
 * candidates is needed gets Delta's VACUUM, any other has only the unneeded candidates deleted, one by
 * one. Pinned versions also keep their log: a table whose log retention would let Delta clean up the
 * commits of a pinned version has it lengthened.
 */
public final class WarehouseVacuum {
  /** Margin kept beyond a pin's age when the log retention is lengthened, in days. */
  static final long LOG_MARGIN_DAYS = 30;
  private static final Pattern INTERVAL = Pattern.compile("(?:interval\\s+)?(\\d+)\\s+(week|day|hour)s?", Pattern.CASE_INSENSITIVE);

  /** What a vacuum did (or, dry, would do): per table, and the log retentions it lengthened. */
  public record Result(List<VacuumPlan> plans, List<String> retentionChanges, List<SweepPins.Pin> pins) {
    public long deleted() {
      return plans.stream().mapToLong(p -> p.delete().size()).sum();
    }

    public long kept() {
      return plans.stream().mapToLong(p -> p.keep().size()).sum();
    }
  }

  private WarehouseVacuum() {}

  public static Result run(SparkSession spark, Warehouse warehouse, double retainHours, boolean dryRun) {
    if (!(retainHours >= 0)) {
      throw new IllegalArgumentException("--retain must be a number of hours >= 0, got " + retainHours);
    }
    List<SweepPins.Pin> pins = SweepPins.read(spark, warehouse);
    Map<String, Set<String>> neededBy = new TreeMap<>();
    Set<String> pinnedFiles = new TreeSet<>();
    for (SweepPins.Pin pin : pins) {
      for (String f : PinnedFiles.needed(pin.table(), spark.sparkContext().hadoopConfiguration())) {
        String q = TableCleanup.qualified(spark, f);
        neededBy.computeIfAbsent(q, k -> new TreeSet<>()).add(pin.toString());
        pinnedFiles.add(q);
      }
    }
    List<String> tables = warehouse.tables();
    for (String t : tables) {
      TableVersion latest = warehouse.latest(t);
      String own = TableCleanup.qualified(spark, latest.path()) + "/";
      for (String f : PinnedFiles.needed(latest, spark.sparkContext().hadoopConfiguration())) {
        String q = TableCleanup.qualified(spark, f);
        if (!q.startsWith(own)) {
          neededBy.computeIfAbsent(q, k -> new TreeSet<>()).add("referenced by the latest version of " + t);
          pinnedFiles.add(q);
        }
      }
    }
    List<VacuumPlan> plans = new ArrayList<>();
    for (String t : tables) {
      String path = warehouse.path(t);
      String own = TableCleanup.qualified(spark, path) + "/";
      boolean pinned = pinnedFiles.stream().anyMatch(f -> f.startsWith(own));
      VacuumPlan plan = VacuumPlan.of(t, TableCleanup.vacuumCandidates(spark, path, retainHours), neededBy, pinned);
      plans.add(plan);
      if (!dryRun) {
        if (plan.keep().isEmpty()) {
          TableCleanup.vacuum(spark, path, retainHours);
        } else {
          plan.delete().forEach(f -> TableCleanup.deleteFile(spark, f));
        }
      }
    }
    return new Result(plans, keepLogs(spark, pins, dryRun), pins);
  }

  /** Lengthens the log retention of pinned tables whose pinned commit is near Delta's cleanup. */
  private static List<String> keepLogs(SparkSession spark, List<SweepPins.Pin> pins, boolean dryRun) {
    Map<String, Long> oldest = new TreeMap<>();
    Map<String, String> names = new TreeMap<>();
    long now = System.currentTimeMillis();
    for (SweepPins.Pin pin : pins) {
      OptionalLong at = TableCleanup.commitMillis(spark, pin.table());
      if (at.isPresent()) {
        oldest.merge(pin.table().path(), at.getAsLong(), Math::min);
        names.put(pin.table().path(), pin.table().name());
      }
    }
    List<String> changes = new ArrayList<>();
    for (Map.Entry<String, Long> e : oldest.entrySet()) {
      long neededDays = (now - e.getValue()) / 86_400_000L + LOG_MARGIN_DAYS;
      Map<String, String> props = TableCleanup.properties(spark, e.getKey());
      long logDays = days(props.get("delta.logRetentionDuration"), 30);
      long checkpointDays = days(props.get("delta.checkpointRetentionDuration"), 2);
      if (Math.min(logDays, checkpointDays) < neededDays) {
        String value = "interval " + neededDays + " days";
        changes.add(names.get(e.getKey()) + ": delta.logRetentionDuration and delta.checkpointRetentionDuration "
            + (dryRun ? "would be set" : "set") + " to '" + value + "' (a pinned version is "
            + (neededDays - LOG_MARGIN_DAYS) + " days old)");
        if (!dryRun) {
          TableCleanup.setProperties(spark, e.getKey(), Map.of("delta.logRetentionDuration", value,
              "delta.checkpointRetentionDuration", value));
        }
      }
    }
    return changes;
  }

  /** Whole days of a Delta interval property ("interval 30 days", "2 weeks"); {@code absent} when unset. */
  static long days(String interval, long absent) {
    if (interval == null) {
      return absent;
    }
    Matcher m = INTERVAL.matcher(interval.trim());
    if (!m.matches()) {
      return 0; // a form this does not parse: treat as too short, so it is set explicitly
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase()) {
      case "week" -> n * 7;
      case "day" -> n;
      default -> n / 24;
    };
  }
}
