package io.jasyncio;

/** When {@link Async#wait} returns (asyncio's {@code return_when}). */
public enum WaitMode {
  /** As soon as any awaitable is done. */
  FIRST_COMPLETED,
  /** As soon as any awaitable fails (not counting cancellation), or when all are done. */
  FIRST_EXCEPTION,
  /** When all are done. */
  ALL_COMPLETED
}
