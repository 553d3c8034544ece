package dev.prepsweep.app.driver;

import dev.prepsweep.training.TrialOutcome;
import dev.prepsweep.training.TrialSpec;
import dev.prepsweep.training.TrialTask;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One trainer slot's long-running Spark task: connects to the driver's {@link SlotTrialLauncher}, then runs the task
 * specs the driver sends one after the other on the Spark task's own thread (so the trial sees its task's resources
 * and a Spark kill interrupts it as in a job of its own), reporting each start, each epoch and each outcome. A
 * cancel interrupts the running trial, not the runner. The runner ends when the driver says stop, when the
 * connection closes (the driver died), when Spark kills its task, or after {@link Endpoint#idleMillis} with nothing
 * to do, so it does not hold a slot the sweep has no work for.
 */
final class SlotRunner {

  private static final Logger LOG = LoggerFactory.getLogger(SlotRunner.class);
  private static final SlotMessage END = new SlotMessage.Stop();

  /** Where the driver listens, the sweep's secret, and how long a runner waits idle: what a runner's closure carries. */
  record Endpoint(String host, int port, byte[] secret, long idleMillis) implements Serializable {}

  private final Endpoint endpoint;
  private final int id;
  private final BlockingQueue<SlotMessage> inbox = new LinkedBlockingQueue<>();
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private final Thread worker = Thread.currentThread();
  private String current;
  private ObjectOutputStream out;

  private SlotRunner(Endpoint endpoint, int id) {
    this.endpoint = endpoint;
    this.id = id;
  }

  /** Runs runner {@code id} until it ends; returns how many tasks it ran. */
  static int run(Endpoint endpoint, int id) throws IOException {
    return new SlotRunner(endpoint, id).serve();
  }

  private int serve() throws IOException {
    int ran = 0;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 30_000);
      socket.setTcpNoDelay(true);
      SlotProtocol.greet(socket.getOutputStream(), endpoint.secret(), id);
      out = SlotProtocol.writer(socket.getOutputStream());
      ObjectInputStream in = SlotProtocol.reader(socket.getInputStream());
      SparkEnv env = SparkEnv.get();
      send(new SlotMessage.Hello(env == null ? "driver" : env.executorId(),
          host()));
      Thread reader = new Thread(() -> read(in), "prepsweep-slot-runner-" + id + "-reader");
      reader.setDaemon(true);
      reader.start();
      while (true) {
        SlotMessage next;
        try {
          next = inbox.poll(endpoint.idleMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          if (killed()) {
            return ran;
          }
          continue; // a cancel that came just as its task ended: nothing to stop
        }
        if (next == null) {
          send(new SlotMessage.Leaving("idle for " + endpoint.idleMillis() / 1000 + " s"));
          return ran;
        }
        if (!(next instanceof SlotMessage.Run task)) {
          return ran;
        }
        send(runOne(task));
        ran++;
        if (killed()) {
          return ran;
        }
      }
    } catch (IOException e) {
      if (killed()) {
        return ran;
      }
      // the driver is gone (it ended or died): nothing to report to
      LOG.info("slot runner {}: connection to the driver at {}:{} ended ({}); the runner stops", id, endpoint.host(),
          endpoint.port(), e.getMessage());
      return ran;
    }
  }

  /** Runs one task on this thread; a cancel in the meantime interrupts it. */
  private SlotMessage.Finished runOne(SlotMessage.Run task) throws IOException {
    synchronized (lock) {
      if (cancelled.remove(task.key())) {
        return new SlotMessage.Finished(task.key(), null);
      }
      current = task.key();
    }
    try {
      send(new SlotMessage.Started(task.key()));
      TrialOutcome outcome = TrialTask.run(task.task(), m -> {
        try {
          send(new SlotMessage.Progress(task.key(), m.epoch()));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      return new SlotMessage.Finished(task.key(), outcome);
    } finally {
      synchronized (lock) {
        current = null;
        if (!killed()) {
          Thread.interrupted(); // a cancelled trial's interrupt must not reach the next one
        }
      }
    }
  }

  private void read(ObjectInputStream in) {
    try {
      while (true) {
        SlotMessage m = SlotProtocol.read(in);
        if (m instanceof SlotMessage.Cancel c) {
          synchronized (lock) {
            if (c.key().equals(current)) {
              LOG.info("slot runner {}: the driver cancelled task {}; interrupting it", id, c.key());
              worker.interrupt();
            } else {
              cancelled.add(c.key());
            }
          }
        } else {
          inbox.add(m);
        }
      }
    } catch (IOException e) {
      inbox.add(END);
    }
  }

  private void send(SlotMessage message) throws IOException {
    synchronized (out) {
      SlotProtocol.write(out, message);
    }
  }

  /** The executor's host as Spark names it (its local hostname or IP settings), else the machine's name. */
  private static String host() {
    for (String key : new String[] {"SPARK_LOCAL_HOSTNAME", "SPARK_LOCAL_IP"}) {
      String value = System.getenv(key);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static boolean killed() {
    TaskContext task = TaskContext.get();
    return task != null && task.isInterrupted();
  }

}
