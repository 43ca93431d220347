package io.jasyncio.sync;

/** Thrown by {@link AsyncQueue#putNow} when the queue is full (asyncio's {@code QueueFull}). */
public final class QueueFullException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public QueueFullException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what happened
   * @param cause the cause, or {@code null}
   */
  public QueueFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
