package org.rapaio.jupyter.kernel.channels;

/**
 * Replaces the kernel's own {@code LoopThread} (rapaio-jupyter-kernel 3.0.1) on the kernel JVM's
 * class path: why the notebooks' kernel failed to start now and then.
 *
 * <p>3.0.1's {@code start()} starts the thread before it sets its {@code running} flag, so a thread
 * that runs before its starter sets the flag sees {@code false} and ends without polling once. When
 * that is the shell channel's loop, no kernel_info request is ever answered: "Kernel didn't respond
 * in 120 seconds" (seen here: 1 of 15 starts of the unpatched kernel on a loaded machine, the shell
 * bound and never handled a message, no exception). {@code LoopThreadCheck} counts such loops. And
 * the shell loop polls before the kernel has registered its message handlers (seen: a kernel_info
 * request "Unhandled" in that window); one that arrives before the handler map exists throws, and
 * the exception ended the loop for good. Here the flag is set before the thread starts, and an exception
 * from one pass is reported and the loop goes on (the client repeats kernel_info until answered).
 * The kernel's upstream source sets the flag first too, unreleased: 3.0.1 is the newest on Maven
 * Central. run-notebooks.sh compiles this class ahead of the kernel jar and checks it is the one loaded.
 */
public final class LoopThread extends Thread {

  private volatile boolean running = false;
  private final long sleep;
  private final Runnable loopBody;

  public LoopThread(String name, long sleep, Runnable loopBody) {
    super(name);
    this.sleep = sleep;
    this.loopBody = loopBody;
  }

  @Override
  public void run() {
    while (running) {
      try {
        loopBody.run();
      } catch (RuntimeException e) {
        System.err.println(getName() + ": a pass of the channel loop failed, the loop goes on: " + e);
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        running = false;
        return;
      }
    }
  }

  @Override
  public synchronized void start() {
    running = true;
    super.start();
  }

  public void shutdown() {
    running = false;
  }
}
