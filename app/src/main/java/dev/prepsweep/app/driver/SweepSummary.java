package dev.prepsweep.app.driver;

import java.util.Map;

/** How a sweep ended, for the command line (exit code, leaderboard). */
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
    Map<String, Long> dataVersions) {}
