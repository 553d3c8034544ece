package dev.prepsweep.app.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.training.TrialOutcome;
import dev.prepsweep.training.TrialSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The slot launcher's bookkeeping without Spark or sockets: assignment, switches, cancel, runner loss. */
class SlotBookTest {

  private final SlotBook book = new SlotBook();

  private static TrialSpec attempt(int trial, int attempt) {
    return new TrialSpec("sw", trial, attempt, Map.of("lr", 0.1), 7, "val_accuracy", true,
        new TableVersion("train", "/w/train", 1), new TableVersion("val", "/w/val", 1), List.of("a", "b"), false);
  }

  private static TrialOutcome ok(TrialSpec t) {
    return new TrialOutcome("sw", t.trialId(), t.attempt(), true, null, List.of(), null, "1", "h", null, "cpu()", 1, 2,
        null, 0, null);
  }

  private static List<SlotMessage.Run> runs(List<SlotBook.Action> actions, int runner) {
    List<SlotMessage.Run> out = new ArrayList<>();
    for (SlotBook.Action a : actions) {
      if (a instanceof SlotBook.Send s && s.runner() == runner && s.message() instanceof SlotMessage.Run r) {
        out.add(r);
      }
    }
    return out;
  }

  private static List<TrialLauncher.Result> completed(List<SlotBook.Action> actions) {
    return actions.stream().filter(a -> a instanceof SlotBook.Completed).map(a -> ((SlotBook.Completed) a).result())
        .toList();
  }

  private List<SlotBook.Action> join(int runner) {
    book.starting(runner);
    return book.hello(runner, "exec-" + runner, "host");
  }

  @Test
  void aTaskWaitsUntilARunnerJoinsThenAFinishedRunnerGetsTheNextTaskInTheSameStep() {
    TrialSpec a1 = attempt(1, 1);
    TrialSpec a2 = attempt(2, 1);
    assertThat(book.launch(a1, List.of(a1))).isEmpty();
    assertThat(book.launch(a2, List.of(a2))).isEmpty();
    assertThat(book.waiting()).isEqualTo(2);

    List<SlotBook.Action> first = join(0);
    assertThat(runs(first, 0)).extracting(r -> r.task().trialId()).containsExactly(1);
    String key = runs(first, 0).get(0).key();
    book.started(0, key, 100);
    assertThat(book.heartbeat(a1)).contains(new TrialLauncher.Heartbeat(100, 100));
    book.progress(0, key, 150);
    assertThat(book.heartbeat(a1)).contains(new TrialLauncher.Heartbeat(100, 150));
    assertThat(book.heartbeat(a2)).contains(new TrialLauncher.Heartbeat(0, 0));

    List<SlotBook.Action> switched = book.finished(0, key, ok(a1));
    assertThat(completed(switched)).extracting(r -> r.spec().trialId()).containsExactly(1);
    assertThat(completed(switched).get(0).lost()).isEmpty();
    assertThat(runs(switched, 0)).extracting(r -> r.task().trialId()).containsExactly(2);
    assertThat(book.heartbeat(a1)).isEmpty();
  }

  @Test
  void anAttemptOfSeveralTasksReportsEachTaskAndCompletesOnceWithAllOutcomesInTaskOrder() {
    TrialSpec a = attempt(1, 1);
    List<TrialSpec> folds = List.of(attempt(1, 1), attempt(1, 1));
    join(0);
    join(1);
    List<SlotBook.Action> launched = book.launch(a, folds);
    String k0 = runs(launched, 0).get(0).key();
    String k1 = runs(launched, 1).get(0).key();
    assertThat(k0).isNotEqualTo(k1);
    TrialOutcome second = ok(folds.get(1));
    List<SlotBook.Action> one = book.finished(1, k1, second);
    assertThat(completed(one)).isEmpty();
    assertThat(one).containsExactly(new SlotBook.TaskDone(a, folds.get(1), second));
    TrialOutcome first = ok(folds.get(0));
    List<TrialLauncher.Result> done = completed(book.finished(0, k0, first));
    assertThat(done).hasSize(1);
    assertThat(done.get(0).outcomes()).containsExactly(first, second);
  }

