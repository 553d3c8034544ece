package dev.prepsweep.common;

import java.io.Serializable;
import java.util.Objects;

/**
 * A Delta table pinned at one version: what a sweep trains on and records as lineage. Only this
 * (never a DataFrame or session) crosses from the driver to executors.
 *
 * @param name the logical table name, e.g. {@code train}
 * @param path the table location (any Hadoop filesystem URI or local path)
 * @param version the Delta commit version
 */
public record TableVersion(String name, String path, long version) implements Serializable {
  public TableVersion {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    if (version < 0) {
      throw new IllegalArgumentException("table " + name + ": version must be >= 0, got " + version);
    }
  }

  @Override
  public String toString() {
    return name + "@v" + version;
  }
}
