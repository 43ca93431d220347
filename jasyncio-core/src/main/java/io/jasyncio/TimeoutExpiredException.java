package io.jasyncio;

/**
 * Thrown when a timeout scope ({@link Async#timeout}, {@link Async#waitFor}) expires: the work
 * inside it was cancelled and the cancellation was turned into this exception at the scope's exit
 * (asyncio's {@code TimeoutError}). The cancellation that did it is the cause.
 */
public final class TimeoutExpiredException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what timed out
   * @param cause the cancellation the expiry caused, or {@code null}
   */
  public TimeoutExpiredException(String message, Throwable cause) {
    super(message, cause);
  }
}
