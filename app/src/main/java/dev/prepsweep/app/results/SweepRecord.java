package dev.prepsweep.app.results;

import java.util.Map;

/**
 * One row of the {@code sweeps} table: what was run, on which data versions, with which code,
 * and how it ended.
 *
 * @param status RUNNING, COMPLETE, FAILED or CANCELLED
 * @param dataVersions table name to the pinned Delta version: the training table ({@code data.train}),
 *     {@code val}, and {@code test} when the warehouse had one
 * @param objectives every metric as {@code name:goal}, in order
 * @param constraints the sweep's constraints as written
 * @param selectionRule the rule that picks the model scored on test (docs/sweeps.md "Selecting the model")
 * @param selectedTrialId the trial that rule picked (also {@code bestTrialId}), null until the sweep ends or
 *     when no trial met it
 * @param paretoFront the trials of Pareto rank 0 when the sweep ended (multi-objective sweeps)
 */
public record SweepRecord(
    String sweepId,
    String status,
    String method,
    String metric,
    String goal,
    long seed,
    int budgetTrials,
    int parallelism,
    String master,
    Map<String, Long> dataVersions,
    Map<String, String> dataPaths,
    String config,
    String configHash,
    String codeVersion,
    long startedAtMillis,
    Long endedAtMillis,
    int trialsComplete,
    int trialsFailed,
    int trialsPruned,
    Integer bestTrialId,
    Double bestValue,
    String message,
    java.util.List<String> objectives,
    java.util.List<String> constraints,
    String selectionRule,
    Integer selectedTrialId,
    java.util.List<Integer> paretoFront) {

  /** A row without objectives, constraints or selection. */
  public SweepRecord(String sweepId, String status, String method, String metric, String goal, long seed,
      int budgetTrials, int parallelism, String master, Map<String, Long> dataVersions, Map<String, String> dataPaths,
      String config, String configHash, String codeVersion, long startedAtMillis, Long endedAtMillis,
      int trialsComplete, int trialsFailed, int trialsPruned, Integer bestTrialId, Double bestValue, String message) {
    this(sweepId, status, method, metric, goal, seed, budgetTrials, parallelism, master, dataVersions, dataPaths, config,
        configHash, codeVersion, startedAtMillis, endedAtMillis, trialsComplete, trialsFailed, trialsPruned, bestTrialId,
        bestValue, message, java.util.List.of(), java.util.List.of(), null, null, null);
  }

  /** Fills the fixed columns of one sweep once; {@link #build} adds the status of the moment. */
  public static final class Builder {
    private final String sweepId;
    private final dev.prepsweep.sweep.spec.SweepSpec spec;
    private final long seed;
    private final int parallelism;
    private final String master;
    private final Map<String, Long> versions;
    private final Map<String, String> paths;
    private final dev.prepsweep.app.config.JobConfig config;
    private final long started;
    private String selectionRule;
    private Integer selectedTrialId;
    private java.util.List<Integer> paretoFront;

    public Builder(String sweepId, dev.prepsweep.sweep.spec.SweepSpec spec, long seed, int parallelism, String master,
        Map<String, Long> versions, Map<String, String> paths, dev.prepsweep.app.config.JobConfig config, long started) {
      this.sweepId = sweepId;
      this.spec = spec;
      this.seed = seed;
      this.parallelism = parallelism;
      this.master = master;
      this.versions = Map.copyOf(versions);
      this.paths = Map.copyOf(paths);
      this.config = config;
      this.started = started;
    }

    /** What the end of the sweep decided; later {@link #build} calls carry it. */
    public void selected(String rule, Integer trial, java.util.List<Integer> front) {
      this.selectionRule = rule;
      this.selectedTrialId = trial;
      this.paretoFront = front == null ? null : java.util.List.copyOf(front);
    }

    public SweepRecord build(String status, String message, int complete, int failed, int pruned, Integer bestTrial,
        Double bestValue) {
      boolean finished = !"RUNNING".equals(status);
      return new SweepRecord(sweepId, status, spec.method().toString(), spec.metrics().get(0).name(),
          spec.metrics().get(0).goal().name().toLowerCase(java.util.Locale.ROOT), seed, spec.budget().trials(), parallelism,
          master, versions, paths, config.text(), config.hash(), CodeVersion.get(), started,
          finished ? System.currentTimeMillis() : null, complete, failed, pruned, bestTrial, bestValue, message,
          spec.metrics().stream().map(m -> m.name() + ":" + m.goal().name().toLowerCase(java.util.Locale.ROOT)).toList(),
          spec.objectives().constraints().stream().map(Object::toString).toList(), selectionRule, selectedTrialId,
          paretoFront);
    }
  }
}
