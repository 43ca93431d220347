package io.jasyncio.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a stream writer's bytes go (a socket, a TLS session over a socket, a pipe). Loop thread
 * only.
 *
 * <p>Contract: {@link #write} never waits. A sink may keep bytes it accepted in a buffer of its own
 * (TLS records not yet sent); it then reports {@link #hasBuffered()} and sends them from {@link
 * #flush()}, which the writer calls from its writable callback. The writer closes the sink only
 * after {@code flush} returned true, unless it aborts.
 */
public interface ByteSink {
  /**
   * Takes what it can of {@code src} without waiting.
   *
   * @return the number of bytes taken from {@code src}, possibly 0
   */
  int write(ByteBuffer src) throws IOException;

  /** Whether bytes accepted by {@link #write} are still held by the sink. */
  default boolean hasBuffered() {
    return false;
  }

  /**
   * Sends what the sink holds, without waiting.
   *
   * @return true if nothing is held any more
   */
  default boolean flush() throws IOException {
    return true;
  }

  /**
   * Sets the callback the loop runs when the sink can take more; it must call {@link
   * #stopWritable()} once it has nothing left to write.
   */
  void onWritable(Runnable callback);

  /**
   * Registers the writer's handler for a failure the sink meets on a send of its own, with no task
   * involved (TLS: a reply to the peer, a close_notify sent when the socket allows).
   */
  default void onFailure(java.util.function.Consumer<IOException> listener) {}

  /** Drops the writable callback. */
  void stopWritable();

  /**
   * Ends the writing direction after everything accepted so far (a TCP half-close, a TLS
   * close_notify, closing a pipe).
   */
  void shutdownOutput() throws IOException;

  /**
   * Queues the graceful end of the session, if the transport has one (a TLS close_notify), behind
   * what is buffered: {@link #hasBuffered()} and {@link #flush()} then cover it, so a writer that
   * closes after a flush sends it even when the socket could not take it at once. Idempotent;
   * nothing to do for a plain socket or a pipe.
   *
   * @throws IOException if the transport failed
   */
  default void beginClose() throws IOException {}

  /**
   * How long a writer that has handed everything to this sink, {@link #beginClose()} included,
   * waits for the sink to send it before it aborts instead (TLS: asyncio's {@code
   * ssl_shutdown_timeout}); 0 for no limit (a plain socket waits as long as its buffered data
   * takes, as asyncio's transports do).
   */
  default long closeTimeoutNanos() {
    return 0;
  }

  /**
   * Closes the underlying transport in both directions, at once; the writer calls it once
   * everything it handed over, the graceful end queued by {@link #beginClose()} included, is sent.
   * Idempotent.
   */
  void close();

  /**
   * Closes at once with no graceful end (the writer aborts or failed): a TLS peer then sees a
   * truncated stream, not a clean close. Idempotent.
   */
  default void abort() {
    close();
  }
}
