package io.jasyncio.sync;

import io.jasyncio.CancelledError;
import io.jasyncio.internal.TaskImpl;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable bound to a {@link Lock} (asyncio's {@code Condition}): a task holding the
 * lock waits in {@link #await()} until another task holding it calls {@link #signal()}.
 *
 * <pre>{@code
 * try (var held = cond.lock()) {
 *   cond.awaitUntil(() -> !items.isEmpty());
 *   use(items.removeFirst());
 * }
 * }</pre>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>{@code await} returns, or throws, with the lock held again, cancellation included (asyncio
 *       re-acquires the lock even when the wait is cancelled).
 *   <li>Signals wake waiters first-in first-out; a waiter that was signalled and cancelled before
 *       it ran passes its signal on to the next waiter (asyncio 3.13), so no signal is lost.
 *   <li>A waiter cancelled while waiting consumes no signal.
 * </ul>
 *
 * <p>As in asyncio, the lock must be <em>locked</em> to wait or signal; ownership is not tracked.
 * Bound to the event loop of the first task that uses it.
 */
public final class Condition {
  private final LoopBinding binding = new LoopBinding("Condition");
  private final WaitList waiters = new WaitList();
  private final Lock lock;

  /** Creates a condition with a new lock of its own. */
  public Condition() {
    this(new Lock());
  }

  /**
   * Creates a condition on {@code lock}, which several conditions may share.
   *
   * @param lock the lock
   * @throws NullPointerException if {@code lock} is null
   */
  public Condition(Lock lock) {
    this.lock = Objects.requireNonNull(lock, "lock");
  }

  /**
   * The lock this condition is bound to.
   *
   * @return the lock
   */
  public Lock getLock() {
    return lock;
  }

  /**
   * Acquires the underlying lock; see {@link Lock#acquire()}. <b>Suspends</b> while it is held.
   *
   * @throws CancelledError if cancelled while waiting; the lock is then not held
   */
  public void acquire() {
    lock.acquire();
  }

  /**
   * Releases the underlying lock; see {@link Lock#release()}. Does not suspend.
   *
   * @throws IllegalStateException if the lock is not locked
   */
  public void release() {
    lock.release();
  }

  /**
   * Acquires the underlying lock for try-with-resources; see {@link Lock#lock()}. <b>Suspends</b>
   * while it is held.
   *
   * @return the held lock
   * @throws CancelledError if cancelled while waiting; the lock is then not held
   */
  public Permit lock() {
    return lock.lock();
  }

  /**
   * Whether the underlying lock is locked.
   *
   * @return {@code true} if locked
   */
  public boolean isLocked() {
    return lock.isLocked();
  }

  /**
   * Releases the lock, <b>suspends</b> until signalled, then re-acquires the lock (suspending again
   * if needed) and returns. The caller must have acquired the lock.
   *
   * @throws CancelledError if the task is cancelled while waiting; the lock has been re-acquired
   *     before it is thrown
   * @throws IllegalStateException if the lock is not locked, or not called from a task of the
   *     condition's loop
   */
  public void await() {
    TaskImpl<?> me = binding.task("await");
    if (!lock.isLocked()) {
      throw new IllegalStateException("Condition.await: cannot wait on an un-acquired lock");
    }
    lock.release();
    Waiter w = new Waiter(me);
    waiters.add(w);
    CancelledError cancelled = null;
    try {
      w.suspend();
    } catch (CancelledError e) {
      cancelled = e;
      if (w.granted) {
        wake(1);
      }
    }
    // Re-acquire even when cancelled: callers rely on holding the lock in their finally blocks.
    while (true) {
      try {
        lock.acquire();
        break;
      } catch (CancelledError e) {
        cancelled = e;
      }
    }
    if (cancelled != null) {
      throw cancelled;
    }
  }

  /**
   * Waits ({@link #await()}) until {@code predicate} is true; returns at once if it already is. The
   * predicate is evaluated with the lock held. <b>Suspends</b> while the predicate is false.
   *
   * @param predicate the condition to reach
   * @throws NullPointerException if {@code predicate} is null
   * @throws CancelledError if cancelled while waiting; the lock is held again when thrown
   * @throws IllegalStateException as {@link #await()}
   */
  public void awaitUntil(BooleanSupplier predicate) {
    Objects.requireNonNull(predicate, "predicate");
    while (!predicate.getAsBoolean()) {
      await();
    }
  }

  /**
   * Wakes the longest-waiting task, if any. Does not suspend. The caller must hold the lock.
   *
   * @throws IllegalStateException if the lock is not locked, or not called on the loop's thread
   */
  public void signal() {
    signal(1);
  }

  /**
   * Wakes up to {@code n} waiting tasks, longest-waiting first. Does not suspend.
   *
   * @param n how many, zero or more
   * @throws IllegalArgumentException if {@code n} is negative
   * @throws IllegalStateException if the lock is not locked, or not called on the loop's thread
   */
  public void signal(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative: " + n);
    }
    binding.check("signal");
    if (!lock.isLocked()) {
      throw new IllegalStateException("Condition.signal: cannot signal on an un-acquired lock");
    }
    wake(n);
  }

  /**
   * Wakes every waiting task. Does not suspend.
   *
   * @throws IllegalStateException if the lock is not locked, or not called on the loop's thread
   */
  public void signalAll() {
    signal(Integer.MAX_VALUE);
  }

  private void wake(int n) {
    while (n > 0 && waiters.grantFirst(null)) {
      n--;
    }
  }

  /**
   * The number of tasks waiting in {@link #await()}.
   *
   * @return zero or more
   */
  public int waiting() {
    return waiters.size();
  }

  @Override
  public String toString() {
    return "Condition[" + lock + ", waiters=" + waiters.size() + "]";
  }
}
