package io.jasyncio.internal.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * Closing on paths that cannot report a failure: clean-up, rollback, release after cancellation.
 */
public final class Closeables {
  private Closeables() {}

  /**
   * Closes {@code c}, ignoring an {@link IOException}: closing releases the descriptor even when it
   * reports a failure (a broken pipe failing the final flush, say).
   */
  public static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // the descriptor is released anyway
    }
  }
}
