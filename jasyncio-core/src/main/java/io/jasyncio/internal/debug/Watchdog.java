package io.jasyncio.internal.debug;

import java.util.concurrent.locks.LockSupport;

/**
 * One platform daemon thread per JVM that samples the steps the loops' {@link LoopMonitor}s time.
 * It exists only once some loop has timed a step (debug mode, or a flight recording of {@code
 * SlowStep}); it polls at a quarter of the smallest threshold (1 to 50 ms) while steps are timed,
 * and parks when none has been for a second. A platform thread, so that a loop blocking its carrier
 * cannot starve the watchdog that should report it.
 */
final class Watchdog implements Runnable {
  private static final long IDLE_AFTER_NANOS = 1_000_000_000L;
  private static final Object LOCK = new Object();
  private static Thread thread;
  private static volatile boolean idle;

  private Watchdog() {}

  /** Starts the watchdog, or wakes it if it is parked idle. Thread-safe, cheap when running. */
  static void wake() {
    Thread t = thread;
    if (t == null) {
      synchronized (LOCK) {
        if (thread == null) {
          thread =
              Thread.ofPlatform()
                  .name("jasyncio-watchdog")
                  .daemon(true)
                  .priority(Thread.MAX_PRIORITY)
                  .start(new Watchdog());
        }
      }
    } else if (idle) {
      idle = false;
      LockSupport.unpark(t);
    }
  }

  private static boolean anyTiming() {
    for (LoopMonitor m : DebugSupport.monitors()) {
      if (m.timing()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void run() {
    long lastBusy = System.nanoTime();
    for (; ; ) {
      long minThreshold = Long.MAX_VALUE;
      boolean busy = false;
      long now = System.nanoTime();
      for (LoopMonitor m : DebugSupport.monitors()) {
        if (m.timing()) {
          busy = true;
          minThreshold = Math.min(minThreshold, m.thresholdNanos());
          try {
            m.check(now);
          } catch (RuntimeException e) {
            // a sampling failure must not end the watchdog; the next round tries again
          }
        }
      }
      if (busy) {
        lastBusy = now;
      } else if (now - lastBusy > IDLE_AFTER_NANOS) {
        idle = true;
        // A step that started before idle was set saw idle false and did not unpark us: look
        // again (volatile write of idle, then read of step; stepStarted does the reverse).
        if (!anyTiming()) {
          LockSupport.park(this); // wake() unparks; a stale permit only costs one extra round
        }
        idle = false;
        lastBusy = System.nanoTime();
        continue;
      }
      long period = minThreshold == Long.MAX_VALUE ? 50_000_000L : minThreshold / 4;
      LockSupport.parkNanos(this, Math.clamp(period, 1_000_000L, 50_000_000L));
    }
  }
}
