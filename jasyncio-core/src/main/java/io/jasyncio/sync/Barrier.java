package io.jasyncio.sync;

import io.jasyncio.CancelledError;
import io.jasyncio.internal.TaskImpl;

/**
 * A meeting point for a fixed number of tasks (asyncio's {@code Barrier}): each task calling {@link
 * #await()} waits until {@link #parties()} tasks have arrived, then all continue and the barrier
 * starts its next cycle.
 *
 * <h2>States</h2>
 *
 * <pre>
 *   FILLING --last party arrives--> (all released with indexes) --> FILLING (next cycle)
 *   FILLING --abort()--> BROKEN --reset()--> FILLING
 *   FILLING --reset()--> FILLING (waiters get BarrierBrokenException)
 * </pre>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>Fewer than {@code parties} tasks wait at any time.
 *   <li>In each cycle, the tasks that pass get indexes {@code 0..parties-1} in arrival order; the
 *       last to arrive gets {@code parties-1} and does not suspend.
 *   <li>A task cancelled while waiting leaves the barrier and frees its slot: the cycle then needs
 *       one more arrival. A task released (with its index) and cancelled before it ran throws
 *       {@link CancelledError}; the cycle has passed for everyone else.
 * </ul>
 *
 * <p>Bound to the event loop of the first task or callback that uses it.
 */
public final class Barrier {
  private static final Object ABORTED = new Object();
  private static final Object RESET = new Object();

  private final LoopBinding binding = new LoopBinding("Barrier");
  private final WaitList waiters = new WaitList();
  private final int parties;
  private boolean broken;

  /**
   * Creates a barrier for {@code parties} tasks.
   *
   * @param parties the number of tasks that must arrive, one or more
   * @throws IllegalArgumentException if {@code parties} is less than one
   */
  public Barrier(int parties) {
    if (parties < 1) {
      throw new IllegalArgumentException("parties must be at least 1: " + parties);
    }
    this.parties = parties;
  }

  /**
   * Arrives at the barrier and <b>suspends</b> until {@code parties} tasks have arrived; the last
   * one does not suspend.
   *
   * @return this task's arrival index in the cycle, {@code 0..parties-1}
   * @throws BarrierBrokenException if the barrier is broken, or is aborted or reset while waiting
   * @throws CancelledError if the task is cancelled while waiting; its slot is freed
   * @throws IllegalStateException if not called from a task, or from a task of another loop
   */
  public int await() {
    TaskImpl<?> me = binding.task("await");
    if (broken) {
      throw new BarrierBrokenException("Barrier.await: the barrier is broken");
    }
    if (waiters.size() + 1 == parties) {
      int i = 0;
      Waiter w;
      while ((w = waiters.poll()) != null) {
        if (w.wake(i)) {
          i++;
        }
      }
      return i;
    }
    Waiter w = new Waiter(me);
    waiters.add(w);
    Object v = w.suspend();
    if (v == ABORTED) {
      throw new BarrierBrokenException("Barrier.await: the barrier was aborted while waiting");
    }
    if (v == RESET) {
      throw new BarrierBrokenException("Barrier.await: the barrier was reset while waiting");
    }
    return (Integer) v;
  }

  /**
   * Breaks the barrier: waiting tasks and every later {@link #await()} throw {@link
   * BarrierBrokenException} until {@link #reset()}. Does not suspend.
   *
   * @throws IllegalStateException if not called on the loop's thread
   */
  public void abort() {
    binding.check("abort");
    broken = true;
    releaseBroken(ABORTED);
  }

  /**
   * Returns the barrier to its empty state: waiting tasks throw {@link BarrierBrokenException}; a
   * broken barrier becomes usable again. Does not suspend.
   *
   * @throws IllegalStateException if not called on the loop's thread
   */
  public void reset() {
    binding.check("reset");
    broken = false;
    releaseBroken(RESET);
  }

  private void releaseBroken(Object why) {
    waiters.wakeAll(why);
  }

  /**
   * The number of tasks needed to pass.
   *
   * @return one or more
   */
  public int parties() {
    return parties;
  }

  /**
   * The number of tasks waiting in the current cycle.
   *
   * @return {@code 0..parties-1}
   */
  public int waiting() {
    return waiters.size();
  }

  /**
   * Whether the barrier is broken ({@link #abort()} called and not {@link #reset()}).
   *
   * @return {@code true} if broken
   */
  public boolean isBroken() {
    return broken;
  }

  @Override
  public String toString() {
    return "Barrier[" + waiters.size() + "/" + parties + (broken ? ", broken" : "") + "]";
  }
}
