package io.jasyncio.sync;

import io.jasyncio.CancelledError;

/**
 * A mutual-exclusion lock for the tasks of one event loop (asyncio's {@code Lock}).
 *
 * <pre>{@code
 * try (var held = lock.lock()) {
 *   // at most one task at a time runs here, even across suspension points
 * }
 * }</pre>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>Waiters are served first-in first-out: {@link #release()} hands the lock straight to the
 *       longest-waiting task, so a task calling {@link #acquire()} meanwhile cannot barge in.
 *   <li>If any task waits, the lock is locked.
 *   <li>A task cancelled while waiting never gets the lock; one that was handed the lock and
 *       cancelled before it could run releases it again (to the next waiter) before its {@link
 *       CancelledError} propagates. No acquisition is lost or duplicated.
 * </ul>
 *
 * <p>As in asyncio, the lock has no owner: any task of the loop may release it. Like every object
 * of this package it is bound to the event loop of the first task that uses it; using it from
 * another loop throws {@link IllegalStateException}. Not reentrant.
 */
public final class Lock {
  /** The lock is a one-permit semaphore: locked means the permit is taken. */
  private final Semaphore permit = new Semaphore(1, "Lock");

  /** Creates an unlocked lock. */
  public Lock() {}

  /**
   * Acquires the lock, <b>suspending</b> while another task holds it. Does not suspend when the
   * lock is free.
   *
   * @throws CancelledError if the task is cancelled while waiting; the lock is then not held
   * @throws IllegalStateException if not called from a task, or from a task of another loop
   */
  public void acquire() {
    permit.acquire();
  }

  /**
   * Acquires the lock if it is free. Does not suspend.
   *
   * @return whether the lock was acquired
   * @throws IllegalStateException if not called on the loop's thread
   */
  public boolean tryAcquire() {
    return permit.tryAcquire();
  }

  /**
   * {@link #acquire()}, returning a {@link Permit} whose {@code close()} releases the lock: the
   * try-with-resources form. <b>Suspends</b> while the lock is held.
   *
   * @return the held lock; close it once
   * @throws CancelledError if the task is cancelled while waiting; nothing is then held
   * @throws IllegalStateException if not called from a task, or from a task of another loop
   */
  public Permit lock() {
    acquire();
    return new Permit(this::release);
  }

  /**
   * Releases the lock, handing it to the first waiting task if there is one. Does not suspend.
   *
   * @throws IllegalStateException if the lock is not locked, or not called on the loop's thread
   */
  public void release() {
    permit.check("release");
    if (!permit.isLocked()) {
      throw new IllegalStateException("Lock.release: the lock is not locked");
    }
    permit.handOn(); // to the first waiter (it stays locked), else unlocks
  }

  /**
   * Whether some task holds the lock (or it was just handed to a waiter that has not run yet).
   *
   * @return {@code true} if locked
   */
  public boolean isLocked() {
    return permit.isLocked();
  }

  /**
   * The number of tasks waiting to acquire the lock.
   *
   * @return zero or more
   */
  public int waiting() {
    return permit.waiting();
  }

  @Override
  public String toString() {
    return "Lock[" + (isLocked() ? "locked" : "unlocked") + ", waiters=" + waiting() + "]";
  }
}
