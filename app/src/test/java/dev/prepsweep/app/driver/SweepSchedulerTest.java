package dev.prepsweep.app.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.prepsweep.app.config.JobConfig;
import dev.prepsweep.app.driver.InMemoryLauncher.Fail;
import dev.prepsweep.app.driver.InMemoryLauncher.Hang;
import dev.prepsweep.app.driver.InMemoryLauncher.Lose;
import dev.prepsweep.app.driver.InMemoryLauncher.Plan;
import dev.prepsweep.app.driver.InMemoryLauncher.Train;
import dev.prepsweep.app.results.ResultTables;
import dev.prepsweep.app.results.SweepRecord;
import dev.prepsweep.app.results.TrialRecord;
import dev.prepsweep.common.TableVersion;
import dev.prepsweep.sweep.spec.SweepSpec;
import dev.prepsweep.sweep.study.Study;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import dev.prepsweep.training.EpochMetrics;
import dev.prepsweep.training.ServingCost;
import dev.prepsweep.training.TrialSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The sweep scheduler driven by an {@link InMemoryLauncher} (no Spark): each test asserts the exact
 * sequence of launches ({@code launch t<trial>.<attempt> -><target epoch>}) and rows
 * ({@code row t<trial>.<attempt> <state> [value]}) and the sweep's last row.
 */
class SweepSchedulerTest {

  private static final long START = 1_700_000_000_000L;
  private static final long EXECUTOR_WAIT_MILLIS = 5_000;

  private final AtomicLong clock = new AtomicLong(START);
  private final List<String> events = new ArrayList<>();
  private final List<TrialRecord> rows = new ArrayList<>();
  private final List<SweepRecord> sweepRows = new ArrayList<>();
  private InMemoryLauncher launcher;

  /** A sweep over {@code lr} whose every trial trains 2 epochs, with {@code extra} lines in its {@code sweep:} section. */
  private static String sweep(String... extra) {
    return """
        train: {epochs: 2}
        sweep:
          method: random
          metric: {name: val_accuracy, goal: maximize}
          parameters:
            lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}
        """ + String.join("", List.of(extra).stream().map(l -> "  " + l + "\n").toList());
  }

  /** Every attempt trains; trial n's accuracy is 0.5 + n/20 at every epoch. */
  private static Plan trains(TrialSpec s) {
    return new Train(e -> 0.5 + s.trialId() / 20.0);
  }

  private SweepSummary run(String yaml, Function<TrialSpec, Plan> plans) {
    return run(yaml, plans, false, () -> false);
  }

  private SweepSummary run(String yaml, Function<TrialSpec, Plan> plans, boolean lastFirst, BooleanSupplier cancel) {
    SweepRun run = sweepRun(yaml);
    return run(run, Study.fromSpec(run.spec(), run.seed()), SweepScheduler.History.NONE,
        new InMemoryLauncher(clock, events, plans, lastFirst), cancel);
  }

  private SweepSummary run(SweepRun run, Study study, SweepScheduler.History history, InMemoryLauncher l,
      BooleanSupplier cancel) {
    launcher = l;
    SweepScheduler.Controls controls = new SweepScheduler.Controls() {
      @Override
      public boolean cancelRequested() {
        return cancel.getAsBoolean();
      }

      @Override
      public Optional<String> leaseLost() {
        return Optional.empty();
      }
    };
    SweepSpec spec = run.spec();
    SweepScheduler.Settings settings = new SweepScheduler.Settings(spec.parallelism(), 0, Long.MAX_VALUE, 4,
        new HangRule(spec.guards().trialTimeout(), spec.guards().missedHeartbeats(), InMemoryLauncher.STEP_MILLIS),
        "memory", EXECUTOR_WAIT_MILLIS);
    return new SweepScheduler(run, new AttemptSpecs(run, "/tmp/prepsweep-scheduler-test"), study, l, records(),
        controls, clock::get, settings).run(history);
  }

  private static SweepRun sweepRun(String yaml) {
    JobConfig config = JobConfig.parse(yaml, "test.yaml");
    SweepSpec spec = config.requireSweep();
    return new SweepRun("sw-test", config, spec, spec.seedOr(config.seed()), new TableVersion("train", "/w/train", 3),
        new TableVersion("val", "/w/val", 3), Optional.empty(), new PinnedData(List.of("neg", "pos"), null, null), START);
  }

