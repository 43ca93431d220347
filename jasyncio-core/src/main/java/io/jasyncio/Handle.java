package io.jasyncio;

import io.jasyncio.internal.HandleImpl;

/**
 * A callback scheduled on an {@link EventLoop} by {@link EventLoop#callSoon}, returned so it can
 * be cancelled before it runs (asyncio's {@code Handle}).
 */
public sealed interface Handle permits TimerHandle, HandleImpl {
  /**
   * Cancels the callback if it has not run yet; does nothing otherwise. Safe to call more than
   * once. Must be called on the loop's thread, except for handles returned by {@link
   * EventLoop#callSoonThreadsafe}, which may be cancelled from any thread.
   */
  void cancel();

  /** Returns whether {@link #cancel()} was called. */
  boolean isCancelled();
}
