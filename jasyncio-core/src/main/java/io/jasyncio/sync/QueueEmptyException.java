package io.jasyncio.sync;

import java.util.NoSuchElementException;

/**
 * Thrown by {@link AsyncQueue#getNow} when the queue is empty (asyncio's {@code QueueEmpty}). A
 * {@link NoSuchElementException}, as for {@link java.util.Queue#remove()}.
 */
public final class QueueEmptyException extends NoSuchElementException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public QueueEmptyException(String message) {
    super(message);
  }
}
