package dev.prepsweep.app.driver;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why an executor died under a running attempt, as Spark reported it (pure: Spark's strings in, the
 * attempt row's reason out). Spark reruns a task whose executor was lost without telling anyone; the
 * driver ends such an attempt as LOST with this reason instead and reruns the trial as its next
 * attempt, so the loss is on record. An executor that ran out of memory is told apart from one that
 * was killed or whose host vanished: the first would most likely run out again with the same
 * parameters, so it counts against {@code max_retries}; the others do not.
 *
 * @param executorId the executor Spark lost
 * @param host where it ran
 * @param causedByApp Spark's judgement that the executor's exit was caused by the running task
 *     ({@code ExecutorLostFailure.exitCausedByApp})
 * @param taskReason the reason in the task's {@code ExecutorLostFailure}, or null
 * @param removedReason the reason of Spark's executor-removed event, or null when not (yet) seen
 */
record ExecutorLoss(String executorId, String host, boolean causedByApp, String taskReason, String removedReason) {

  /** Spark's executors exit with this code on an uncaught {@link OutOfMemoryError} ({@code SparkExitCode.OOM}). */
  static final int SPARK_OOM_EXIT = 52;

  private static final Pattern EXIT_CODE = Pattern.compile("exit(?:ed with)?(?: status| code)[:= ]*(-?\\d+)",
      Pattern.CASE_INSENSITIVE);
  /** What cluster managers say when they kill a container for its memory (YARN, Kubernetes). */
  private static final Pattern MEMORY_KILL = Pattern.compile(
      "outofmemoryerror|out of memory|exceeding (?:physical |virtual )?memory limits|oomkilled", Pattern.CASE_INSENSITIVE);

  /** The exit code Spark reported, if any. */
  OptionalInt exitCode() {
    for (String s : new String[] {taskReason, removedReason}) {
      if (s != null) {
        Matcher m = EXIT_CODE.matcher(s);
        if (m.find()) {
          return OptionalInt.of(Integer.parseInt(m.group(1)));
        }
      }
    }
    return OptionalInt.empty();
  }

  /** Whether the executor died of memory: Spark's OOM exit code, or a cluster manager's memory kill. */
  boolean outOfMemory() {
    return exitCode().orElse(0) == SPARK_OOM_EXIT
        || (taskReason != null && MEMORY_KILL.matcher(taskReason).find())
        || (removedReason != null && MEMORY_KILL.matcher(removedReason).find());
  }

  /** The attempt row's reason: which executor, Spark's words, and what the exit code means. */
  String reason() {
    StringBuilder b = new StringBuilder("executor ").append(executorId).append(" on ").append(host)
        .append(" was lost while running this attempt");
    String spark = taskReason;
    if (removedReason != null && (spark == null || !spark.contains(removedReason))) {
      spark = spark == null ? removedReason : spark + "; removed: " + removedReason;
    }
    b.append(": ").append(spark == null || spark.isBlank() ? "Spark gave no reason" : spark.strip());
    OptionalInt code = exitCode();
    String meaning = code.isPresent() ? meaning(code.getAsInt()) : null;
    if (outOfMemory()) {
      b.append(" (out of memory").append(code.isPresent() && code.getAsInt() == SPARK_OOM_EXIT
          ? ": exit code 52 is Spark's OutOfMemoryError exit" : "")
          .append("; lower the trial's memory (hash_dim, batch_size) or raise spark.executor.memory)");
    } else if (meaning != null) {
      b.append(" (exit code ").append(code.getAsInt()).append(": ").append(meaning).append(')');
    }
    if (causedByApp && !outOfMemory()) {
      b.append("; Spark blames the running task");
    }
    return b.toString();
  }

  /** What common executor exit codes mean (128 + n: killed by signal n). */
  static String meaning(int code) {
    return switch (code) {
      case 137 -> "killed by SIGKILL (kill -9, a cluster manager, or the kernel's OOM killer)";
      case 143 -> "stopped by SIGTERM";
      case 134 -> "aborted (SIGABRT), e.g. a native library crashed";
      case 139 -> "segmentation fault in native code";
      case 50 -> "Spark's uncaught-exception exit";
      case 53 -> "Spark's disk store failed";
      case 54 -> "Spark's external block store failed";
      default -> code > 128 && code < 160 ? "killed by signal " + (code - 128) : null;
    };
  }
}
