package dev.prepsweep.app.driver;

import dev.prepsweep.app.results.SweepRecord;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import dev.prepsweep.training.TrialOutcome;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts, best so far and a time-left estimate of a running sweep, logged as one readable progress line. */
final class SweepProgress extends ProgressCount {

  private static final Logger LOG = LoggerFactory.getLogger(SweepProgress.class);

  private final SweepRun run;
  private final boolean maximize;
  private final int parallelism;
  private final long startedNanos = System.nanoTime();
  private double trialSecondsSum;
  private int timed;
  Integer bestTrial;
  Double bestValue;

  SweepProgress(SweepRun run, boolean maximize, int parallelism) {
    this.run = run;
    this.maximize = maximize;
    this.parallelism = parallelism;
  }

  /** The sweep's row with these counts and best so far. */
  SweepRecord sweepRecord(SweepRecord.Builder row, String status, String message) {
    return row.build(status, message, complete, failed, pruned, bestTrial, bestValue);
  }

  /** Counts what a resumed sweep had already finished. */
  void seed(List<Trial> trials) {
    for (Trial t : trials) {
      if (t.state() == TrialState.COMPLETE) {
        complete(t.number());
        better(t.number(), t.values().get(0));
      } else if (t.state() == TrialState.FAILED) {
        failed(t.number());
      } else if (t.state() == TrialState.PRUNED) {
        pruned(t.number());
      }
    }
  }

  void complete(int trial, double value, TrialOutcome o, boolean feasible) {
    complete(trial);
    if (feasible) {
      better(trial, value);
    }
    double seconds = (o.endedAtMillis() - o.startedAtMillis()) / 1000.0;
    trialSecondsSum += seconds;
    timed++;
    LOG.info("trial {} COMPLETE {}={} in {} s on executor {}", trial, run.metric(), String.format("%.4f", value),
        String.format("%.1f", seconds), o.executorId());
  }

  private void better(int trial, double value) {
    if (bestValue == null || (maximize ? value > bestValue : value < bestValue)) {
      bestValue = value;
      bestTrial = trial;
    }
  }

  void pruned(int trial, int epoch) {
    pruned(trial);
    LOG.info("trial {} paused/pruned at epoch {}", trial, epoch);
  }

  void failed(int trial, String error) {
    failed(trial);
    LOG.warn("trial {} FAILED: {}", trial, error);
  }

  void log(int running) {
    int budget = run.spec().budget().trials();
    int left = Math.max(0, budget - done());
    String eta = timed == 0 ? "?" : String.format("%.0f s", Math.ceil((double) left / parallelism) * trialSecondsSum / timed);
    LOG.info("sweep {}: {}/{} done, {} running, {} pruned, {} failed; best {} {}; about {} left ({} s so far)",
        run.sweepId(), done(), budget, running, pruned, failed, run.metric(),
        bestValue == null ? "-" : String.format("%.4f (trial %d)", bestValue, bestTrial), eta,
        (System.nanoTime() - startedNanos) / 1_000_000_000L);
  }
}
