package io.jasyncio.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectionKey;

/**
 * A {@link ByteSource} over a non-blocking channel registered with the loop's poller.
 *
 * <p>A read that came back shorter than the space offered almost always emptied the socket, so the
 * next {@link #read} reports 0 without a system call and the reader waits for readiness instead: in
 * request/response traffic that saves the read that would only find {@code EAGAIN} (one of about
 * four system calls per echo round trip). The selector is level-triggered, so bytes that did arrive
 * meanwhile are reported at once; a read that fills the space offered (bulk transfer) keeps reading
 * without waiting. Netty's receive-buffer heuristic stops reading on the same condition.
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
      return 0;
    }
    int offered = dst.remaining();
    int n = channel.read(dst);
    drained = n > 0 && n < offered;
    return n;
  }

  @Override
  public void awaitReadable() throws IOException {
    drained = false;
    handle.await(SelectionKey.OP_READ, "read");
  }

  @Override
  public boolean isClosed() {
    return handle.isClosed();
  }
}
