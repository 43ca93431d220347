package io.jasyncio.net;

import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.TaskImpl;
import java.util.ArrayDeque;

/**
 * Tasks waiting for a state change of a stream or server, woken all at once; each rechecks its
 * condition. Loop thread only.
 */
final class TaskWaiters {
  private final ArrayDeque<TaskImpl<?>> tasks = new ArrayDeque<>();

  /**
   * <b>Suspends</b> the current task until {@link #wakeAll()}; a cancelled waiter leaves the queue.
   *
   * @param what names the operation in the error when no task is running
   */
  void await(String what) {
    TaskImpl<?> me = LoopImpl.currentTask(what);
    tasks.add(me);
    me.suspend(
        t -> {
          tasks.remove(t);
          return t.resume(TaskImpl.WAKE_CANCELLED);
        });
  }

  /** Wakes every waiting task. */
  void wakeAll() {
    TaskImpl<?> t;
    while ((t = tasks.poll()) != null) {
      t.resume(null);
    }
  }
}
