package dev.prepsweep.app.driver;

import dev.prepsweep.common.TableVersion;
import java.util.Map;
import java.util.Optional;

/** How a sweep ended, for the command line (exit code, leaderboard) and the test scoring (the pinned test split). */
public record SweepSummary(
    String sweepId,
    String status,
    int complete,
    int failed,
    int pruned,
    Integer bestTrialId,
    Double bestValue,
    String metric,
    boolean maximize,
    Map<String, Long> dataVersions,
    Optional<TableVersion> test) {}
