package io.jasyncio.sync;

import io.jasyncio.CancelledError;
import io.jasyncio.internal.TaskImpl;

/**
 * A counter of permits for the tasks of one event loop (asyncio's {@code Semaphore}): {@link
 * #acquire()} takes a permit, suspending while none is left; {@link #release()} gives one back. The
 * usual way to cap concurrency:
 *
 * <pre>{@code
 * var slots = new Semaphore(10);
 * try (var p = slots.permit()) {
 *   download(url); // at most 10 tasks here at a time
 * }
 * }</pre>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>{@code available() >= 0}; if any task waits, {@code available() == 0}.
 *   <li>Waiters are served first-in first-out: {@code release} hands the permit straight to the
 *       longest-waiting task, so a later {@code acquire} cannot barge in.
 *   <li>A task cancelled while waiting takes no permit; one handed a permit and cancelled before it
 *       ran gives the permit on (to the next waiter, or back to the count) before its {@link
 *       CancelledError} propagates. Permits are never lost or duplicated.
 * </ul>
 *
 * <p>{@code release} may be called more often than {@code acquire} (the count grows), as in
 * asyncio; {@link BoundedSemaphore} forbids that. Bound to the event loop of the first task or
 * callback that uses it.
 */
public sealed class Semaphore permits BoundedSemaphore {
  private final LoopBinding binding;
  private final WaitList waiters = new WaitList();
  private int value;

  /**
   * Creates a semaphore with {@code permits} permits.
   *
   * @param permits the initial count, zero or more
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public Semaphore(int permits) {
    this(permits, "Semaphore");
  }

  Semaphore(int permits, String kind) {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must not be negative: " + permits);
    }
    this.value = permits;
    this.binding = new LoopBinding(kind);
  }

  /**
   * Takes a permit, <b>suspending</b> while none is available. Does not suspend when one is
   * available and nobody waits.
   *
   * @throws CancelledError if the task is cancelled while waiting; no permit is then taken
   * @throws IllegalStateException if not called from a task, or from a task of another loop
   */
  public final void acquire() {
    TaskImpl<?> me = binding.task("acquire");
    if (value > 0) {
      value--;
      return;
    }
    Waiter w = new Waiter(me);
    waiters.add(w);
    try {
      w.suspend();
    } catch (CancelledError e) {
      if (w.granted) {
        handOn();
      }
      throw e;
    }
  }

  /**
   * Takes a permit if one is available. Does not suspend.
   *
   * @return whether a permit was taken
   * @throws IllegalStateException if not called on the loop's thread
   */
  public final boolean tryAcquire() {
    binding.check("tryAcquire");
    if (value > 0) {
      value--;
      return true;
    }
    return false;
  }

  /**
   * {@link #acquire()}, returning a {@link Permit} whose {@code close()} releases it: the
   * try-with-resources form. <b>Suspends</b> while no permit is available.
   *
   * @return the permit; close it once
   * @throws CancelledError if the task is cancelled while waiting; nothing is then held
   * @throws IllegalStateException if not called from a task, or from a task of another loop
   */
  public final Permit permit() {
    acquire();
    return new Permit(this::release);
  }

  /**
   * Gives a permit back, handing it to the longest-waiting task if there is one. Does not suspend.
   *
   * @throws IllegalStateException if not called on the loop's thread; for a {@link
   *     BoundedSemaphore}, if released more often than acquired
   */
  public void release() {
    binding.check("release");
    handOn();
  }

  final void handOn() {
    if (!waiters.grantFirst(null)) {
      value++;
    }
  }

  final void check(String op) {
    binding.check(op);
  }

  /**
   * The number of permits available now.
   *
   * @return zero or more
   */
  public final int available() {
    return value;
  }

  /**
   * Whether {@link #acquire()} would suspend now (asyncio's {@code locked()}).
   *
   * @return {@code true} if no permit is available
   */
  public final boolean isLocked() {
    return value == 0;
  }

  /**
   * The number of tasks waiting for a permit.
   *
   * @return zero or more
   */
  public final int waiting() {
    return waiters.size();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[available=" + value + ", waiters=" + waiters.size() + "]";
  }
}
