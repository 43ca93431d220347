package io.jasyncio;

import io.jasyncio.internal.TaskImpl;

/**
 * A running piece of work on an event loop: a plain Java method executed on its own stack,
 * switched out only at suspension points (asyncio's {@code Task}). Create one with {@link
 * Async#spawn} or inside a {@link TaskGroup}.
 *
 * <p>All methods must be called on the loop's thread.
 *
 * @param <T> the result type
 */
public sealed interface Task<T> extends Awaitable<T> permits TaskImpl {
  /** The task's name: the one given at spawn, or {@code Task-N}. */
  String name();

  /**
   * Renames the task.
   *
   * @param name the new name
   * @throws NullPointerException if {@code name} is null
   */
  void setName(String name);

  /**
   * Requests cancellation: a {@link CancelledError} is thrown in the task at its current
   * suspension point, or at its next one if it is running or already scheduled to resume. A task
   * not yet started never runs its body. Each call increments {@link #cancelling()}.
   *
   * @return {@code false} if the task is already done, else {@code true}
   */
  @Override
  boolean cancel();

  /**
   * Like {@link #cancel()}, with a message carried by the {@link CancelledError}.
   *
   * @param message the message, or {@code null}
   * @return {@code false} if the task is already done, else {@code true}
   */
  boolean cancel(String message);

  /**
   * The number of cancellation requests not yet withdrawn by {@link #uncancel()} (asyncio 3.11).
   *
   * @return a count, zero when nobody asked to cancel
   */
  int cancelling();

  /**
   * Withdraws one cancellation request; when the count reaches zero, a pending one that was not
   * delivered yet is dropped too (asyncio 3.13). Used by code that turns a cancellation into
   * something else, such as a timeout.
   *
   * @return the remaining count
   */
  int uncancel();

  /** The task that spawned this one, or {@code null} for a loop's main task. */
  Task<?> parent();
}
