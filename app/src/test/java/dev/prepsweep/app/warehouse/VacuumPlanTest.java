package dev.prepsweep.app.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The vacuum plan without Spark: needed candidates stay with their reasons, the rest go. */
class VacuumPlanTest {

  @Test
  void neededCandidatesStayWithTheirReasonsAndTheRestGo() {
    VacuumPlan plan = VacuumPlan.of("train", List.of("file:/w/train/a.parquet", "file:/w/train/b.parquet"),
        Map.of("file:/w/train/a.parquet", Set.of("sweep s1 (kept) pins train@0")), true);
    assertThat(plan.keep()).containsExactly(Map.entry("file:/w/train/a.parquet", "sweep s1 (kept) pins train@0"));
    assertThat(plan.delete()).containsExactly("file:/w/train/b.parquet");
  }

  @Test
  void deletionVectorsStayOnlyWhileTheTableIsPinned() {
    List<String> candidates = List.of("file:/w/t/deletion_vector_1.bin", "file:/w/t/c.parquet");
    VacuumPlan pinned = VacuumPlan.of("t", candidates, Map.of(), true);
    assertThat(pinned.keep()).containsOnlyKeys("file:/w/t/deletion_vector_1.bin").containsValue(VacuumPlan.NOT_DATA);
    assertThat(pinned.delete()).containsExactly("file:/w/t/c.parquet");
    assertThat(VacuumPlan.of("t", candidates, Map.of(), false).delete()).isEqualTo(candidates);
  }

  @Test
  void deltaIntervalsInWholeDays() {
    assertThat(WarehouseVacuum.days("interval 30 days", 1)).isEqualTo(30);
    assertThat(WarehouseVacuum.days("2 weeks", 1)).isEqualTo(14);
    assertThat(WarehouseVacuum.days("interval 48 hours", 1)).isEqualTo(2);
    assertThat(WarehouseVacuum.days(null, 7)).isEqualTo(7);
    assertThat(WarehouseVacuum.days("interval 1 month", 7)).as("unparsed: too short, set explicitly").isZero();
  }
}
