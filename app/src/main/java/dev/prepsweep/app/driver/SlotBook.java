package dev.prepsweep.app.driver;

import dev.prepsweep.training.TrialOutcome;
import dev.prepsweep.training.TrialSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The slot launcher's bookkeeping, with no Spark and no sockets (pure: events in, actions out; not thread-safe,
 * the launcher calls it under one lock): which attempts wait, which runner runs which task, and what to send, complete
 * or kill when a runner says hello, starts, beats, finishes, leaves or ends, and when the scheduler cancels.
 *
 * <p>The rules, each kept by {@code SlotBookTest}: a task goes to an idle runner at once, else waits in launch order;
 * a runner that finishes gets the next waiting task in the same step (the trial switch); a cancelled attempt
 * completes at once with its unfinished tasks failed, its waiting tasks are dropped and its running ones told to stop,
 * and a runner that has not stopped within the grace period is killed; a task a runner never started (it left or
 * ended first) waits again, so nothing is lost or run twice; a started task whose runner ended fails its attempt with
 * the runner's executor loss, if any; every attempt completes exactly once.
 */
final class SlotBook {

  /** What the launcher must do after an event. */
  sealed interface Action {}

  /** Send {@code message} to runner {@code runner}. */
  record Send(int runner, SlotMessage message) implements Action {}

  /** One task of a running attempt ended with {@code outcome} (the attempt goes on). */
  record TaskDone(TrialSpec attempt, TrialSpec task, TrialOutcome outcome) implements Action {}

  /** The attempt ended: complete its future with {@code result}. */
  record Completed(TrialLauncher.Result result) implements Action {}

  /** Cancel runner {@code runner}'s Spark task (it did not stop its trial in time, or it must go). */
  record Kill(int runner) implements Action {}

  private enum State { STARTING, IDLE, BUSY, CANCELLING, LEAVING, KILLED, GONE }

  private static final class Attempt {
    final String key;
    final TrialSpec spec;
    final List<TrialSpec> tasks;
    final TrialOutcome[] outcomes;
    int remaining;
    boolean done;
    long launchedAt;
    long lastProgressAt;

    Attempt(String key, TrialSpec spec, List<TrialSpec> tasks) {
      this.key = key;
      this.spec = spec;
      this.tasks = List.copyOf(tasks);
      this.outcomes = new TrialOutcome[tasks.size()];
      this.remaining = tasks.size();
    }
  }

  private record Work(Attempt attempt, int index) {
    String key() {
      return attempt.key + "/" + index;
    }
  }

  private static final class Runner {
    final int id;
    State state = State.STARTING;
    Work current;
    boolean started;
    long cancelSentAt;
    String executorId;
    String host;

    Runner(int id) {
      this.id = id;
    }
  }

  private final Map<String, Attempt> attempts = new LinkedHashMap<>();
  private final Deque<Work> waiting = new ArrayDeque<>();
  private final Map<Integer, Runner> runners = new LinkedHashMap<>();

  /** The key of an attempt (one per trial and attempt number). */
  static String key(TrialSpec attempt) {
    return attempt.trialId() + "/" + attempt.attempt();
  }

