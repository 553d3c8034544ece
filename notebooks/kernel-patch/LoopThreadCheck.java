import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.rapaio.jupyter.kernel.channels.LoopThread;

/**
 * Checks the kernel's channel loop as the kernel's class path has it (run-notebooks.sh runs this
 * before the notebooks; see LoopThread.java here for why):
 *   java -cp CLASSPATH notebooks/kernel-patch/LoopThreadCheck.java [THREADS]
 * Starts THREADS loops (default 200) the way the kernel starts its channels, and one whose first
 * pass throws, as the shell loop's does for a request that arrives before the handlers exist. Exits 1
 * when a loop never ran or the throwing one stopped: with 3.0.1's own LoopThread a few of 200 loops
 * never run on a loaded machine (seen here: 4 of 200), and the throwing loop always stops.
 */
public class LoopThreadCheck {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    AtomicInteger ran = new AtomicInteger();
    LoopThread[] loops = new LoopThread[n];
    for (int i = 0; i < n; i++) {
      AtomicBoolean first = new AtomicBoolean(true);
      loops[i] = new LoopThread("check-" + i, 5, () -> {
        if (first.getAndSet(false)) {
          ran.incrementAndGet();
        }
      });
      loops[i].start();
    }
    AtomicInteger passes = new AtomicInteger();
    LoopThread throwing = new LoopThread("check-throwing", 5, () -> {
      if (passes.incrementAndGet() == 1) {
        throw new NullPointerException("no handlers yet (as the shell loop meets a request before the kernel registered them)");
      }
    });
    throwing.start();
    Thread.sleep(1500);
    boolean throwingAlive = throwing.isAlive();
    for (LoopThread loop : loops) {
      loop.shutdown();
    }
    throwing.shutdown();
    for (LoopThread loop : loops) {
      loop.join();
    }
    throwing.join();
    int never = n - ran.get();
    System.out.printf("LoopThread from %s: %d of %d loops never ran; after a failing pass the loop %s (%d passes)%n",
        LoopThread.class.getProtectionDomain().getCodeSource().getLocation(), never, n,
        throwingAlive ? "went on" : "stopped", passes.get());
    System.exit(never == 0 && throwingAlive ? 0 : 1);
  }
}
