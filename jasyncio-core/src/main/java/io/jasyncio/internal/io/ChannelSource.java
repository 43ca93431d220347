package io.jasyncio.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectionKey;

/** A {@link ByteSource} over a non-blocking channel registered with the loop's poller. */
public final class ChannelSource implements ByteSource {
  private final ReadableByteChannel channel;
  private final IoHandle handle;

  /** A source reading {@code channel}, which {@code handle} registers. */
  public ChannelSource(ReadableByteChannel channel, IoHandle handle) {
    this.channel = channel;
    this.handle = handle;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return channel.read(dst);
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
