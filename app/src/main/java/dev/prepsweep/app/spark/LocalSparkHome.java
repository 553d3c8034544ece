package dev.prepsweep.app.spark;

import java.nio.file.Path;
import java.util.List;

/**
 * The old name of {@link dev.prepsweep.common.spark.LocalSparkHome}, kept for one merge so code
 * written against it still compiles.
 *
 * @deprecated use {@link dev.prepsweep.common.spark.LocalSparkHome}; remove after the issue 18 merge
 */
@Deprecated(forRemoval = true)
public final class LocalSparkHome {

  private final dev.prepsweep.common.spark.LocalSparkHome home;

  private LocalSparkHome(dev.prepsweep.common.spark.LocalSparkHome home) {
    this.home = home;
  }

  public static LocalSparkHome prepare(Path home, List<String> classpath) {
    return new LocalSparkHome(dev.prepsweep.common.spark.LocalSparkHome.prepare(home, classpath));
  }

  public static LocalSparkHome fromThisJvm(Path home) {
    return new LocalSparkHome(dev.prepsweep.common.spark.LocalSparkHome.fromThisJvm(home));
  }

  public Path home() {
    return home.home();
  }

  public String extraClassPath() {
    return home.extraClassPath();
  }
}
