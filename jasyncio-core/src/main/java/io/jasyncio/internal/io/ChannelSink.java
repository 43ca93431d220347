package io.jasyncio.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A {@link ByteSink} over a non-blocking socket registered with the loop's poller. */
public final class ChannelSink implements ByteSink {
  private final SocketChannel channel;
  private final IoHandle handle;

  /** A sink writing {@code channel}, which {@code handle} registers. */
  public ChannelSink(SocketChannel channel, IoHandle handle) {
    this.channel = channel;
    this.handle = handle;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return channel.write(src);
  }

  @Override
  public void onWritable(Runnable callback) {
    handle.onWritable(callback);
  }

  @Override
  public void stopWritable() {
    handle.stopWritable();
  }

  @Override
  public void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public void close() {
    handle.closeChannel();
  }
}
