package io.jasyncio.test;

import io.jasyncio.internal.LoopClock;
import io.jasyncio.internal.LoopImpl;

/**
 * A loop clock whose time moves only when the loop is idle: it jumps straight to the next timer's
 * deadline instead of waiting for it.
 *
 * <h2>When time moves</h2>
 *
 * The loop calls {@link #idleWait} when nothing is ready. Then:
 *
 * <ul>
 *   <li><b>A timer is pending and its deadline is within {@link #limit}</b>: after the loop has
 *       been idle for {@link #thresholdNanos} of <em>real</em> time (default zero: at once) the
 *       clock jumps to the deadline. In autojump mode the limit is unbounded; in manual mode it is
 *       raised only by {@link TestLoop#advanceBy}.
 *   <li><b>No timer is pending, or the next one is past the limit</b>: the loop waits for real
 *       until another thread wakes it ({@code callSoonThreadsafe}, a completed {@code
 *       CompletableFuture} being awaited, ...) or one of its channels is ready. Virtual time does
 *       not move meanwhile.
 * </ul>
 *
 * <p>Either way the waiting is {@link LoopImpl#waitForWork}: with sockets registered it selects, so
 * real I/O lands during a threshold's wait, and a jump is not held up by open channels.
 *
 * <p>Thread safety: {@link #now} is written only by the loop's baton holder and read from any
 * thread; {@link #limit} is written by the baton holder (advanceBy runs in a task).
 */
final class VirtualClock implements LoopClock {
  private volatile long now;
  private volatile long limit;
  private final long thresholdNanos;

  /**
   * @param autojump whether time jumps to the next deadline on its own
   * @param thresholdNanos real idle time to wait before each jump; zero jumps at once
   */
  VirtualClock(boolean autojump, long thresholdNanos) {
    this.limit = autojump ? Long.MAX_VALUE : 0;
    this.thresholdNanos = thresholdNanos;
  }

  @Override
  public long nanoTime() {
    return now;
  }

  /** Lets manual mode jump up to {@code t} (never lowers the limit). */
  void allowUpTo(long t) {
    if (t > limit) {
      limit = t;
    }
  }

  @Override
  public void idleWait(LoopImpl loop, long deadline) {
    if (deadline == NO_DEADLINE || deadline > limit) {
      loop.waitForWork(-1);
      return;
    }
    if (thresholdNanos > 0) {
      long start = System.nanoTime();
      loop.waitForWork(thresholdNanos);
      if (loop.hasReadyWork() || System.nanoTime() - start < thresholdNanos) {
        return; // woken (or a spurious return): the loop looks again, and we wait anew
      }
    }
    if (deadline > now) {
      now = deadline;
    }
  }
}
