package io.jasyncio;

import io.jasyncio.internal.PromiseImpl;

/**
 * A result that some code on the loop sets later (asyncio's {@code Future}): tasks {@link #await()}
 * it, and whoever produces the value calls {@link #complete} or {@link #fail}. Create one with
 * {@link Async#promise()} or {@link EventLoop#createPromise()}.
 *
 * <p>All methods must be called on the loop's thread; from another thread, go through {@link
 * EventLoop#callSoonThreadsafe}.
 *
 * @param <T> the result type
 */
public sealed interface Promise<T> extends Awaitable<T> permits PromiseImpl {
  /**
   * Sets the result and wakes the waiters.
   *
   * @param value the result, may be {@code null}
   * @throws IllegalStateException if already done
   */
  void complete(T value);

  /**
   * Sets a failure and wakes the waiters.
   *
   * @param error the failure; use {@link #cancel()} for cancellation
   * @throws IllegalStateException if already done
   * @throws IllegalArgumentException if {@code error} is a {@link CancelledError}
   * @throws NullPointerException if {@code error} is null
   */
  void fail(Throwable error);

  /**
   * Cancels the promise at once and wakes the waiters with {@link CancelledError}.
   *
   * @return {@code false} if already done
   */
  @Override
  boolean cancel();
}