  @Test
  void cancelCompletesTheAttemptAtOnceTellsItsRunnerAndKillsTheRunnerOnlyAfterTheGracePeriod() {
    TrialSpec a = attempt(1, 1);
    TrialSpec b = attempt(2, 1);
    String key = runs(book.launch(a, List.of(a)), 0).isEmpty() ? runs(join(0), 0).get(0).key() : null;
    book.started(0, key, 10);
    book.launch(b, List.of(b));

    List<SlotBook.Action> cancelled = book.cancel(a, "stop", 1_000);
    assertThat(cancelled).contains(new SlotBook.Send(0, new SlotMessage.Cancel(key)));
    List<TrialLauncher.Result> done = completed(cancelled);
    assertThat(done).hasSize(1);
    assertThat(done.get(0).outcomes()).singleElement().satisfies(o -> {
      assertThat(o.complete()).isFalse();
      assertThat(o.error()).isEqualTo("stop");
      assertThat(o.executorId()).isNull();
    });
    assertThat(book.cancel(a, "again", 1_001)).as("an ended attempt is not cancelled twice").isEmpty();
    assertThat(book.live()).as("a runner stopping a trial takes no new one").isZero();

    assertThat(book.overdue(1_000 + 5_000, 10_000)).isEmpty();
    assertThat(book.overdue(1_000 + 10_001, 10_000)).containsExactly(new SlotBook.Kill(0));
    assertThat(book.overdue(1_000 + 20_000, 10_000)).as("killed once").isEmpty();
  }

  @Test
  void aRunnerThatStopsItsCancelledTrialInTimeIsReusedAndTheLateOutcomeIsIgnored() {
    TrialSpec a = attempt(1, 1);
    TrialSpec b = attempt(2, 1);
    book.launch(a, List.of(a));
    String key = runs(join(0), 0).get(0).key();
    book.started(0, key, 10);
    book.launch(b, List.of(b));
    book.cancel(a, "stop", 20);
    List<SlotBook.Action> after = book.finished(0, key, ok(a));
    assertThat(completed(after)).as("the cancelled attempt completed already").isEmpty();
    assertThat(runs(after, 0)).extracting(r -> r.task().trialId()).containsExactly(2);
    assertThat(book.overdue(1_000_000, 10_000)).isEmpty();
  }

  @Test
  void aTaskARunnerNeverStartedWaitsAgainWhenTheRunnerLeavesOrEnds() {
    TrialSpec a = attempt(1, 1);
    book.launch(a, List.of(a));
    String key = runs(join(0), 0).get(0).key();
    assertThat(book.leaving(0)).isEmpty();
    assertThat(book.waiting()).isEqualTo(1);
    assertThat(book.live()).isZero();
    List<SlotBook.Action> next = join(1);
    assertThat(runs(next, 1)).extracting(SlotMessage.Run::key).containsExactly(key);
    List<SlotBook.Action> ended = book.ended(1, "gone", Optional.empty(), 50);
    assertThat(completed(ended)).as("not started: nothing lost, nothing failed").isEmpty();
    assertThat(book.waiting()).isEqualTo(1);
    assertThat(book.hello(1, "x", "h")).as("a runner that ended may not join again (a Spark rerun)").isNull();
  }

  @Test
  void aStartedTaskWhoseRunnerEndsFailsItsAttemptWithTheExecutorLossAndStopsItsOtherTasks() {
    TrialSpec a = attempt(3, 2);
    List<TrialSpec> folds = List.of(attempt(3, 2), attempt(3, 2), attempt(3, 2));
    join(0);
    join(1);
    List<SlotBook.Action> launched = book.launch(a, folds);
    String k0 = runs(launched, 0).get(0).key();
    String k1 = runs(launched, 1).get(0).key();
    book.started(0, k0, 10);
    book.started(1, k1, 10);
    ExecutorLoss loss = new ExecutorLoss("exec-0", "host", false, "Command exited with code 137", null);
    List<SlotBook.Action> ended = book.ended(0, "runner died", Optional.of(loss), 99);
    assertThat(ended).contains(new SlotBook.Send(1, new SlotMessage.Cancel(k1)));
    List<TrialLauncher.Result> done = completed(ended);
    assertThat(done).hasSize(1);
    assertThat(done.get(0).lost()).contains(loss);
    assertThat(done.get(0).outcomes()).hasSize(3).allSatisfy(o -> assertThat(o.complete()).isFalse());
    assertThat(done.get(0).outcomes().get(0).executorId()).isEqualTo("exec-0");
    assertThat(book.waiting()).as("the attempt's third, waiting task is dropped").isZero();
    assertThat(book.ended(0, "again", Optional.empty(), 100)).isEmpty();
  }

  @Test
  void stopReachesEveryConnectedRunner() {
    join(0);
    book.starting(1);
    assertThat(book.stopAll()).containsExactly(new SlotBook.Send(0, new SlotMessage.Stop()));
    assertThat(book.runnerIds()).containsExactly(0, 1);
  }
}
