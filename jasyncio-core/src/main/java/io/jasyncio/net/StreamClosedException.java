package io.jasyncio.net;

import java.io.IOException;

/** A read or write on a stream that this side has already closed. */
public final class StreamClosedException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was attempted on the closed stream
   */
  public StreamClosedException(String message) {
    super(message);
  }
}
