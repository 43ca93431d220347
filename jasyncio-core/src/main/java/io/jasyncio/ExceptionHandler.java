package io.jasyncio;

/**
 * Receives errors that no caller can receive: a callback that threw, a task whose failure was
 * never retrieved, a server handler that failed (asyncio's loop exception handler). Runs on the
 * loop's thread; it must not suspend. The default logs through {@link System.Logger} named {@code
 * io.jasyncio} at ERROR level.
 */
@FunctionalInterface
public interface ExceptionHandler {
  /**
   * Handles one error.
   *
   * @param loop the loop it happened on
   * @param context what happened
   */
  void handle(EventLoop loop, ExceptionContext context);
}
