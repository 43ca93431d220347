package io.jasyncio.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectionKey;

/**
 * A {@link ByteSource} over a non-blocking channel registered with the loop's poller.
 *
 * <p>A read that came back shorter than the space offered almost always emptied the socket. If the
 * selector still watches the channel for reading ({@link IoHandle#isWatching}: no readiness has
 * been reported and left unclaimed since), the next {@link #read} reports 0 without a system call
 * and the reader waits for readiness instead: in request/response traffic that saves the read that
 * would only find {@code EAGAIN} (one of about four system calls per echo round trip). The selector
 * is level-triggered, so bytes that arrived meanwhile are reported at the next poll. When the
 * interest was dropped (the loop polled while the reader was busy elsewhere and saw bytes), or the
 * read filled the space offered (bulk transfer), the next read tries the channel as before. Netty's
 * receive-buffer heuristic stops reading on a short read too.
 */
public final class ChannelSource implements ByteSource {
  private final ReadableByteChannel channel;
  private final IoHandle handle;
  private boolean drained;

  /** A source reading {@code channel}, which {@code handle} registers. */
  public ChannelSource(ReadableByteChannel channel, IoHandle handle) {
    this.channel = channel;
    this.handle = handle;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (drained) {
      drained = false;
      if (handle.isWatching(SelectionKey.OP_READ)) {
        return 0;
      }
    }
    int offered = dst.remaining();
    int n = channel.read(dst);
    drained = n > 0 && n < offered;
    return n;
  }

  @Override
  public void awaitReadable() throws IOException {
    handle.await(SelectionKey.OP_READ, "read");
  }

  @Override
  public boolean isClosed() {
    return handle.isClosed();
  }
}
