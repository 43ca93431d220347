package io.jasyncio.net;

import io.jasyncio.internal.io.ChannelSink;
import io.jasyncio.internal.io.ChannelSource;
import io.jasyncio.internal.io.IoHandle;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * An open TCP connection: a {@link StreamReader} and a {@link StreamWriter} over one non-blocking
 * socket driven by the loop that opened or accepted it.
 *
 * <p>{@link #close()} starts a graceful close (buffered data is still sent); use it in
 * try-with-resources. The socket is closed on every path: by {@code close}, by an I/O error, and at
 * the latest when the loop closes.
 */
public final class Connection implements AutoCloseable {
  private final SocketChannel channel;
  private final StreamReader reader;
  private final StreamWriter writer;
  private final SocketAddress remote;
  private final SocketAddress local;

  Connection(SocketChannel channel, IoHandle handle, int limit, int high, int low)
      throws IOException {
    this.channel = channel;
    this.remote = channel.getRemoteAddress();
    this.local = channel.getLocalAddress();
    this.reader = new StreamReader(new ChannelSource(channel, handle), limit);
    this.writer = new StreamWriter(new ChannelSink(channel, handle), high, low);
  }

  /** The reading half. */
  public StreamReader reader() {
    return reader;
  }

  /** The writing half. */
  public StreamWriter writer() {
    return writer;
  }

  /** The peer's address ({@link InetSocketAddress} for TCP, a Unix socket address otherwise). */
  public SocketAddress remoteAddress() {
    return remote;
  }

  /** This side's address. */
  public SocketAddress localAddress() {
    return local;
  }

  /** Whether the socket is still open. */
  public boolean isOpen() {
    return channel.isOpen();
  }

  /** Starts a graceful close: see {@link StreamWriter#close()}. Does not suspend. */
  @Override
  public void close() {
    writer.close();
  }

  /** Closes at once, dropping buffered output. */
  public void abort() {
    writer.abort();
  }

  /** <b>Suspends</b> until the socket is closed. */
  public void waitClosed() {
    writer.waitClosed();
  }

  @Override
  public String toString() {
    return "Connection[" + local + " -> " + remote + (channel.isOpen() ? "" : ", closed") + "]";
  }
}
