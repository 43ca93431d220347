package io.jasyncio.net;

import java.io.IOException;

/**
 * A read up to a separator (a line) found no separator within the reader's buffer limit (asyncio's
 * {@code LimitOverrunError}). The buffered bytes stay in the reader, except after {@link
 * StreamReader#readLine()}, which drops them as asyncio does.
 */
public final class LimitOverrunException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int consumed;

  /**
   * @param message what overran
   * @param consumed how many bytes are to be consumed (buffered without a separator)
   */
  public LimitOverrunException(String message, int consumed) {
    super(message);
    this.consumed = consumed;
  }

  /** How many bytes were buffered without finding the separator. */
  public int consumed() {
    return consumed;
  }
}
