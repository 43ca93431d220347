package io.jasyncio;

import io.jasyncio.internal.TimerHandleImpl;

/**
 * A callback scheduled at a deadline by {@link EventLoop#callLater} or {@link EventLoop#callAt}
 * (asyncio's {@code TimerHandle}).
 */
public sealed interface TimerHandle extends Handle permits TimerHandleImpl {
  /** The deadline on the loop's clock ({@link EventLoop#time()}, nanoseconds). */
  long when();
}
