package io.jasyncio.internal;

/**
 * The time source of one event loop and the way the loop waits when it has nothing to run.
 *
 * <p>The loop calls {@link #idleWait} only from the thread that holds its baton, when no task or
 * callback is ready. A real clock waits until the deadline or until {@link LoopImpl#wakeup()}; a
 * virtual clock (in {@code jasyncio-test}) may instead move its time to the deadline at once.
 */
public interface LoopClock {
  /** Sentinel deadline meaning "no timer is pending". */
  long NO_DEADLINE = Long.MAX_VALUE;

  /** Monotonic time in nanoseconds; only differences are meaningful. */
  long nanoTime();

  /**
   * Waits until {@link #nanoTime()} reaches {@code deadline} or the loop is woken from another
   * thread, whichever comes first. Spurious returns are allowed: the loop re-checks its state. A
   * clock decides how long to wait and whether its time moves; the waiting itself is {@link
   * LoopImpl#waitForWork}, which also serves the loop's channels while it waits.
   *
   * @param loop the loop that waits
   * @param deadline the earliest timer's deadline, or {@link #NO_DEADLINE}
   */
  void idleWait(LoopImpl loop, long deadline);
}