  private SweepScheduler.Records records() {
    return new SweepScheduler.Records() {
      @Override
      public void write(TrialRecord r) {
        rows.add(r);
        events.add("row t" + r.trialId() + "." + r.attempt() + " " + r.state()
            + (r.values().isEmpty() ? "" : String.format(" %.2f", r.values().get(0))));
      }

      @Override
      public void write(SweepRecord r) {
        sweepRows.add(r);
        if (!r.status().equals("RUNNING")) {
          events.add("sweep " + r.status() + " complete " + r.trialsComplete() + " failed " + r.trialsFailed()
              + " pruned " + r.trialsPruned());
        }
      }

      @Override
      public void rank(int trial, int attempt, int paretoRank) {
        events.add("rank t" + trial + "." + attempt + " " + paretoRank);
      }

      @Override
      public void flush() {
        events.add("flush");
      }

      @Override
      public void discardPending() {
        events.add("discard");
      }
    };
  }

  private TrialRecord row(int trial, int attempt, String state) {
    return rows.stream().filter(r -> r.trialId() == trial && r.attempt() == attempt && r.state().equals(state))
        .reduce((a, b) -> b).orElseThrow();
  }

  // ---- budgets

  @Test
  void trialsBudgetKeepsParallelismInFlightAndLaunchesAsSlotsFree() {
    SweepSummary s = run(sweep("budget: {trials: 3}", "parallelism: 2"), SweepSchedulerTest::trains);
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->2",
        "row t1.1 RUNNING", "launch t1.1 ->2",
        "row t0.1 COMPLETE 0.50",
        "row t2.1 RUNNING", "launch t2.1 ->2",
        "row t1.1 COMPLETE 0.55",
        "row t2.1 COMPLETE 0.60",
        "sweep COMPLETE complete 3 failed 0 pruned 0", "flush");
    assertThat(s.bestTrialId()).isEqualTo(2);
    assertThat(s.status()).isEqualTo("COMPLETE");
  }

  @Test
  void wallTimeStopsNewTrialsOnceSpent() {
    // each trial takes one step (1 s) of the test clock; 2 s are used up after the third
    SweepSummary s = run(sweep("budget: {trials: 10, wall_time: 2s}"), SweepSchedulerTest::trains);
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->2", "row t0.1 COMPLETE 0.50",
        "row t1.1 RUNNING", "launch t1.1 ->2", "row t1.1 COMPLETE 0.55",
        "row t2.1 RUNNING", "launch t2.1 ->2", "row t2.1 COMPLETE 0.60",
        "sweep COMPLETE complete 3 failed 0 pruned 0", "flush");
    assertThat(s.complete()).isEqualTo(3);
  }

  @Test
  void failureBudgetEndsTheSweepFailed() {
    SweepSummary s = run(sweep("budget: {trials: 6, failures: 2}"), t -> new Fail("boom"));
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->2", "row t0.1 FAILED",
        "row t1.1 RUNNING", "launch t1.1 ->2", "row t1.1 FAILED",
        "sweep FAILED complete 0 failed 2 pruned 0", "flush");
    assertThat(s.status()).isEqualTo("FAILED");
    assertThat(sweepRows.get(sweepRows.size() - 1).message()).isEqualTo("2 trials failed: the failure budget (2) is spent");
  }

  @Test
  void targetStopsOnceATrialReachesIt() {
    SweepSummary s = run(sweep("budget: {trials: 10, target: 0.6}"), SweepSchedulerTest::trains);
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->2", "row t0.1 COMPLETE 0.50",
        "row t1.1 RUNNING", "launch t1.1 ->2", "row t1.1 COMPLETE 0.55",
        "row t2.1 RUNNING", "launch t2.1 ->2", "row t2.1 COMPLETE 0.60",
        "sweep COMPLETE complete 3 failed 0 pruned 0", "flush");
    assertThat(s.bestValue()).isEqualTo(0.6);
  }

  // ---- retries

  @Test
  void failedAttemptIsRetriedWithTheSameSeed() {
    run(sweep("budget: {trials: 2}", "max_retries: 1"),
        t -> t.trialId() == 0 && t.attempt() == 1 ? new Fail("flaky") : trains(t));
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->2", "row t0.1 FAILED",
        "row t0.2 RUNNING", "launch t0.2 ->2", "row t0.2 COMPLETE 0.50",
        "row t1.1 RUNNING", "launch t1.1 ->2", "row t1.1 COMPLETE 0.55",
        "sweep COMPLETE complete 2 failed 0 pruned 0", "flush");
    assertThat(launcher.launched.get(1).seed()).isEqualTo(launcher.launched.get(0).seed());
    assertThat(launcher.launched.get(1).params()).isEqualTo(launcher.launched.get(0).params());
  }

  @Test
  void retrySeedNewGivesTheRetryADerivedSeed() {
    run(sweep("budget: {trials: 1}", "max_retries: 2", "retry_seed: new"),
        t -> t.attempt() < 3 ? new Fail("seed-dependent") : trains(t));
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->2", "row t0.1 FAILED",
        "row t0.2 RUNNING", "launch t0.2 ->2", "row t0.2 FAILED",
        "row t0.3 RUNNING", "launch t0.3 ->2", "row t0.3 COMPLETE 0.50",
        "sweep COMPLETE complete 1 failed 0 pruned 0", "flush");
    long first = launcher.launched.get(0).seed();
    assertThat(launcher.launched.stream().map(TrialSpec::seed).toList()).containsExactly(first,
        AttemptSpecs.retrySeed(first, 2, SweepSpec.RetrySeed.NEW), AttemptSpecs.retrySeed(first, 3, SweepSpec.RetrySeed.NEW))
        .doesNotHaveDuplicates();
  }

  @Test
  void retriesSpentFailTheTrialAndTheSweepGoesOn() {
    SweepSummary s = run(sweep("budget: {trials: 2}", "max_retries: 1"),
        t -> t.trialId() == 0 ? new Fail("always") : trains(t));
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->2", "row t0.1 FAILED",
        "row t0.2 RUNNING", "launch t0.2 ->2", "row t0.2 FAILED",
        "row t1.1 RUNNING", "launch t1.1 ->2", "row t1.1 COMPLETE 0.55",
        "sweep COMPLETE complete 1 failed 1 pruned 0", "flush");
    assertThat(s.failed()).isEqualTo(1);
  }

  @Test
  void hungAttemptTimesOutIsCancelledAndRetried() {
    run(sweep("budget: {trials: 1}", "max_retries: 1", "trial_timeout: 3s"),
        t -> t.attempt() == 1 ? new Hang() : trains(t));
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->2", "row t0.1 TIMED_OUT",
        "row t0.2 RUNNING", "launch t0.2 ->2", "row t0.2 COMPLETE 0.50",
        "sweep COMPLETE complete 1 failed 0 pruned 0", "flush");
    assertThat(row(0, 1, "TIMED_OUT").error()).startsWith("the attempt ran 4.0 s, longer than trial_timeout (3 s)");
  }

  @Test
  void silentAttemptIsLostAfterItsMissedHeartbeats() {
    run(sweep("budget: {trials: 1}", "missed_heartbeats: 2"), t -> t.attempt() == 1 ? new Hang() : trains(t));
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->2", "row t0.1 LOST",
        "sweep FAILED complete 0 failed 1 pruned 0", "flush");
    assertThat(row(0, 1, "LOST").error()).startsWith("no heartbeat from the attempt's task for 3.0 s");
  }

  @Test
  void executorLostIsRecordedAndRerunWithoutUsingMaxRetries() {
    ExecutorLoss killed = new ExecutorLoss("7", "host-b", false, "Command exited with code 137", null);
    run(sweep("budget: {trials: 1}"), t -> t.attempt() == 1 ? new Lose(killed) : trains(t));
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->2", "row t0.1 LOST",
        "row t0.2 RUNNING", "launch t0.2 ->2", "row t0.2 COMPLETE 0.50",
        "sweep COMPLETE complete 1 failed 0 pruned 0", "flush");
    TrialRecord lost = row(0, 1, "LOST");
    assertThat(lost.executorId()).isEqualTo("7");
    assertThat(lost.host()).isEqualTo("host-b");
    assertThat(lost.error()).isEqualTo(killed.reason() + "; the trial runs again as attempt 2");
  }

  @Test
  void executorOutOfMemoryCountsAgainstTheTrial() {
    ExecutorLoss oom = new ExecutorLoss("7", "host-b", true, "Command exited with code 52", null);
    run(sweep("budget: {trials: 1}"), t -> new Lose(oom));
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->2", "row t0.1 LOST",
        "sweep FAILED complete 0 failed 1 pruned 0", "flush");
    assertThat(row(0, 1, "LOST").error()).isEqualTo(oom.reason());
  }

  // ---- pruning, promotion, finishing

  @Test
  void ashaContinuesTheTopThirdAtARungAndPausesTheRest() {
    // rungs 1 and 3; trial n's accuracy 0.5 + n/20: each new trial is the best at rung 1, and from the
    // third trial on (floor(3/3) = 1) the best one there continues at once
    SweepSummary s = run(sweep("budget: {trials: 4}",
        "early_terminate: {type: asha, min_resource: 1, max_resource: 3, eta: 3}"), SweepSchedulerTest::trains);
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->1", "row t0.1 PRUNED 0.50",
        "row t1.1 RUNNING", "launch t1.1 ->1", "row t1.1 PRUNED 0.55",
        "row t2.1 RUNNING", "launch t2.1 ->1", "row t2.1 RUNNING",
        "row t2.1 RUNNING", "launch t2.1 ->3", "row t2.1 COMPLETE 0.60",
        "row t3.1 RUNNING", "launch t3.1 ->1", "row t3.1 RUNNING",
        "row t3.1 RUNNING", "launch t3.1 ->3", "row t3.1 COMPLETE 0.65",
        "sweep COMPLETE complete 2 failed 0 pruned 2", "flush");
    assertThat(s.bestTrialId()).isEqualTo(3);
  }

  @Test
  void ashaPromotesAPausedTrialOnceItRanksInTheTopThird() {
    // trial n's accuracy 0.7 - n/20: the first trial is paused alone at rung 1, and promoted (continuing its
    // attempt from its checkpoint) once the third trial makes it the top third there
    SweepSummary s = run(sweep("budget: {trials: 4}",
        "early_terminate: {type: asha, min_resource: 1, max_resource: 3, eta: 3}"),
        t -> new Train(e -> 0.7 - t.trialId() / 20.0));
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->1", "row t0.1 PRUNED 0.70",
        "row t1.1 RUNNING", "launch t1.1 ->1", "row t1.1 PRUNED 0.65",
        "row t2.1 RUNNING", "launch t2.1 ->1", "row t2.1 PRUNED 0.60",
        "row t0.1 RUNNING", "launch t0.1 ->3", "row t0.1 COMPLETE 0.70",
        "row t3.1 RUNNING", "launch t3.1 ->1", "row t3.1 PRUNED 0.55",
        "sweep COMPLETE complete 1 failed 0 pruned 3", "flush");
    assertThat(s.bestTrialId()).isEqualTo(0);
    assertThat(row(0, 1, "COMPLETE").resumedFromEpoch()).isEqualTo(1);
  }

  @Test
  void spentBudgetWithEveryTrialPausedFinishesTheBestOne() {
    // rungs 1, 3, 9: alone at rungs 3 and 9, and two at rung 1, no trial is ever in the top third; with the
    // budget spent and nothing running, Study.finishing continues the best paused trial rung by rung
    SweepSummary s = run(sweep("budget: {trials: 2}",
        "early_terminate: {type: asha, min_resource: 1, max_resource: 9, eta: 3}"), SweepSchedulerTest::trains);
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->1", "row t0.1 PRUNED 0.50",
        "row t1.1 RUNNING", "launch t1.1 ->1", "row t1.1 PRUNED 0.55",
        "row t1.1 RUNNING", "launch t1.1 ->3", "row t1.1 PRUNED 0.55",
        "row t1.1 RUNNING", "launch t1.1 ->9", "row t1.1 COMPLETE 0.55",
        "sweep COMPLETE complete 1 failed 0 pruned 1", "flush");
    assertThat(s.complete()).isEqualTo(1);
    assertThat(launcher.checkpoints).containsEntry(0, 1).containsEntry(1, 9);
  }

  /**
   * Each trial's (fold, epoch) and the attempts whose rows of {@code trial_metrics} hold it: what the records ask the
   * writer to write (the writer keeps one row per trial, attempt, epoch and fold, so one attempt rewriting its rows
   * adds none).
   */
  private Map<List<Integer>, java.util.Set<Integer>> epochRowAttempts() {
    Map<List<Integer>, java.util.Set<Integer>> out = new java.util.TreeMap<>(java.util.Comparator
        .comparing((List<Integer> k) -> k.get(0)).thenComparing(k -> k.get(1) == null ? -1 : k.get(1))
        .thenComparing(k -> k.get(2)));
    int fold = ResultTables.METRICS_SCHEMA.fieldIndex("fold");
    for (TrialRecord r : rows) {
      for (org.apache.spark.sql.Row m : ResultTables.metricRows(r)) {
        out.computeIfAbsent(java.util.Arrays.asList(m.getInt(1), (Integer) m.get(fold), m.getInt(3)),
            k -> new java.util.TreeSet<>()).add(m.getInt(2));
      }
    }
    return out;
  }

  @Test
  void aPromotedTrialLostAtItsNextRungWritesEachEpochRowOnce() {
    // issue #17's chaos test: trial 2 reaches rung 1 (epoch 1) in attempt 1, which is lost in its rung-3 task; the
    // rerun (attempt 2) continues from the checkpoint at epoch 1 and trains epochs 2 and 3
    ExecutorLoss killed = new ExecutorLoss("7", "host-b", false, "Command exited with code 137", null);
    run(sweep("budget: {trials: 3}", "early_terminate: {type: asha, min_resource: 1, max_resource: 3, eta: 3}"),
        t -> t.trialId() == 2 && t.attempt() == 1 && AttemptSpecs.targetOf(t) == 3 ? new Lose(killed) : trains(t));
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->1", "row t0.1 PRUNED 0.50",
        "row t1.1 RUNNING", "launch t1.1 ->1", "row t1.1 PRUNED 0.55",
        "row t2.1 RUNNING", "launch t2.1 ->1", "row t2.1 RUNNING",
        "row t2.1 RUNNING", "launch t2.1 ->3", "row t2.1 LOST",
        "row t2.2 RUNNING", "launch t2.2 ->3", "row t2.2 COMPLETE 0.60",
        "sweep COMPLETE complete 1 failed 0 pruned 2", "flush");
    // epoch 1's row is attempt 1's (it recorded it), epochs 2 and 3 are the rerun's: one row each
    Map<List<Integer>, java.util.Set<Integer>> written = epochRowAttempts();
    assertThat(written).containsEntry(java.util.Arrays.asList(2, null, 1), java.util.Set.of(1))
        .containsEntry(java.util.Arrays.asList(2, null, 2), java.util.Set.of(2))
        .containsEntry(java.util.Arrays.asList(2, null, 3), java.util.Set.of(2));
    assertThat(written.values()).as("each (trial, fold, epoch) is written by one attempt: %s", written)
        .allSatisfy(attempts -> assertThat(attempts).hasSize(1));
    // the trials row still counts and ranks the trial's whole history
    assertThat(row(2, 2, "COMPLETE").epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
  }

  // ---- cancellation

  @Test
  void cancelStopsRunningAttemptsAndLaunchesNothingMore() {
    // cancel once the first trial completed: the scheduler sees the request on its next wait, in which the
    // second trial finished (kept COMPLETE); the two still running are cancelled, nothing new starts
    SweepSummary s = run(sweep("budget: {trials: 6}", "parallelism: 3"), SweepSchedulerTest::trains, false,
        () -> events.contains("row t0.1 COMPLETE 0.50"));
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->2",
        "row t1.1 RUNNING", "launch t1.1 ->2",
        "row t2.1 RUNNING", "launch t2.1 ->2",
        "row t0.1 COMPLETE 0.50",
        "row t3.1 RUNNING", "launch t3.1 ->2",
        "row t1.1 COMPLETE 0.55",
        "row t2.1 CANCELLED", "row t3.1 CANCELLED",
        "sweep CANCELLED complete 2 failed 0 pruned 0", "flush");
    assertThat(s.status()).isEqualTo("CANCELLED");
  }

  // ---- resume

  @Test
  void resumeClosesRunningOrphansAsLostAndRerunsThemFirst() {
    SweepRun run = sweepRun(sweep("budget: {trials: 3}"));
    Map<String, Object> lr = Map.of("lr", 0.01);
    List<Trial> history = List.of(
        new Trial(0, lr, TrialState.COMPLETE, List.of(0.5), null),
        new Trial(1, lr, TrialState.RUNNING, List.of(), null));
    EpochMetrics epoch1 = new EpochMetrics(1, 0.4, 0.4, 0.6, 0.6, 1.0, 100, 0.6, 0.01);
    InMemoryLauncher l = new InMemoryLauncher(clock, events, SweepSchedulerTest::trains, false);
    l.checkpoints.put(1, 1);
    SweepSummary s = run(run, Study.resumeKeepingRunning(run.spec(), run.seed(), history),
        new SweepScheduler.History(Map.of(1, 2), Map.of(0, 1, 1, 1), Map.of(1, List.of(epoch1)), " (driver x)"), l,
        () -> false);
    assertThat(events).containsExactly(
        "row t1.1 LOST",
        "row t1.2 RUNNING", "launch t1.2 ->2", "row t1.2 COMPLETE 0.60",
        "row t2.1 RUNNING", "launch t2.1 ->2", "row t2.1 COMPLETE 0.60",
        "sweep COMPLETE complete 3 failed 0 pruned 0", "flush");
    assertThat(row(1, 1, "LOST").error())
        .isEqualTo("the driver stopped while this attempt ran (driver x); sweep resume reran the trial as attempt 2");
    // the rerun continued from the recorded epoch: its row holds both epochs
    assertThat(row(1, 2, "COMPLETE").epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2);
    // but only epoch 2 is its row of trial_metrics: the dead driver wrote epoch 1's
    assertThat(epochRowAttempts()).containsEntry(java.util.Arrays.asList(1, null, 2), java.util.Set.of(2))
        .doesNotContainKey(java.util.Arrays.asList(1, null, 1));
    assertThat(s.complete()).isEqualTo(3);
  }

  // ---- cross-validation: folds that finished are kept

  /** Fold f's accuracy is 0.5 + f/10 at every epoch; a fold task told to lose its executor fails with the attempt. */
  private static Plan foldTrains(TrialSpec task) {
    return new Train(e -> 0.5 + task.fold() / 10.0, latency(1.0 + task.fold()));
  }

  private static final String CV = "cv: {folds: 3}\n";

  /** Each fold's epoch numbers that {@code row} writes to trial_metrics. */
  private static List<List<Integer>> foldEpochRows(TrialRecord row) {
    return row.foldEpochs().stream().map(f -> f.stream().map(EpochMetrics::epoch).toList()).toList();
  }

  @Test
  void aLostCrossValidatedAttemptRerunsOnlyItsUnfinishedFolds() {
    ExecutorLoss killed = new ExecutorLoss("7", "host-b", false, "Command exited with code 137", null);
    run(CV + sweep("budget: {trials: 1}"),
        t -> t.attempt() == 1 && t.fold() > 0 ? new Lose(killed) : foldTrains(t));
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->2 folds [0, 1, 2]",
        "row t0.1 RUNNING", "row t0.1 LOST",
        "row t0.2 RUNNING", "launch t0.2 ->2 folds [1, 2]", "row t0.2 RUNNING", "row t0.2 RUNNING",
        "row t0.2 COMPLETE 0.60",
        "sweep COMPLETE complete 1 failed 0 pruned 0", "flush");
    // fold 0 finished in attempt 1: its epochs are that attempt's rows, and the value is still the mean of 3 folds
    assertThat(foldEpochRows(row(0, 1, "LOST"))).containsExactly(List.of(1, 2), List.of(), List.of());
    TrialRecord complete = row(0, 2, "COMPLETE");
    assertThat(foldEpochRows(complete)).containsExactly(List.of(), List.of(1, 2), List.of(1, 2));
    assertThat(complete.foldValues()).containsExactly(0.5, 0.6, 0.7);
    assertThat(complete.valueStd()).isCloseTo(FoldRounds.std(List.of(0.5, 0.6, 0.7)), within(1e-12));
    assertThat(complete.values().get(0)).isCloseTo((0.5 + 0.6 + 0.7) / 3, within(1e-12));
    // the test split is scored with fold 0's kept model, although fold 0 did not run in the last attempt
    assertThat(complete.modelUri()).isEqualTo("/tmp/prepsweep-scheduler-test/sw-test/trial-0/fold-0/best");
    // its serving cost is fold 0's model's (the one served), measured in attempt 1: latency objectives need one
    assertThat(complete.serving()).isNotNull();
    assertThat(complete.serving().latencyP50Ms()).isEqualTo(1.0);
  }

  @Test
  void aResumedCrossValidatedTrialTrainsOnlyTheFoldsTheDeadDriverLeftUnfinished() {
    SweepRun run = sweepRun(CV + sweep("budget: {trials: 1}"));
    List<Trial> history = List.of(new Trial(0, Map.of("lr", 0.01), TrialState.RUNNING, List.of(), null));
    // the dead driver recorded fold 0 whole (2 epochs) and fold 1's first epoch; fold 2 had nothing yet
    List<List<EpochMetrics>> folds = List.of(
        List.of(foldEpoch(1, 0.5), foldEpoch(2, 0.5)), List.of(foldEpoch(1, 0.6)), List.of());
    InMemoryLauncher l = new InMemoryLauncher(clock, events, SweepSchedulerTest::foldTrains, false);
    l.foldCheckpoints.put("0/1", 1);
    run(run, Study.resumeKeepingRunning(run.spec(), run.seed(), history),
        new SweepScheduler.History(Map.of(0, 2), Map.of(0, 1), Map.of(), "", Map.of(0, folds), List.of()), l,
        () -> false);
    assertThat(events).containsExactly(
        "row t0.1 LOST",
        "row t0.2 RUNNING", "launch t0.2 ->2 folds [1, 2]", "row t0.2 RUNNING", "row t0.2 RUNNING",
        "row t0.2 COMPLETE 0.60",
        "sweep COMPLETE complete 1 failed 0 pruned 0", "flush");
    TrialRecord complete = row(0, 2, "COMPLETE");
    // fold 1 continued from its checkpoint; the epochs the dead driver wrote are not written again
    assertThat(complete.resumedFromEpoch()).isEqualTo(0);
    assertThat(foldEpochRows(complete)).containsExactly(List.of(), List.of(2), List.of(1, 2));
    assertThat(complete.foldValues()).containsExactly(0.5, 0.6, 0.7);
    assertThat(complete.values().get(0)).isCloseTo(0.6, within(1e-12));
    assertThat(complete.epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2);
  }

  private static EpochMetrics foldEpoch(int epoch, double acc) {
    return new EpochMetrics(epoch, 1 - acc, 1 - acc, acc, acc, 1.0, 100, acc, 0.01);
  }

  // ---- leaderboard columns of a plain sweep

  @Test
  void aPlainSweepsCompleteTrialsAreFeasibleWithoutAParetoRank() {
    run(sweep("budget: {trials: 2}"), t -> t.trialId() == 1 ? new Fail("boom") : trains(t));
    // no constraints: violation 0 (feasible = true in trials); one objective: no Pareto rank
    assertThat(row(0, 1, "COMPLETE").violation()).isEqualTo(0.0);
    assertThat(row(0, 1, "COMPLETE").paretoRank()).isNull();
    // attempts without values are not judged
    assertThat(row(1, 1, "FAILED").violation()).isNull();
    assertThat(row(0, 1, "RUNNING").violation()).isNull();
    SweepRecord last = sweepRows.get(sweepRows.size() - 1);
    assertThat(last.selectedTrialId()).isZero();
    assertThat(last.paretoFront()).isNull();
  }

  // ---- objectives of a resumed sweep: ranks and the selection rule cover the whole sweep

  /** A serving cost whose p50 latency is {@code p50} ms. */
  private static ServingCost latency(double p50) {
    return new ServingCost(p50, p50, 1000 / p50, 64, 1000, 4000, 1.0, Double.NaN);
  }

  /** A COMPLETE trial of an earlier driver with its accuracy and p50 latency (its row's metric columns). */
  private static ObjectiveBook.Earlier earlier(int trial, double accuracy, double p50) {
    Map<String, Double> metrics = new java.util.HashMap<>(TrialMetrics.of(null, latency(p50)));
    metrics.put("val_accuracy", accuracy);
    return new ObjectiveBook.Earlier(trial, 1, List.of(accuracy, p50), null, metrics);
  }

  @Test
  void aResumedSweepRanksAndSelectsOverEarlierDriversTrialsToo() {
    SweepRun run = sweepRun("""
        train: {epochs: 2}
        sweep:
          method: random
          metrics:
            - {name: val_accuracy, goal: maximize}
            - {name: latency_p50_ms, goal: minimize}
          select: {maximize: val_accuracy, where: "latency_p50_ms <= 2"}
          parameters:
            lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}
          budget: {trials: 4}
        """);
    Map<String, Object> lr = Map.of("lr", 0.01);
    // the earlier driver completed trial 0 (accurate, slow) and trial 1 (the rule's pick: accurate enough and fast)
    List<Trial> history = List.of(new Trial(0, lr, TrialState.COMPLETE, List.of(0.9, 5.0), null),
        new Trial(1, lr, TrialState.COMPLETE, List.of(0.7, 1.5), null));
    // this driver's trial 2 (0.60, 0.5 ms) is on the front; trial 3 (0.65, 2.0 ms) is dominated by trial 1
    InMemoryLauncher l = new InMemoryLauncher(clock, events,
        s -> new Train(e -> 0.5 + s.trialId() / 20.0, latency(s.trialId() == 2 ? 0.5 : 2.0)), false);
    SweepSummary summary = run(run, Study.resumeKeepingRunning(run.spec(), run.seed(), history),
        new SweepScheduler.History(Map.of(), Map.of(0, 1, 1, 1), Map.of(), "", Map.of(),
            List.of(earlier(0, 0.9, 5.0), earlier(1, 0.7, 1.5))), l, () -> false);
    assertThat(events).containsExactly(
        "row t2.1 RUNNING", "launch t2.1 ->2", "row t2.1 COMPLETE 0.60",
        "row t3.1 RUNNING", "launch t3.1 ->2", "row t3.1 COMPLETE 0.65",
        "row t2.1 COMPLETE 0.60", "row t3.1 COMPLETE 0.65", "rank t0.1 0", "rank t1.1 0",
        "sweep COMPLETE complete 4 failed 0 pruned 0", "flush");
    assertThat(row(2, 1, "COMPLETE").paretoRank()).isZero();
    assertThat(row(3, 1, "COMPLETE").paretoRank()).isEqualTo(1);
    SweepRecord last = sweepRows.get(sweepRows.size() - 1);
    assertThat(last.paretoFront()).containsExactly(0, 1, 2);
    assertThat(last.selectedTrialId()).isEqualTo(1);
    assertThat(summary.bestTrialId()).isEqualTo(1);
    assertThat(summary.bestValue()).isEqualTo(0.7);
  }

  // ---- out-of-order completion

  @Test
  void outcomesInAnyOrderAreSettledAndFreeTheirSlots() {
    SweepSummary s = run(sweep("budget: {trials: 5}", "parallelism: 3"), SweepSchedulerTest::trains, true, () -> false);
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->2",
        "row t1.1 RUNNING", "launch t1.1 ->2",
        "row t2.1 RUNNING", "launch t2.1 ->2",
        "row t2.1 COMPLETE 0.60",
        "row t3.1 RUNNING", "launch t3.1 ->2",
        "row t3.1 COMPLETE 0.65",
        "row t4.1 RUNNING", "launch t4.1 ->2",
        "row t4.1 COMPLETE 0.70",
        "row t1.1 COMPLETE 0.55",
        "row t0.1 COMPLETE 0.50",
        "sweep COMPLETE complete 5 failed 0 pruned 0", "flush");
    assertThat(s.bestTrialId()).isEqualTo(4);
  }

  // ---- elastic capacity

  @Test
  void launchesFollowTheLaunchersCapacityAsExecutorsJoin() {
    // no executor for 3 s, then one, then (from 5 s) two
    SweepRun run = sweepRun(sweep("budget: {trials: 4}", "parallelism: 2"));
    InMemoryLauncher l = new InMemoryLauncher(clock, events, SweepSchedulerTest::trains, false)
        .capacity(() -> clock.get() < START + 3_000 ? 0 : clock.get() < START + 5_000 ? 1 : 2);
    SweepSummary s = run(run, Study.fromSpec(run.spec(), run.seed()), SweepScheduler.History.NONE, l, () -> false);
    assertThat(events).containsExactly(
        "row t0.1 RUNNING", "launch t0.1 ->2", "row t0.1 COMPLETE 0.50",
        "row t1.1 RUNNING", "launch t1.1 ->2", "row t1.1 COMPLETE 0.55",
        "row t2.1 RUNNING", "launch t2.1 ->2",
        "row t3.1 RUNNING", "launch t3.1 ->2",
        "row t2.1 COMPLETE 0.60", "row t3.1 COMPLETE 0.65",
        "sweep COMPLETE complete 4 failed 0 pruned 0", "flush");
    assertThat(rows.get(0).startedAtMillis()).as("the first trial started once an executor joined").isEqualTo(START + 3_000);
    assertThat(s.complete()).isEqualTo(4);
  }

  @Test
  void noExecutorWithinTheWaitEndsTheSweepFailedSayingWhy() {
    SweepRun run = sweepRun(sweep("budget: {trials: 2}"));
    InMemoryLauncher l = new InMemoryLauncher(clock, events, SweepSchedulerTest::trains, false).capacity(() -> 0);
    SweepSummary s = run(run, Study.fromSpec(run.spec(), run.seed()), SweepScheduler.History.NONE, l, () -> false);
    assertThat(events).containsExactly("sweep FAILED complete 0 failed 0 pruned 0", "flush");
    assertThat(s.status()).isEqualTo("FAILED");
    assertThat(sweepRows.get(sweepRows.size() - 1).message())
        .startsWith("no executor to train on joined within 5 s (spark.prepsweep.executorWait)");
    assertThat(clock.get() - START).as("waited the whole bound, no longer").isEqualTo(EXECUTOR_WAIT_MILLIS + 1_000);
  }
}
