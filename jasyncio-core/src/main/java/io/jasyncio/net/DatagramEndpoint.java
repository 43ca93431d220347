package io.jasyncio.net;

import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.io.IoHandle;
import io.jasyncio.internal.io.Poller;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * A UDP endpoint (asyncio's {@code create_datagram_endpoint}, in direct style): {@link #send} /
 * {@link #sendTo} and a {@link #receive()} that <b>suspends</b> until a datagram arrives. In
 * connected mode ({@code remote} given) only that peer's datagrams are received and {@link #send}
 * needs no address. One receiving task at a time. Closed by {@link #close()} and, at the latest,
 * when the loop closes.
 */
public final class DatagramEndpoint implements AutoCloseable {
  /** A received datagram and who sent it. */
  public record Datagram(byte[] data, SocketAddress sender) {}

  private static final int MAX_DATAGRAM = 65_507;
  private final DatagramChannel channel;
  private final IoHandle handle;
  private final ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);

  private DatagramEndpoint(DatagramChannel channel, IoHandle handle) {
    this.channel = channel;
    this.handle = handle;
  }

  /**
   * Opens an endpoint bound to {@code local} (null: any address, any port), connected to {@code
   * remote} if it is not null. Addresses must be resolved ({@link InetSocketAddress} with an IP).
   */
  public static DatagramEndpoint open(InetSocketAddress local, InetSocketAddress remote)
      throws IOException {
    LoopImpl.currentTask("DatagramEndpoint.open");
    DatagramChannel ch = DatagramChannel.open();
    boolean ok = false;
    try {
      ch.configureBlocking(false);
      ch.bind(local);
      if (remote != null) {
        ch.connect(remote);
      }
      DatagramEndpoint e =
          new DatagramEndpoint(ch, Poller.current("DatagramEndpoint.open").register(ch));
      ok = true;
      return e;
    } finally {
      if (!ok) {
        ch.close();
      }
    }
  }

  /** The bound local address. */
  public InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  /**
   * Sends one datagram to {@code target}; <b>suspends</b> only if the socket buffer is full.
   *
   * @throws StreamClosedException after {@link #close()}
   */
  public void sendTo(byte[] data, SocketAddress target) throws IOException {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(target, "target");
    checkOpen("sendTo");
    ByteBuffer bb = ByteBuffer.wrap(data);
    try {
      while (channel.send(bb, target) == 0 && data.length > 0) {
        handle.await(SelectionKey.OP_WRITE, "sendTo");
      }
    } catch (AsynchronousCloseException e) {
      throw new StreamClosedException("the endpoint was closed while sending");
    }
  }

  /** Sends to the connected peer. */
  public void send(byte[] data) throws IOException {
    Objects.requireNonNull(data, "data");
    checkOpen("send");
    if (!channel.isConnected()) {
      throw new IllegalStateException("send needs a connected endpoint; use sendTo(data, target)");
    }
    ByteBuffer bb = ByteBuffer.wrap(data);
    try {
      while (channel.write(bb) == 0 && data.length > 0) {
        handle.await(SelectionKey.OP_WRITE, "send");
      }
    } catch (AsynchronousCloseException e) {
      throw new StreamClosedException("the endpoint was closed while sending");
    }
  }

  /**
   * <b>Suspends</b> until a datagram arrives.
   *
   * @throws java.net.PortUnreachableException in connected mode, if the peer's port is closed
   * @throws StreamClosedException if the endpoint is (or gets) closed
   */
  public Datagram receive() throws IOException {
    checkOpen("receive");
    try {
      for (; ; ) {
        buf.clear();
        SocketAddress from = channel.receive(buf);
        if (from != null) {
          buf.flip();
          return new Datagram(Arrays.copyOf(buf.array(), buf.limit()), from);
        }
        handle.await(SelectionKey.OP_READ, "receive");
      }
    } catch (AsynchronousCloseException e) {
      throw new StreamClosedException("the endpoint was closed while receiving");
    }
  }

  private void checkOpen(String what) throws IOException {
    LoopImpl.currentTask("DatagramEndpoint", what);
    if (handle.isClosed()) {
      throw new StreamClosedException(what + " on a closed datagram endpoint");
    }
  }

  /** Closes the socket; a task waiting in {@link #receive()} gets {@link StreamClosedException}. */
  @Override
  public void close() {
    handle.closeChannel();
  }
}
