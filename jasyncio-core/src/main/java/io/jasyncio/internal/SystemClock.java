package io.jasyncio.internal;

/** The real clock: {@link System#nanoTime()}, and waits the loop's wakeup ends. */
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
      loop.waitForWork(-1);
    } else {
      long wait = deadline - System.nanoTime();
      if (wait > 0) {
        loop.waitForWork(wait);
      }
    }
  }
}