  /** A new attempt of {@code tasks}; they go to idle runners or wait. */
  List<Action> launch(TrialSpec spec, List<TrialSpec> tasks) {
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("an attempt needs at least one task: trial " + key(spec));
    }
    Attempt a = new Attempt(key(spec), spec, tasks);
    if (attempts.putIfAbsent(a.key, a) != null) {
      throw new IllegalStateException("attempt " + a.key + " was launched twice");
    }
    for (int i = 0; i < tasks.size(); i++) {
      waiting.addLast(new Work(a, i));
    }
    List<Action> out = new ArrayList<>();
    for (Runner r : runners.values()) {
      if (r.state == State.IDLE) {
        assign(r, out);
      }
    }
    return out;
  }

  /** A runner is being started (its Spark job submitted). */
  void starting(int runner) {
    runners.put(runner, new Runner(runner));
  }

  /**
   * Runner {@code runner} connected; returns its first task (if any), or null when it may not join (unknown, or a
   * rerun of a runner that already ran: Spark retrying its task after the first one ended).
   */
  List<Action> hello(int runner, String executorId, String host) {
    Runner r = runners.get(runner);
    if (r == null || r.state != State.STARTING) {
      return null;
    }
    r.executorId = executorId;
    r.host = host;
    r.state = State.IDLE;
    List<Action> out = new ArrayList<>();
    assign(r, out);
    return out;
  }

  /** Runner {@code runner} started task {@code key}; returns that task's spec, or null when it is not the runner's. */
  TrialSpec started(int runner, String key, long now) {
    Runner r = runners.get(runner);
    if (r != null && r.current != null && r.current.key().equals(key)) {
      r.started = true;
      r.current.attempt.launchedAt = now;
      r.current.attempt.lastProgressAt = now;
      return r.current.attempt.tasks.get(r.current.index);
    }
    return null;
  }

  /** Where runner {@code runner} runs (its executor id and host), once it said hello. */
  String[] where(int runner) {
    Runner r = runners.get(runner);
    return r == null ? new String[] {null, null} : new String[] {r.executorId, r.host};
  }

  void progress(int runner, String key, long now) {
    Runner r = runners.get(runner);
    if (r != null && r.current != null && r.current.key().equals(key)) {
      r.current.attempt.lastProgressAt = now;
    }
  }

  /** Runner {@code runner} ended task {@code key} with {@code outcome}; it gets the next waiting task. */
  List<Action> finished(int runner, String key, TrialOutcome outcome) {
    Runner r = runners.get(runner);
    List<Action> out = new ArrayList<>();
    if (r == null || r.current == null || !r.current.key().equals(key)) {
      return out;
    }
    Work w = r.current;
    r.current = null;
    r.started = false;
    Attempt a = w.attempt;
    if (!a.done) {
      a.outcomes[w.index] = outcome;
      a.remaining--;
      if (a.remaining == 0) {
        complete(a, Optional.empty(), out);
      } else {
        out.add(new TaskDone(a.spec, a.tasks.get(w.index), outcome));
      }
    }
    if (r.state == State.BUSY || r.state == State.CANCELLING) {
      r.state = State.IDLE;
      assign(r, out);
    }
    return out;
  }

  /** Runner {@code runner} leaves (idle): a task sent to it that it never started waits again. */
  List<Action> leaving(int runner) {
    Runner r = runners.get(runner);
    List<Action> out = new ArrayList<>();
    if (r == null || r.state == State.GONE) {
      return out;
    }
    r.state = State.LEAVING;
    requeueUnstarted(r, out);
    return out;
  }

  /**
   * Runner {@code runner}'s Spark task ended (normally, killed, or its executor lost, then {@code lost} says how).
   * A task it never started waits again; one it was running fails its attempt, with {@code reason}.
   */
  List<Action> ended(int runner, String reason, Optional<ExecutorLoss> lost, long now) {
    Runner r = runners.get(runner);
    List<Action> out = new ArrayList<>();
    if (r == null || r.state == State.GONE) {
      return out;
    }
    r.state = State.GONE;
    if (!requeueUnstarted(r, out) && r.current != null) {
      Work w = r.current;
      r.current = null;
      if (!w.attempt.done) {
        w.attempt.outcomes[w.index] = failed(w.attempt.tasks.get(w.index), reason, r, now);
        abort(w.attempt, reason, lost, now, out);
      }
    }
    runners.remove(runner);
    return out;
  }

  /** Cancels an attempt: it completes now, failed where unfinished; its runners are told to stop its tasks. */
  List<Action> cancel(TrialSpec spec, String reason, long now) {
    Attempt a = attempts.get(key(spec));
    List<Action> out = new ArrayList<>();
    if (a != null && !a.done) {
      abort(a, reason, Optional.empty(), now, out);
    }
    return out;
  }

  /** Runners told to stop a task more than {@code graceMillis} ago that have not: to be killed (once). */
  List<Action> overdue(long now, long graceMillis) {
    List<Action> out = new ArrayList<>();
    for (Runner r : runners.values()) {
      if (r.state == State.CANCELLING && now - r.cancelSentAt > graceMillis) {
        r.state = State.KILLED;
        out.add(new Kill(r.id));
      }
    }
    return out;
  }

  /** Stop messages for every connected runner (the sweep is over). */
  List<Action> stopAll() {
    List<Action> out = new ArrayList<>();
    for (Runner r : runners.values()) {
      if (r.state != State.STARTING && r.state != State.GONE) {
        out.add(new Send(r.id, new SlotMessage.Stop()));
      }
    }
    return out;
  }

  /** When the attempt's first running task started and its tasks last beat, once one started. */
  Optional<TrialLauncher.Heartbeat> heartbeat(TrialSpec spec) {
    Attempt a = attempts.get(key(spec));
    return a == null || a.done ? Optional.empty() : Optional.of(new TrialLauncher.Heartbeat(a.launchedAt, a.lastProgressAt));
  }

  /** Runners that run or may run tasks (starting, idle or busy), not those leaving, stopping or gone. */
  int live() {
    return (int) runners.values().stream()
        .filter(r -> r.state == State.STARTING || r.state == State.IDLE || r.state == State.BUSY).count();
  }

  /** Tasks waiting for a runner. */
  int waiting() {
    return waiting.size();
  }

  /** Runners that have not ended. */
  List<Integer> runnerIds() {
    return List.copyOf(runners.keySet());
  }

  private void assign(Runner r, List<Action> out) {
    Work w = waiting.pollFirst();
    if (w == null) {
      return;
    }
    r.current = w;
    r.started = false;
    r.state = State.BUSY;
    out.add(new Send(r.id, new SlotMessage.Run(w.key(), w.attempt.tasks.get(w.index))));
  }

  /** Puts a task the runner had been sent but not started back at the head of the queue; whether there was one. */
  private boolean requeueUnstarted(Runner r, List<Action> out) {
    if (r.current == null || r.started) {
      return false;
    }
    Work w = r.current;
    r.current = null;
    if (!w.attempt.done) {
      waiting.addFirst(w);
      for (Runner idle : runners.values()) {
        if (idle.state == State.IDLE) {
          assign(idle, out);
          break;
        }
      }
    }
    return true;
  }

  /** Ends an attempt early: waiting tasks dropped, running ones told to stop, unfinished ones failed. */
  private void abort(Attempt a, String reason, Optional<ExecutorLoss> lost, long now, List<Action> out) {
    waiting.removeIf(w -> w.attempt == a);
    for (Runner r : runners.values()) {
      if (r.current != null && r.current.attempt == a && r.state == State.BUSY) {
        // started or only sent: either way the runner stops (or drops) it and reports it finished
        r.state = State.CANCELLING;
        r.cancelSentAt = now;
        out.add(new Send(r.id, new SlotMessage.Cancel(r.current.key())));
      }
    }
    for (int i = 0; i < a.outcomes.length; i++) {
      if (a.outcomes[i] == null) {
        a.outcomes[i] = failed(a.tasks.get(i), reason, null, now);
      }
    }
    complete(a, lost, out);
  }

  private void complete(Attempt a, Optional<ExecutorLoss> lost, List<Action> out) {
    a.done = true;
    attempts.remove(a.key);
    out.add(new Completed(new TrialLauncher.Result(a.spec, a.tasks, List.of(a.outcomes), lost)));
  }

  private static TrialOutcome failed(TrialSpec task, String reason, Runner r, long now) {
    return new TrialOutcome(task.sweepId(), task.trialId(), task.attempt(), false, reason, List.of(), null,
        r == null ? null : r.executorId, r == null ? null : r.host, null, null, now, now, null, 0, null);
  }
}
