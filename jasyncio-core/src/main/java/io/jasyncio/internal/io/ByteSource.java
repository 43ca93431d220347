package io.jasyncio.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where a stream reader's bytes come from (a socket, a pipe). Loop thread only. */
public interface ByteSource {
  /**
   * Reads what is available without waiting.
   *
   * @return bytes read, 0 if none is available now (or, for a source that knows, none is likely to
   *     be: the caller then awaits readiness, which reports bytes that did arrive at once), -1 at
   *     end of stream
   */
  int read(ByteBuffer dst) throws IOException;

  /** <b>Suspends</b> until {@link #read} may return something other than 0. */
  void awaitReadable() throws IOException;

  /** Whether the source was closed locally. */
  boolean isClosed();
}
