package io.jasyncio;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A result that will be available later on one event loop: a {@link Task} or a {@link Promise}
 * (asyncio's {@code Future} protocol). All methods must be called on the owning loop's thread,
 * except {@link #toCompletableFuture()}.
 *
 * @param <T> the result type
 */
public sealed interface Awaitable<T> permits Task, Promise, io.jasyncio.internal.FutureImpl {
  /**
   * Suspends the calling task until this is done, then returns the result or throws the failure.
   * Returns at once without suspending when already done.
   *
   * <p>If the calling task is cancelled while it waits, this awaitable is cancelled too (as in
   * asyncio); use {@link Async#shield(Awaitable)} to wait without that.
   *
   * @return the result
   * @throws CancelledError if the calling task is cancelled, or if this was cancelled
   * @throws AsyncException wrapping a checked exception this failed with
   * @throws IllegalStateException if not called from a task of the owning loop, or a task awaits
   *     itself
   */
  T await();

  /** Returns whether this has a result, a failure or was cancelled. Never suspends. */
  boolean isDone();

  /** Returns whether this was cancelled. Never suspends. */
  boolean isCancelled();

  /**
   * Returns the result without suspending.
   *
   * @return the result
   * @throws IllegalStateException if not done yet
   * @throws CancelledError if cancelled
   * @throws AsyncException wrapping a checked exception this failed with; unchecked ones are
   *     rethrown as they are
   */
  T result();

  /**
   * Returns the failure without suspending, or {@code null} if this completed with a result.
   * Marks the failure as retrieved, so it is not reported as unhandled.
   *
   * @return the exception or {@code null}
   * @throws IllegalStateException if not done yet
   * @throws CancelledError if cancelled
   */
  Throwable exception();

  /**
   * Requests cancellation. For a promise, it becomes cancelled at once; for a task, see {@link
   * Task#cancel()}.
   *
   * @return {@code false} if already done, else {@code true}
   */
  boolean cancel();

  /**
   * Calls {@code callback} on the loop, soon after this is done (at once scheduled if already
   * done). Callbacks run in the order they were added, as ordinary loop callbacks.
   *
   * @param callback receives this awaitable
   * @throws NullPointerException if {@code callback} is null
   */
  void addDoneCallback(Consumer<? super Awaitable<T>> callback);

  /**
   * Removes every registration of {@code callback}.
   *
   * @param callback the callback passed to {@link #addDoneCallback}
   * @return the number of registrations removed
   */
  int removeDoneCallback(Consumer<? super Awaitable<T>> callback);

  /**
   * Returns a {@link CompletableFuture} completed when this is done, for code outside the loop.
   * Thread-safe. Completing or cancelling the returned future does not affect this awaitable.
   *
   * @return a new future mirroring this one
   */
  CompletableFuture<T> toCompletableFuture();

  /** The loop this belongs to. */
  EventLoop loop();
}
