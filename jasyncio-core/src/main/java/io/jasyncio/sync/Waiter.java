package io.jasyncio.sync;

import io.jasyncio.internal.CancelHook;
import io.jasyncio.internal.TaskImpl;

/**
 * One task waiting in a {@link WaitList}; also the cancel hook of its wait.
 *
 * <p>A waiter is in at most one list. The waker removes it ({@link WaitList#poll()}), sets {@link
 * #granted} when it hands the task something (a lock, a permit, an item, a slot) and resumes the
 * task. A task cancelled while still listed is unlinked by {@link #cancelWait} and so never
 * receives anything; one cancelled after being granted finds {@code granted} set in its {@code
 * catch (CancelledError)} and hands the grant on.
 */
class Waiter implements CancelHook {
  final TaskImpl<?> task;

  /** Whether the waker handed this waiter something it must pass on if cancelled. */
  boolean granted;

  /** A value handed over with the grant (an item). */
  Object value;

  Waiter prev;
  Waiter next;
  WaitList list;

  Waiter(TaskImpl<?> task) {
    this.task = task;
  }

  /** Suspends the waiting task; the caller has added this waiter to a list. */
  final Object suspend() {
    return task.suspend(this);
  }

  @Override
  public boolean cancelWait(TaskImpl<?> t) {
    WaitList l = list;
    if (l != null) {
      l.remove(this);
    }
    return t.resume(TaskImpl.WAKE_CANCELLED);
  }

  /**
   * Wakes the task with {@code v}.
   *
   * @return whether the task was still waiting here and took it
   */
  boolean wake(Object v) {
    return task.resume(v);
  }

  /**
   * Hands the task {@code v} with a grant ({@link #granted}, {@link #value}) and wakes it; if the
   * task was no longer waiting, the grant is taken back.
   *
   * @return whether the task took the grant
   */
  final boolean grant(Object v) {
    granted = true;
    value = v;
    if (task.resume(v)) {
      return true;
    }
    granted = false;
    return false;
  }

  @Override
  public String toString() {
    return "waiter " + task.name();
  }
}
