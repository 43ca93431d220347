package io.jasyncio.internal;

/**
 * What a suspended task is waiting on, asked to give the task up when the task is cancelled.
 *
 * <p>This is the one mechanism every suspending call is built on (sleep, awaiting a future, the
 * primitives of {@code io.jasyncio.sync}, stream I/O): the waiter registers itself somewhere, then
 * calls {@link TaskImpl#suspend(CancelHook)} with a hook that can undo that registration.
 */
@FunctionalInterface
public interface CancelHook {
  /**
   * Called on the loop's thread when {@code task} is cancelled while it waits on this hook.
   *
   * @return {@code true} if the hook has arranged for the task to be resumed (usually by removing
   *     its registration and calling {@link TaskImpl#resume(Object)} with {@link
   *     TaskImpl#WAKE_CANCELLED}); {@code false} if it cannot, in which case the cancellation is
   *     delivered when the task next runs
   */
  boolean cancelWait(TaskImpl<?> task);
}
