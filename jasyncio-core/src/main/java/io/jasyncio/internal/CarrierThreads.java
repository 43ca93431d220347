package io.jasyncio.internal;

import java.lang.reflect.Constructor;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Where a loop's carrier threads run.
 *
 * <h2>Two modes</h2>
 *
 * <ul>
 *   <li><b>shared</b> (the default, no flags): carriers are ordinary virtual threads on the JDK's
 *       default scheduler. A hand-off is one {@code unpark} plus one {@code park}; the unpark wakes
 *       an idle scheduler thread that may steal the task, which is what costs most.
 *   <li><b>single</b>: every carrier of a loop runs on one platform thread of its own (a
 *       virtual-thread scheduler with one worker), so a hand-off never leaves that thread and wakes
 *       nobody. The JDK has no public API for a virtual-thread scheduler, so this mode needs {@code
 *       --add-opens java.base/java.lang=io.jasyncio} (or {@code =ALL-UNNAMED} on the class path),
 *       given on the command line, in {@code JDK_JAVA_OPTIONS}, or as {@code Add-Opens} in an
 *       executable jar's manifest.
 * </ul>
 *
 * The system property {@code jasyncio.carriers} chooses: {@code shared} (the default) or {@code
 * single} (fails with a message naming the flag when the package is not open). Single is opt-in and
 * experimental. Semantics are the same in both modes. See docs/adr/0003-carrier-threads.md.
 *
 * <h2>Blocking calls in single mode</h2>
 *
 * A virtual thread started by a virtual thread inherits its scheduler, and one that blocks in the
 * kernel (file I/O, name resolution) holds its carrier. In single mode that carrier is the loop's
 * only thread, so jasyncio starts its own off-loop threads ({@code Threads.toThread}'s default
 * executor, the hops of {@code AsyncFiles} and subprocesses) with {@link #offLoop()}, on the JDK's
 * default scheduler. The loop's selector blocks on a platform thread of its own ({@code
 * io.SelectThread}), never in the JDK's poller. A virtual thread that a task starts itself with
 * {@code Thread.ofVirtual()} still inherits the loop's scheduler: blocking in it blocks the loop.
 */
public final class CarrierThreads {
  private CarrierThreads() {}

  private static final Constructor<?> BUILDER = findBuilder();
  private static final Executor DEFAULT_SCHEDULER = findDefaultScheduler();
  private static final AtomicInteger IDS = new AtomicInteger();

  private static Constructor<?> findBuilder() {
    try {
      Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
      Constructor<?> k = c.getDeclaredConstructor(Executor.class);
      k.setAccessible(true);
      return k;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // not opened to us (InaccessibleObjectException), or a JDK without it
    }
  }

  private static Executor findDefaultScheduler() {
    if (BUILDER == null) {
      return null;
    }
    try {
      java.lang.reflect.Field f =
          Class.forName("java.lang.VirtualThread").getDeclaredField("DEFAULT_SCHEDULER");
      f.setAccessible(true);
      return (Executor) f.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * A builder of virtual threads for blocking work off the loop: on the JDK's default scheduler
   * even when called from a single-carrier loop (where {@code Thread.ofVirtual()} would inherit the
   * loop's one thread). Plain {@code Thread.ofVirtual()} in the default mode.
   */
  public static Thread.Builder.OfVirtual offLoop() {
    return scheduledOn(DEFAULT_SCHEDULER);
  }

  /** The mode chosen by the {@code jasyncio.carriers} property. */
  static boolean useSingle() {
    String mode = System.getProperty("jasyncio.carriers", "shared");
    switch (mode) {
      case "shared":
        return false;
      case "single":
        if (BUILDER == null) {
          throw new IllegalStateException(
              "-Djasyncio.carriers=single needs --add-opens java.base/java.lang=io.jasyncio (or"
                  + " =ALL-UNNAMED on the class path)");
        }
        if (DEFAULT_SCHEDULER == null) {
          // without it, blocking work started from a loop would run on (and block) the loop
          throw new IllegalStateException(
              "-Djasyncio.carriers=single: this JDK has no java.lang.VirtualThread.DEFAULT_SCHEDULER"
                  + " to run blocking work on; use the default mode");
        }
        return true;
      default:
        throw new IllegalArgumentException(
            "jasyncio.carriers must be shared or single, not '" + mode + "'");
    }
  }

  /** Creates unstarted carrier threads for one loop. */
  static Thread.Builder.OfVirtual builder(SingleCarrier executor) {
    return scheduledOn(executor);
  }

  /** Virtual threads on {@code scheduler}; plain {@code Thread.ofVirtual()} when it is null. */
  private static Thread.Builder.OfVirtual scheduledOn(Executor scheduler) {
    if (scheduler == null) {
      return Thread.ofVirtual();
    }
    try {
      return (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create a virtual thread builder", e);
    }
  }

  /**
   * A virtual-thread scheduler with one platform worker. Work submitted from the worker itself (a
   * carrier unparking another carrier of the same loop) goes to a plain local queue; work from
   * other threads (timers, I/O, other loops) goes through a concurrent queue and wakes the worker.
   */
  static final class SingleCarrier implements Executor, Runnable {
    final Thread worker;
    private final ArrayDeque<Runnable> local = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Runnable> remote = new ConcurrentLinkedQueue<>();
    private volatile boolean sleeping;
    private volatile boolean stop;

    SingleCarrier() {
      worker =
          Thread.ofPlatform()
              .daemon(true)
              .name("jasyncio-loop-" + IDS.incrementAndGet())
              .unstarted(this);
      worker.start();
    }

    @Override
    public void execute(Runnable r) {
      if (Thread.currentThread() == worker) {
        local.addLast(r);
      } else {
        remote.add(r);
        if (sleeping) {
          LockSupport.unpark(worker);
        }
      }
    }

    @Override
    public void run() {
      for (; ; ) {
        Runnable r = local.pollFirst();
        if (r == null) {
          r = remote.poll();
        }
        if (r != null) {
          r.run();
          continue;
        }
        if (stop) {
          return;
        }
        sleeping = true;
        if (remote.isEmpty() && !stop) {
          LockSupport.park(this);
        }
        sleeping = false;
      }
    }

    /** Ends the worker once its queues are empty. */
    void shutdown() {
      stop = true;
      LockSupport.unpark(worker);
    }
  }
}
