package io.jasyncio.sync;

import io.jasyncio.CancelledError;
import io.jasyncio.internal.TaskImpl;

/**
 * A flag tasks can wait for (asyncio's {@code Event}): {@link #set()} wakes every task waiting in
 * {@link #await()}, and later calls to {@code await} return at once until {@link #clear()}.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>While the event is set, no task waits on it.
 *   <li>{@code set} wakes all waiters, in the order they started waiting.
 *   <li>A waiter cancelled while waiting (or after being woken, before it runs) throws {@link
 *       CancelledError}; this consumes nothing, the other waiters are unaffected.
 * </ul>
 *
 * <p>Bound to the event loop of the first task or callback that uses it.
 */
public final class Event {
  private final LoopBinding binding = new LoopBinding("Event");
  private final WaitList waiters = new WaitList();
  private boolean set;

  /** Creates an event that is not set. */
  public Event() {}

  /**
   * <b>Suspends</b> until the event is set; returns at once if it is set already.
   *
   * @throws CancelledError if the task is cancelled while waiting
   * @throws IllegalStateException if not called from a task, or from a task of another loop
   */
  public void await() {
    TaskImpl<?> me = binding.task("await");
    if (set) {
      return;
    }
    Waiter w = new Waiter(me);
    waiters.add(w);
    w.suspend();
  }

  /**
   * Sets the event and wakes every waiting task. Does not suspend; idempotent.
   *
   * @throws IllegalStateException if not called on the loop's thread
   */
  public void set() {
    binding.check("set");
    if (set) {
      return;
    }
    set = true;
    waiters.wakeAll(null);
  }

  /**
   * Clears the event: later calls to {@link #await()} wait again. Does not suspend.
   *
   * @throws IllegalStateException if not called on the loop's thread
   */
  public void clear() {
    binding.check("clear");
    set = false;
  }

  /**
   * Whether the event is set.
   *
   * @return {@code true} if set
   */
  public boolean isSet() {
    return set;
  }

  @Override
  public String toString() {
    return "Event[" + (set ? "set" : "unset") + ", waiters=" + waiters.size() + "]";
  }
}
