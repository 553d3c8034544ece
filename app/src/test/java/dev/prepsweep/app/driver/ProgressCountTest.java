package dev.prepsweep.app.driver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The done count of the progress line never goes backwards (issue #17: "3/8 done" then "2/8 done"). */
class ProgressCountTest {

  @Test
  void aPromotedTrialStaysDoneAndSettlingItAgainAddsNothing() {
    ProgressCount c = new ProgressCount();
    c.complete(0);
    c.pruned(1); // paused at a rung
    c.pruned(2);
    assertThat(c.done()).isEqualTo(3);
    c.promoted(1);
    assertThat(c.done()).as("promotion does not take a trial back").isEqualTo(3);
    assertThat(c.pruned).isEqualTo(1);
    c.pruned(1); // paused again at the next rung
    assertThat(c.done()).isEqualTo(3);
    c.promoted(1);
    c.promoted(1); // told twice: counted once
    c.complete(1);
    assertThat(c.done()).isEqualTo(3);
    assertThat(c.complete).isEqualTo(2);
    c.promoted(2);
    c.failed(2);
    assertThat(c.done()).isEqualTo(3);
    assertThat(c.failed).isEqualTo(1);
    assertThat(c.pruned).isZero();
  }

  @Test
  void everySequenceOfEventsOnlyGrowsTheCount() {
    // ASHA-like random walk: each trial is paused, promoted or finished; done() must be monotone
    java.util.SplittableRandom r = new java.util.SplittableRandom(17);
    ProgressCount c = new ProgressCount();
    java.util.Map<Integer, String> state = new java.util.HashMap<>();
    int last = 0;
    for (int step = 0; step < 2000; step++) {
      int trial = r.nextInt(30);
      String s = state.getOrDefault(trial, "running");
      switch (s) {
        case "running" -> {
          int what = r.nextInt(3);
          if (what == 0) {
            c.complete(trial);
            state.put(trial, "final");
          } else if (what == 1) {
            c.failed(trial);
            state.put(trial, "final");
          } else {
            c.pruned(trial);
            state.put(trial, "paused");
          }
        }
        case "paused" -> {
          c.promoted(trial);
          state.put(trial, "running");
        }
        default -> { }
      }
      assertThat(c.done()).isGreaterThanOrEqualTo(last);
      last = c.done();
    }
    long settled = state.values().stream().filter(v -> !v.equals("running")).count();
    assertThat(c.done()).isGreaterThanOrEqualTo((int) settled);
  }
}
