package io.jasyncio;

import io.jasyncio.internal.LoopClock;
import io.jasyncio.internal.LoopImpl;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a test's main task on virtual time: whenever the loop is idle, the clock jumps to the next
 * timer, so sleeps and timeouts take no real time and always fire in deadline order, however loaded
 * the machine is. It is the idea of jasyncio-test's virtual clock in a few lines (that module
 * depends on this one, so its TestLoop cannot be used here). Real I/O and threads still take real
 * time; a task waiting for them parks the loop like any idle wait with no timer due.
 */
public final class VirtualTime {
  private VirtualTime() {}

  /** Jumps to the next deadline whenever the loop would wait for one. */
  static final class JumpClock implements LoopClock {
    private volatile long now;

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void idleWait(LoopImpl loop, long deadline) {
      if (deadline == NO_DEADLINE) {
        LockSupport.park(loop); // nothing scheduled: only another thread could wake the loop
      } else if (deadline > now) {
        now = deadline;
      }
    }
  }

  /** Runs {@code main} on a fresh loop with a jumping clock starting at zero; closes the loop. */
  public static <T> T run(Callable<T> main) {
    LoopImpl loop = new LoopImpl(new JumpClock(), false);
    try {
      return loop.runUntilComplete(main);
    } finally {
      loop.close();
    }
  }

  /** {@link #run(Callable)} for a body with no result. */
  public static void run(AsyncRunnable main) {
    run(
        () -> {
          main.run();
          return null;
        });
  }

  /** The running loop's virtual time since it started. */
  public static Duration now() {
    return Duration.ofNanos(Async.currentLoop().time());
  }
}
