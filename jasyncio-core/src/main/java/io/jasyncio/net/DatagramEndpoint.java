package io.jasyncio.net;

import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.io.IoHandle;
import io.jasyncio.internal.io.Poller;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A UDP endpoint (asyncio's {@code create_datagram_endpoint}, in direct style): {@link #send} /
 * {@link #sendTo} and a {@link #receive()} that <b>suspends</b> until a datagram arrives. In
 * connected mode ({@code remote} given) only that peer's datagrams are received and {@link #send}
 * needs no address. Several tasks may send and receive at once; each datagram goes to one receiver.
 * Closed by {@link #close()} and, at the latest, when the loop closes. A cancelled {@link
 * #receive()} leaves the endpoint open and usable.
 *
 * <p>An endpoint belongs to the loop that opened it: its methods called from another loop's task
 * throw {@link IllegalStateException} naming both loops.
 */
public final class DatagramEndpoint implements AutoCloseable {
  /** A received datagram and who sent it. */
  public record Datagram(byte[] data, SocketAddress sender) {}

  /**
   * Larger than any UDP payload (65,507 bytes over IPv4, 65,527 over IPv6), so that no datagram is
   * cut short: the channel silently drops what does not fit in the buffer.
   */
  private static final int MAX_DATAGRAM = 65_535;

  private final DatagramChannel channel;
  private final IoHandle handle;
  private final ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);

  private final Turn sendTurn = new Turn(SelectionKey.OP_WRITE);
  private final Turn receiveTurn = new Turn(SelectionKey.OP_READ);

  private DatagramEndpoint(DatagramChannel channel, IoHandle handle) {
    this.channel = channel;
    this.handle = handle;
  }

  /**
   * Opens an endpoint bound to {@code local} (null: any address, any port), connected to {@code
   * remote} if it is not null. Does not suspend: the addresses must be resolved ({@link
   * InetSocketAddress} with an IP); to use host names, which are resolved off the loop, call {@link
   * #open(String, int, String, int)}.
   *
   * @throws IllegalArgumentException if an address is unresolved, or {@code remote} has port 0
   */
  public static DatagramEndpoint open(InetSocketAddress local, InetSocketAddress remote)
      throws IOException {
    LoopImpl.currentTask("DatagramEndpoint.open");
    checkResolved("local", local);
    checkResolved("remote", remote);
    if (remote != null && remote.getPort() == 0) {
      throw new IllegalArgumentException(
          "DatagramEndpoint.open: the remote address needs a port (1..65535): " + remote);
    }
    return openChannel(null, local, remote);
  }

  /**
   * Opens an endpoint bound to {@code localHost:localPort}, not connected; <b>suspends</b> while a
   * host name is resolved (on a virtual thread, never on the loop; IP literals need no resolution).
   *
   * @param localHost a host name or IP literal to bind to, or null for every address
   * @param localPort 0 to 65535 (0: a free port)
   * @throws java.net.UnknownHostException if the name does not resolve
   */
  public static DatagramEndpoint open(String localHost, int localPort) throws IOException {
    LoopImpl.currentTask("DatagramEndpoint.open");
    checkHost("localHost", localHost, true);
    checkPort("localPort", localPort, 0);
    if (localHost == null) {
      return openChannel(null, new InetSocketAddress(localPort), null);
    }
    InetAddress a = Streams.resolve(localHost).get(0);
    return openChannel(family(a), new InetSocketAddress(a, localPort), null);
  }

  /**
   * Opens an endpoint bound to {@code localHost:localPort} and connected to {@code
   * remoteHost:remotePort} (asyncio's {@code create_datagram_endpoint(local_addr=...,
   * remote_addr=...)}); <b>suspends</b> while host names are resolved, off the loop. The first
   * remote address of a family the local host also resolves to is used.
   *
   * @param localHost a host name or IP literal to bind to, or null for any address
   * @param localPort 0 to 65535 (0: a free port)
   * @param remoteHost the peer's host name or IP literal
   * @param remotePort 1 to 65535
   * @throws java.net.UnknownHostException if a name does not resolve
   * @throws java.net.SocketException if the local and remote names have no address family in common
   */
  public static DatagramEndpoint open(
      String localHost, int localPort, String remoteHost, int remotePort) throws IOException {
    LoopImpl.currentTask("DatagramEndpoint.open");
    checkHost("localHost", localHost, true);
    checkPort("localPort", localPort, 0);
    checkHost("remoteHost", remoteHost, false);
    checkPort("remotePort", remotePort, 1);
    List<InetAddress> remotes = Streams.resolve(remoteHost);
    if (localHost == null) {
      InetAddress r = remotes.get(0);
      return openChannel(
          null, new InetSocketAddress(localPort), new InetSocketAddress(r, remotePort));
    }
    List<InetAddress> locals = Streams.resolve(localHost);
    for (InetAddress r : remotes) {
      for (InetAddress l : locals) {
        if (family(l) == family(r)) {
          return openChannel(
              family(l), new InetSocketAddress(l, localPort), new InetSocketAddress(r, remotePort));
        }
      }
    }
    throw new SocketException(
        "DatagramEndpoint.open: local host "
            + localHost
            + " "
            + locals
            + " and remote host "
            + remoteHost
            + " "
            + remotes
            + " have no address family (IPv4, IPv6) in common");
  }

  private static DatagramEndpoint openChannel(
      ProtocolFamily family, InetSocketAddress local, InetSocketAddress remote) throws IOException {
    DatagramChannel ch = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
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

  private static ProtocolFamily family(InetAddress a) {
    return a instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
  }

  private static void checkResolved(String which, InetSocketAddress a) {
    if (a != null && a.isUnresolved()) {
      throw new IllegalArgumentException(
          "DatagramEndpoint.open: the "
              + which
              + " address "
              + a
              + " is unresolved; pass a resolved InetSocketAddress, or the host name to"
              + " DatagramEndpoint.open(localHost, localPort, remoteHost, remotePort), which"
              + " resolves it off the loop");
    }
  }

  private static void checkHost(String which, String host, boolean nullable) {
    if (host == null) {
      if (!nullable) {
        throw new NullPointerException("DatagramEndpoint.open: " + which + " must not be null");
      }
      return;
    }
    if (host.isBlank()) {
      throw new IllegalArgumentException(
          "DatagramEndpoint.open: "
              + which
              + " must not be empty"
              + (nullable ? " (null means every local address)" : ""));
    }
  }

  private static void checkPort(String which, int port, int min) {
    if (port < min || port > 65535) {
      throw new IllegalArgumentException(
          "DatagramEndpoint.open: " + which + " must be in " + min + "..65535: " + port);
    }
  }

  /** The bound local address. */
  public InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  /**
   * Sends one datagram to {@code target}; <b>suspends</b> only if the socket buffer is full.
   *
   * @throws IllegalArgumentException if {@code target} is unresolved, or the endpoint is connected
   *     to another address (asyncio's {@code sendto} raises {@code ValueError} there too)
   * @throws StreamClosedException after {@link #close()}
   */
  public void sendTo(byte[] data, SocketAddress target) throws IOException {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(target, "target");
    if (target instanceof InetSocketAddress a && a.isUnresolved()) {
      throw new IllegalArgumentException(
          "sendTo: the target " + a + " is unresolved; pass a resolved InetSocketAddress");
    }
    checkOpen("sendTo");
    SocketAddress peer = channel.getRemoteAddress();
    if (peer != null && !peer.equals(target)) {
      // the channel's own AlreadyConnectedException carries no message
      throw new IllegalArgumentException(
          "sendTo: this endpoint is connected to "
              + peer
              + " and sends only there (use send(data)), not to "
              + target);
    }
    ByteBuffer bb = ByteBuffer.wrap(data);
    try {
      while (channel.send(bb, target) == 0 && data.length > 0) {
        sendTurn.await("sendTo");
      }
    } catch (AsynchronousCloseException e) {
      throw new StreamClosedException("the endpoint was closed while sending");
    }
  }

  /**
   * Sends to the connected peer; <b>suspends</b> only if the socket buffer is full.
   *
   * @throws java.net.PortUnreachableException if an earlier datagram was refused (the peer's port
   *     is closed): the operating system reports the refusal to the next send or receive
   * @throws StreamClosedException after {@link #close()}
   */
  public void send(byte[] data) throws IOException {
    Objects.requireNonNull(data, "data");
    checkOpen("send");
    if (!channel.isConnected()) {
      throw new IllegalStateException("send needs a connected endpoint; use sendTo(data, target)");
    }
    ByteBuffer bb = ByteBuffer.wrap(data);
    try {
      while (channel.write(bb) == 0 && data.length > 0) {
        sendTurn.await("send");
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
        receiveTurn.await("receive");
      }
    } catch (AsynchronousCloseException e) {
      throw new StreamClosedException("the endpoint was closed while receiving");
    }
  }

  /**
   * One direction (sending or receiving) of the socket, which many tasks may use at once: the first
   * to find the socket not ready waits for it on the selector, the others queue behind it and are
   * woken to try again when it is done (readiness, cancellation or close).
   */
  private final class Turn {
    private final int op;
    private final TaskWaiters queue = new TaskWaiters();
    private boolean taken;

    Turn(int op) {
      this.op = op;
    }

    /**
     * <b>Suspends</b> until the socket may be ready for this direction.
     *
     * @throws AsynchronousCloseException if the endpoint is closed meanwhile
     */
    void await(String what) throws IOException {
      if (taken) {
        queue.await(what);
      } else {
        taken = true;
        try {
          handle.await(op, what);
        } finally {
          taken = false;
          queue.wakeAll();
        }
      }
      if (handle.isClosed()) {
        throw new AsynchronousCloseException();
      }
    }
  }

  private void checkOpen(String what) throws IOException {
    LoopImpl.currentTaskOn(handle.loop(), "DatagramEndpoint", what);
    if (handle.isClosed()) {
      throw new StreamClosedException(what + " on a closed datagram endpoint");
    }
  }

  /** Closes the socket; a task waiting in {@link #receive()} gets {@link StreamClosedException}. */
  @Override
  public void close() {
    if (handle.isClosed()) {
      return; // already closed (also by the loop's own close): nothing to check or do
    }
    LoopImpl.checkOn(handle.loop(), "DatagramEndpoint", "close");
    handle.closeChannel();
  }
}
