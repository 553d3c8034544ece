package dev.prepsweep.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.testkit.SharedSpark;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.StructType;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Pins the Delta Kernel internals {@link KernelInternals} wraps: an upgrade that moves or changes them
 * fails here (at compile time or in these assertions), in one place.
 */
class KernelInternalsTest {
  private final SparkSession spark = SharedSpark.session();

  @Test
  void scanFileRowsGiveTheirDataFileDeletionVectorAndPhysicalSchema() {
    String path = SharedSpark.tempDir("internals").resolve("t").toString();
    spark.sql("CREATE TABLE delta.`" + path + "` (id BIGINT, label_index INT) USING delta TBLPROPERTIES"
        + " ('delta.enableDeletionVectors' = 'true', 'delta.columnMapping.mode' = 'name')");
    spark.sql("INSERT INTO delta.`" + path + "` SELECT id, CAST(id % 2 AS INT) FROM range(0, 10)");
    spark.sql("DELETE FROM delta.`" + path + "` WHERE id = 3");
    Engine engine = KernelTables.engine(spark.sparkContext().hadoopConfiguration());
    TableVersion t = new TableVersion("t", path, DeltaIO.latestVersion(spark, path));
    var snapshot = KernelTables.snapshot(engine, t);
    var scan = KernelTables.scan(engine, snapshot, null, t);
    assertThat(scan.files()).hasSizeGreaterThan(0);
    // the DELETE left a deletion vector on the one file that held id 3
    assertThat(scan.files()).filteredOn(f -> KernelInternals.hasDeletionVector(f.row())).hasSize(1);
    var file = scan.files().stream().filter(f -> KernelInternals.hasDeletionVector(f.row())).findFirst().orElseThrow();
    assertThat(KernelInternals.dataFile(file.row()).getPath()).startsWith("file:").endsWith(".parquet")
        .contains(path);
    assertThat(KernelInternals.dataFile(file.row()).getSize()).isPositive();
    assertThat(KernelInternals.hasDeletionVector(file.row())).isTrue();
    assertThat(file.deletionVectorFile()).hasValueSatisfying(dv -> assertThat(dv).contains(path).endsWith(".bin"));
    StructType physical = KernelInternals.physicalReadSchema(engine, scan.state());
    // column mapping: the files hold physical names, not the logical ones
    assertThat(physical.fieldNames()).doesNotContain("id", "label_index")
        .filteredOn(n -> n.startsWith("col-")).hasSize(2);
  }
}
