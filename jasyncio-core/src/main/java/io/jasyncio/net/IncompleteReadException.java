package io.jasyncio.net;

import java.io.EOFException;

/**
 * The stream ended before a read got what it asked for (asyncio's {@code IncompleteReadError}). The
 * bytes that did arrive are in {@link #partial()}; they are no longer in the stream.
 */
public final class IncompleteReadException extends EOFException {
  private static final long serialVersionUID = 1L;

  /** The bytes received before the end of the stream. */
  @SuppressWarnings("serial")
  private final byte[] partial;

  private final long expected;

  /**
   * @param partial the bytes received
   * @param expected how many were wanted, or -1 when reading up to a separator
   */
  public IncompleteReadException(byte[] partial, long expected) {
    super(
        partial.length
            + " bytes read on a total of "
            + (expected < 0 ? "undefined" : String.valueOf(expected))
            + " expected bytes: the stream ended first");
    this.partial = partial.clone();
    this.expected = expected;
  }

  /** The bytes received before the end of the stream (a copy). */
  public byte[] partial() {
    return partial.clone();
  }

  /** How many bytes were expected, or -1 when reading up to a separator. */
  public long expected() {
    return expected;
  }
}
