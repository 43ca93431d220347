package io.jasyncio;

import io.jasyncio.internal.LoopClock;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.TaskImpl;
import java.time.Duration;

/**
 * A region of a task that can be cancelled as a unit, at a deadline or by {@link #cancel()}.
 * Obtained inside {@link Async#timeout} (asyncio's {@code timeout}: expiry becomes {@link
 * TimeoutExpiredException}) and {@link Async#moveOnAfter} (Trio's {@code move_on_after}: expiry
 * ends the region quietly).
 *
 * <h2>States (asyncio's Timeout)</h2>
 *
 * <pre>
 *   CREATED --enter--> ENTERED --deadline or cancel()--> EXPIRING --exit--> EXPIRED
 *                         \------------------exit-------------------------> EXITED
 * </pre>
 *
 * On expiry the scope cancels its task once and remembers the task's cancellation count at entry.
 * At exit it withdraws that request ({@link Task#uncancel()}); if the count is then back to what
 * it was at entry and a {@link CancelledError} is leaving the region, the cancellation was the
 * scope's own and is converted (timeout) or swallowed (move-on). Any other cancellation, such as
 * the task's own cancellation from outside or an enclosing scope's expiry, passes through
 * untouched, which is what makes nesting correct.
 *
 * <p>All methods must be called from the task that runs the scope.
 */
public final class CancelScope {
  private enum State {
    CREATED,
    ENTERED,
    EXPIRING,
    EXPIRED,
    EXITED
  }

  private final boolean quiet;
  private final TaskImpl<?> task;
  private final LoopImpl loop;
  private State state = State.CREATED;
  private long when;
  private Handle timer;
  private int cancellingAtEntry;
  private boolean cancelledCaught;

  private CancelScope(boolean quiet, TaskImpl<?> task, long when) {
    this.quiet = quiet;
    this.task = task;
    this.loop = (LoopImpl) task.loop();
    this.when = when;
  }

  /**
   * Runs {@code body} in a new scope; the shared implementation of timeout and move-on.
   *
   * @return the body's result, or {@code null} when a quiet scope expired
   */
  static <T> T run(boolean quiet, long when, AsyncFunction<CancelScope, T> body) {
    java.util.Objects.requireNonNull(body, "body");
    TaskImpl<?> t = LoopImpl.currentTask(quiet ? "moveOnAfter" : "timeout");
    CancelScope scope = new CancelScope(quiet, t, when);
    scope.enter();
    T result;
    try {
      result = body.apply(scope);
    } catch (Throwable e) {
      Throwable out = scope.exit(e);
      if (out == null) {
        return null;
      }
      throw AsyncException.rethrow(out);
    }
    scope.exit(null);
    return result;
  }

  static long deadlineAfter(Duration delay) {
    java.util.Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    long now = LoopImpl.currentTask("timeout").loop().time();
    long n = LoopImpl.saturatedNanos(delay);
    long w = now + n;
    return w < now ? Long.MAX_VALUE - 1 : w;
  }

  private void enter() {
    state = State.ENTERED;
    cancellingAtEntry = task.cancelling();
    reschedule(when);
  }

  /** Returns what should propagate: the exception, its conversion, or null to end quietly. */
  private Throwable exit(Throwable e) {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    if (state == State.EXPIRING) {
      state = State.EXPIRED;
      if (task.uncancel() <= cancellingAtEntry && e instanceof CancelledError c) {
        if (quiet) {
          cancelledCaught = true;
          return null;
        }
        return new TimeoutExpiredException("timed out", c);
      }
    } else if (state == State.ENTERED) {
      state = State.EXITED;
    }
    return e;
  }

  /**
   * The deadline on the loop's clock ({@link EventLoop#time()}), or {@link Long#MAX_VALUE} when
   * there is none.
   */
  public long deadline() {
    return when;
  }

  /**
   * Moves the deadline; {@link Long#MAX_VALUE} removes it. A deadline already past expires the
   * scope at the next loop step.
   *
   * @param deadline the new deadline on the loop's clock
   * @throws IllegalStateException if the scope is not active (not entered, expired or exited)
   */
  public void reschedule(long deadline) {
    if (state != State.ENTERED) {
      throw new IllegalStateException(
          "cannot reschedule a cancel scope that is " + state.name().toLowerCase());
    }
    loop.checkThread("reschedule");
    when = deadline;
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    if (deadline == LoopClock.NO_DEADLINE) {
      return;
    }
    if (deadline <= loop.time()) {
      timer = loop.callSoon(this::expire);
    } else {
      timer = loop.callAt(deadline, this::expire);
    }
  }

  /**
   * Moves the deadline to {@code delay} from now.
   *
   * @param delay zero or positive
   * @throws IllegalArgumentException if {@code delay} is negative
   * @throws IllegalStateException if the scope is not active
   */
  public void rescheduleAfter(Duration delay) {
    java.util.Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    long now = loop.time();
    long w = now + LoopImpl.saturatedNanos(delay);
    reschedule(w < now ? Long.MAX_VALUE - 1 : w);
  }

  /**
   * Cancels the scope now, as if its deadline had passed. Does nothing if it already expired or
   * ended.
   */
  public void cancel() {
    loop.checkThread("cancel");
    if (state == State.ENTERED) {
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
      expire();
    }
  }

  private void expire() {
    if (state != State.ENTERED) {
      return;
    }
    timer = null;
    state = State.EXPIRING;
    task.cancel();
  }

  /** Whether the deadline passed or {@link #cancel()} was called. */
  public boolean expired() {
    return state == State.EXPIRING || state == State.EXPIRED;
  }

  /**
   * Whether this scope's own cancellation ended the region (Trio's {@code cancelled_caught}).
   * Only a move-on scope swallows; a timeout converts instead.
   */
  public boolean cancelledCaught() {
    return cancelledCaught;
  }

  @Override
  public String toString() {
    return (quiet ? "MoveOnScope[" : "TimeoutScope[") + state.name().toLowerCase() + "]";
  }
}
