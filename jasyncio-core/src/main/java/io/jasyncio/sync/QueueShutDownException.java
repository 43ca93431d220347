package io.jasyncio.sync;

/**
 * Thrown when putting into a queue that was shut down, and when getting from one that was shut down
 * and is empty (asyncio 3.13's {@code QueueShutDown}); tasks waiting in {@link AsyncQueue#put} or
 * {@link AsyncQueue#get} at shutdown are woken with it.
 */
public final class QueueShutDownException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public QueueShutDownException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what happened
   * @param cause the cause, or {@code null}
   */
  public QueueShutDownException(String message, Throwable cause) {
    super(message, cause);
  }
}
