package io.jasyncio.sync;

/**
 * Thrown when sending to a closed {@link Channel}, and when receiving from one that is closed and
 * drained. When the channel was closed with a cause ({@link Channel#close(Throwable)}), receivers
 * get this exception with that cause.
 */
public final class ChannelClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public ChannelClosedException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what happened
   * @param cause the cause, or {@code null}
   */
  public ChannelClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
