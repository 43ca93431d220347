package io.jasyncio.internal;

import java.util.concurrent.locks.LockSupport;

/** The real clock: {@link System#nanoTime()}, and a park that the loop's wakeup unparks. */
public final class SystemClock implements LoopClock {
  /** The shared instance; it keeps no state. */
  public static final SystemClock INSTANCE = new SystemClock();

  private SystemClock() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void idleWait(LoopImpl loop, long deadline) {
    Thread.interrupted(); // see LoopImpl.parkCarrier
    if (deadline == NO_DEADLINE) {
      LockSupport.park(loop);
    } else {
      long wait = deadline - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(loop, wait);
      }
    }
  }
}
