package dev.prepsweep.app.driver;

import dev.prepsweep.app.config.TrialResources;
import dev.prepsweep.app.spark.SparkSessions;
import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.training.TrialOutcome;
import dev.prepsweep.training.TrialSpec;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep's attempts on one long-running Spark task per trainer slot (a {@link SlotRunner}), so that
 * switching a slot from one trial to the next is a message on an open connection instead of a Spark job (task
 * launch, task-binary fetch, result RPC: most of the per-trial overhead of {@link SparkTrialLauncher}, see
 * docs/sweep-benchmark.md). The driver listens on {@code spark.driver.host}, on a free port (or
 * {@value #PORT_KEY}); each runner proves it belongs to this sweep with a random per-sweep secret carried in its
 * Spark closure. {@link SlotBook} decides who runs what; this class moves its decisions over sockets and Spark.
 *
 * <p>As with one job per attempt: a runner's task asks for the trial's stage-level resources (a trainer slot, its
 * GPU), so Spark places one runner per slot; the number of runners follows the live executors ({@link #capacity});
 * an executor lost under a runner is seen by the {@link AttemptWatch} on the runner's job group (the attempt it ran
 * ends LOST with the {@link ExecutorLoss}, a task it had not started waits for another runner, and a new runner
 * replaces it); a cancelled attempt ends at once while its runner interrupts the trial, and a runner that has not
 * stopped it after {@link #CANCEL_GRACE_MILLIS} is killed (its job group cancelled) and replaced.
 */
final class SlotTrialLauncher implements TrialLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(SlotTrialLauncher.class);
  /** The Spark property that fixes the port the driver listens on for its slot runners (default 0: any free port). */
  static final String PORT_KEY = "spark.prepsweep.slotRunnerPort";
  /** How long a runner may go on with a cancelled trial before its Spark task is killed and a new runner started. */
  static final long CANCEL_GRACE_MILLIS = 10_000;
  /** How long a runner with nothing to do keeps its slot before it ends (a new one starts when work comes). */
  static final long IDLE_MILLIS = 30_000;
  /** How long a connecting runner has to say who it is. */
  private static final int HANDSHAKE_MILLIS = 30_000;

  private final JavaSparkContext jsc;
  private final SparkContext sc;
  private final ResourceProfile profile;
  private final TrialCapacity capacity;
  private final int parallelism;
  private final String sweepId;
  private final AttemptWatch watch;
  private final ServerSocket server;
  private final SlotRunner.Endpoint endpoint;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "prepsweep-slot-launcher");
    t.setDaemon(true);
    return t;
  });
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "prepsweep-slot-ticker");
    t.setDaemon(true);
    return t;
  });

  /** Guards everything below, and {@link #book}. */
  private final Object lock = new Object();
  private final SlotBook book = new SlotBook();
  private final Map<Integer, ObjectOutputStream> connections = new HashMap<>();
  private final Map<Integer, Socket> sockets = new HashMap<>();
  private final Map<String, CompletableFuture<Result>> futures = new HashMap<>();
  private final Map<String, BiConsumer<TrialSpec, TrialOutcome>> taskDone = new HashMap<>();
  private int nextRunner;
  private boolean closed;

  /**
   * @param parallelism the sweep's attempts in flight at most (the most runners it starts)
   * @throws ConfigException when {@value #PORT_KEY} is not a port, or the driver cannot listen on it
   */
  SlotTrialLauncher(SparkSession spark, TrialResources resources, int parallelism, String sweepId) {
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.sc = spark.sparkContext();
    this.profile = SparkTrialLauncher.trialProfile(spark, resources);
    SparkConf conf = sc.getConf();
    this.capacity = new TrialCapacity(spark, resources);
    this.parallelism = parallelism;
    this.sweepId = sweepId;
    String host = conf.get("spark.driver.host", "127.0.0.1");
    int port = port(conf);
    try {
      this.server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw new ConfigException("the driver cannot listen for its slot runners on " + host + ":" + port
          + " (spark.driver.host, " + PORT_KEY + "): " + e.getMessage() + "; free the port, pick another with --conf "
          + PORT_KEY + "=PORT, or run trials as one Spark job each with sweep.launcher: job", e);
    }
    this.endpoint = new SlotRunner.Endpoint(host, server.getLocalPort(), SlotProtocol.newSecret(), IDLE_MILLIS);
    this.watch = new AttemptWatch(sc);
    LOG.info("sweep {}: slot runners report to {}:{}", sweepId, host, server.getLocalPort());
    threads.execute(this::acceptLoop);
    ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  private static int port(SparkConf conf) {
    String value = conf.get(PORT_KEY, "0");
    try {
      int port = Integer.parseInt(value.strip());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException("--conf " + PORT_KEY + "=" + value + ": must be a port number from 0 to 65535"
        + " (0: any free port)");
  }

  @Override
  public CompletableFuture<Result> launch(TrialSpec attempt, List<TrialSpec> tasks,
      BiConsumer<TrialSpec, TrialOutcome> done) {
    CompletableFuture<Result> future = new CompletableFuture<>();
    synchronized (lock) {
      futures.put(SlotBook.key(attempt), future);
      taskDone.put(SlotBook.key(attempt), done);
      apply(book.launch(attempt, tasks));
      ensureRunners();
    }
    return future;
  }

  @Override
  public void cancel(TrialSpec attempt) {
    synchronized (lock) {
      apply(book.cancel(attempt, "cancelled: the driver stopped this attempt (its slot runner was told to interrupt it)",
          System.currentTimeMillis()));
    }
  }

  @Override
  public int capacity() {
    return capacity.now(watch);
  }

  /** One attempt waits in the launcher's queue, so a runner that finishes gets its next trial in the same step. */
  @Override
  public int lookahead() {
    return 1;
  }

  @Override
  public Optional<Heartbeat> heartbeat(TrialSpec attempt) {
    synchronized (lock) {
      return book.heartbeat(attempt);
    }
  }

  /** The sweep launches nothing more: idle runners end now instead of holding their slots through the last writes. */
  @Override
  public void finished() {
    synchronized (lock) {
      apply(book.stopAll());
    }
  }

  @Override
  public void close() {
    List<Integer> left;
    synchronized (lock) {
      closed = true;
      apply(book.stopAll());
      left = book.runnerIds();
      futures.values().forEach(f -> f.completeExceptionally(new IllegalStateException("the slot launcher closed")));
      futures.clear();
    }
    // runners busy with a trial read the stop only after it: their tasks are cancelled so the slots free now
    left.forEach(id -> sc.cancelJobGroup(group(id)));
    ticker.shutdownNow();
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing the slot runners' server socket: {}", e.getMessage());
    }
    synchronized (lock) {
      sockets.values().forEach(SlotTrialLauncher::closeQuietly);
    }
    watch.stop();
    threads.shutdownNow();
  }

  /** Starts runners while there are tasks waiting and fewer runners than the sweep may use. */
  private void ensureRunners() {
    if (closed) {
      return;
    }
    int target = Math.min(parallelism, capacity());
    int missing = Math.min(target - book.live(), book.waiting());
    for (int i = 0; i < missing; i++) {
      startRunner();
    }
  }

  private void startRunner() {
    int id = nextRunner++;
    String group = group(id);
    book.starting(id);
    watch.watch(group);
    SlotRunner.Endpoint ep = endpoint;
    ResourceProfile resources = profile;
    threads.execute(() -> {
      String reason;
      try {
        jsc.setJobGroup(group, "prepsweep " + sweepId + " slot runner " + id, true);
        JavaRDD<Integer> rdd = jsc.parallelize(List.of(id), 1);
        if (resources != null) {
          rdd = rdd.withResources(resources);
        }
        JavaFutureAction<List<Integer>> job = rdd.map(runner -> SlotRunner.run(ep, runner)).collectAsync();
        int ran = job.get().get(0);
        reason = "its slot runner ended after " + ran + " task(s)";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reason = "the driver stopped waiting for its slot runner";
      } catch (Exception e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        reason = "the Spark job of its slot runner failed: " + cause.getMessage();
      }
      runnerEnded(id, group, reason);
    });
  }

  private void runnerEnded(int id, String group, String reason) {
    Optional<ExecutorLoss> lost = watch.lost(group);
    watch.forget(group);
    synchronized (lock) {
      closeQuietly(sockets.remove(id));
      connections.remove(id);
      if (closed) {
        return;
      }
      LOG.info("sweep {}: slot runner {} ended ({})", sweepId, id, lost.map(ExecutorLoss::reason).orElse(reason));
      apply(book.ended(id, "the attempt's " + reason.replaceFirst("^its ", ""), lost, System.currentTimeMillis()));
      ensureRunners();
    }
  }

  private void tick() {
    try {
      synchronized (lock) {
        if (!closed) {
          apply(book.overdue(System.currentTimeMillis(), CANCEL_GRACE_MILLIS));
          ensureRunners();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("slot launcher tick failed: {}", e.toString());
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        threads.execute(() -> serve(socket));
      } catch (IOException e) {
        if (!server.isClosed()) {
          LOG.warn("slot launcher: accepting a runner's connection failed: {}", e.getMessage());
        }
      }
    }
  }

  /** One runner's connection: the handshake, then its messages until it closes. */
  private void serve(Socket socket) {
    int id;
    ObjectInputStream in;
    try {
      socket.setSoTimeout(HANDSHAKE_MILLIS);
      socket.setTcpNoDelay(true);
      id = SlotProtocol.accept(socket.getInputStream(), endpoint.secret());
      ObjectOutputStream out = SlotProtocol.writer(socket.getOutputStream());
      in = SlotProtocol.reader(socket.getInputStream());
      if (!(SlotProtocol.read(in) instanceof SlotMessage.Hello hello)) {
        throw new IOException("a slot runner must say hello first");
      }
      socket.setSoTimeout(0);
      synchronized (lock) {
        List<SlotBook.Action> first = closed ? null : book.hello(id, hello.executorId(), hello.host());
        if (first == null) {
          LOG.info("slot launcher: runner {} may not join (already ran, or the sweep ended); closing it", id);
          SlotProtocol.write(out, new SlotMessage.Stop());
          closeQuietly(socket);
          return;
        }
        connections.put(id, out);
        sockets.put(id, socket);
        LOG.info("sweep {}: slot runner {} joined from executor {} ({})", sweepId, id, hello.executorId(), hello.host());
        apply(first);
      }
    } catch (IOException e) {
      LOG.warn("slot launcher: a connection from {} was refused: {}", socket.getRemoteSocketAddress(), e.getMessage());
      closeQuietly(socket);
      return;
    }
    try {
      while (true) {
        SlotMessage m = SlotProtocol.read(in);
        long now = System.currentTimeMillis();
        synchronized (lock) {
          if (m instanceof SlotMessage.Started st) {
            TrialSpec task = book.started(id, st.key(), now);
            if (task != null) {
              // as AttemptWatch logs a job's task start: which executor runs which attempt
              LOG.info("{}-trial-{}-{}: task started on executor {} ({})", sweepId, task.trialId(), task.attempt(),
                  executorOf(id), hostOf(id));
            }
          } else if (m instanceof SlotMessage.Progress p) {
            book.progress(id, p.key(), now);
          } else if (m instanceof SlotMessage.Finished f) {
            apply(book.finished(id, f.key(), f.outcome()));
          } else if (m instanceof SlotMessage.Leaving l) {
            LOG.info("sweep {}: slot runner {} leaves ({})", sweepId, id, l.reason());
            apply(book.leaving(id));
            ensureRunners();
          } else {
            LOG.warn("slot launcher: runner {} sent an unexpected {}", id, m.getClass().getSimpleName());
          }
        }
      }
    } catch (IOException e) {
      // the runner ended or its executor died; its Spark job's end (runnerEnded) settles what it ran
      synchronized (lock) {
        connections.remove(id);
        closeQuietly(sockets.remove(id));
      }
    }
  }

  /** Carries out the book's decisions; called under {@link #lock}. */
  private void apply(List<SlotBook.Action> actions) {
    for (SlotBook.Action action : actions) {
      if (action instanceof SlotBook.Send s) {
        send(s.runner(), s.message());
      } else if (action instanceof SlotBook.Kill k) {
        LOG.warn("sweep {}: slot runner {} did not stop its cancelled trial within {} s; cancelling its Spark task",
            sweepId, k.runner(), CANCEL_GRACE_MILLIS / 1000);
        sc.cancelJobGroup(group(k.runner()));
      } else if (action instanceof SlotBook.TaskDone t) {
        BiConsumer<TrialSpec, TrialOutcome> done = taskDone.get(SlotBook.key(t.attempt()));
        if (done != null) {
          done.accept(t.task(), t.outcome());
        }
      } else if (action instanceof SlotBook.Completed c) {
        String key = SlotBook.key(c.result().spec());
        taskDone.remove(key);
        CompletableFuture<Result> future = futures.remove(key);
        if (future != null) {
          future.complete(c.result());
        }
      }
    }
  }

  private void send(int runner, SlotMessage message) {
    ObjectOutputStream out = connections.get(runner);
    if (out == null) {
      return;
    }
    try {
      SlotProtocol.write(out, message);
    } catch (IOException e) {
      // its reader sees the broken connection; the runner's job end settles its task
      LOG.warn("sweep {}: sending to slot runner {} failed: {}", sweepId, runner, e.getMessage());
      connections.remove(runner);
      closeQuietly(sockets.remove(runner));
    }
  }

  private String executorOf(int runner) {
    return book.where(runner)[0];
  }

  private String hostOf(int runner) {
    return book.where(runner)[1];
  }

  private String group(int runner) {
    return sweepId + "-slot-runner-" + runner;
  }

  private static void closeQuietly(Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        LOG.debug("closing a slot runner's connection: {}", e.getMessage());
      }
    }
  }
}
