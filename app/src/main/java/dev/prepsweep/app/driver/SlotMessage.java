package dev.prepsweep.app.driver;

import dev.prepsweep.training.TrialOutcome;
import dev.prepsweep.training.TrialSpec;
import java.io.Serializable;

/**
 * What the driver and a slot runner ({@link SlotRunner}) say to each other over the runner's connection,
 * after the runner has proved it knows the sweep's secret ({@link SlotProtocol}). Immutable, Java-serialised.
 * A trial switch is one {@link Finished} up and one {@link Run} down: no Spark job.
 */
sealed interface SlotMessage extends Serializable {

  /** Runner to driver, once: where it runs. The driver answers with work (or nothing until there is some). */
  record Hello(String executorId, String host) implements SlotMessage {}

  /** Driver to runner: run this task; {@code key} names it in every later message about it. */
  record Run(String key, TrialSpec task) implements SlotMessage {}

  /** Driver to runner: stop the task {@code key} if it still runs (its outcome no longer matters). */
  record Cancel(String key) implements SlotMessage {}

  /** Driver to runner: the sweep has nothing more for you; end the runner's Spark task. */
  record Stop() implements SlotMessage {}

  /** Runner to driver: the task started training (the hang rule's clock starts here). */
  record Started(String key) implements SlotMessage {}

  /** Runner to driver: the task finished an epoch (its heartbeat). */
  record Progress(String key, int epoch) implements SlotMessage {}

  /** Runner to driver: the task ended with {@code outcome}; the runner is free for the next one. */
  record Finished(String key, TrialOutcome outcome) implements SlotMessage {}

  /** Runner to driver: it leaves (idle too long); a task sent after its last message is not run. */
  record Leaving(String reason) implements SlotMessage {}
}
