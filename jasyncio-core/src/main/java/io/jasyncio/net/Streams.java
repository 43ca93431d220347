package io.jasyncio.net;

import io.jasyncio.Async;
import io.jasyncio.AsyncException;
import io.jasyncio.TimeoutExpiredException;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.io.Blocking;
import io.jasyncio.internal.io.IoHandle;
import io.jasyncio.internal.io.Poller;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;

/**
 * TCP streams (asyncio's {@code open_connection} / {@code start_server}), driven by the loop's own
 * selector: no thread per connection and no thread hop per I/O event.
 *
 * <pre>{@code
 * try (Connection c = Streams.openConnection("example.com", 80)) {
 *   c.writer().write("HEAD / HTTP/1.0\r\n\r\n".getBytes(US_ASCII));
 *   byte[] status = c.reader().readLine();
 * }
 * }</pre>
 *
 * Every method must be called from a task. Host names are resolved on a virtual thread, never on
 * the loop. Sockets are closed on every failure path and, at the latest, when the loop closes.
 *
 * <p>TLS: give the options a {@link TlsOptions} ({@link ConnectOptions#tls}, {@link
 * ServerOptions#tls}), or upgrade an open connection with {@link Connection#startTls}.
 */
public final class Streams {
  private Streams() {}

  /**
   * {@link #openConnection(String, int, ConnectOptions)} with {@link ConnectOptions#defaults()}.
   */
  public static Connection openConnection(String host, int port) throws IOException {
    return openConnection(host, port, ConnectOptions.defaults());
  }

  /**
   * Opens a TCP connection; <b>suspends</b> while resolving and connecting. The resolved addresses
   * are tried one after another until one connects (sequential fallback).
   *
   * <p>With {@link ConnectOptions#tls TLS options} the TLS handshake follows on the connection that
   * was made (a failed handshake is not retried on the next address); the server's certificate is
   * checked against {@code host} unless the options name another server or turn verification off.
   *
   * @param host a host name or an IP literal
   * @param port 0 to 65535
   * @param options timeouts, local address, buffer sizes, TLS
   * @return the connection, with TCP_NODELAY on
   * @throws java.net.UnknownHostException if the name does not resolve
   * @throws java.net.ConnectException if every address refused (others attached as suppressed)
   * @throws SocketTimeoutException if the connect timeout ran out for every address
   * @throws TlsHandshakeException if the TLS handshake failed or timed out (the socket is closed)
   * @throws io.jasyncio.CancelledError if cancelled (the socket is closed)
   */
  public static Connection openConnection(String host, int port, ConnectOptions options)
      throws IOException {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(options, "options");
    checkPort(port);
    LoopImpl.currentTask("openConnection");
    TlsOptions tls = options.tls();
    String name = tls == null || tls.serverName() == null ? host : tls.serverName();
    SSLEngine engine = tls == null ? null : Tls.engine(tls, name, port);
    Connection c = openTcp(host, port, options);
    c.host(host);
    if (tls != null) {
      c.secure(tls, engine, name);
    }
    return c;
  }

  private static Connection openTcp(String host, int port, ConnectOptions options)
      throws IOException {
    List<InetAddress> addresses = resolve(host);
    IOException first = null;
    for (InetAddress a : addresses) {
      try {
        return connect(new InetSocketAddress(a, port), options);
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    throw Objects.requireNonNull(first);
  }

  private static Connection connect(InetSocketAddress to, ConnectOptions o) throws IOException {
    SocketChannel ch = SocketChannel.open();
    IoHandle h = null;
    boolean ok = false;
    try {
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (o.localAddress() != null) {
        ch.bind(o.localAddress());
      }
      h = Poller.current("openConnection").register(ch);
      if (!ch.connect(to)) {
        IoHandle handle = h;
        if (o.connectTimeout() == null) {
          finishConnect(ch, handle);
        } else {
          try {
            Async.timeout(
                o.connectTimeout(),
                () -> {
                  finishConnect(ch, handle);
                  return null;
                });
          } catch (TimeoutExpiredException e) {
            var t = new SocketTimeoutException("connect to " + to + " timed out");
            t.initCause(e);
            throw t;
          } catch (AsyncException e) {
            throw Blocking.unwrap(e);
          }
        }
      }
      Connection c = new Connection(ch, h, o.limit(), o.writeHighWater(), o.writeLowWater());
      ok = true;
      return c;
    } catch (java.net.ConnectException e) {
      var c = new java.net.ConnectException(e.getMessage() + ": " + to);
      c.initCause(e);
      throw c;
    } finally {
      if (!ok) {
        if (h != null) {
          h.closeChannel();
        } else {
          ch.close();
        }
      }
    }
  }

  private static void finishConnect(SocketChannel ch, IoHandle h) throws IOException {
    while (!ch.finishConnect()) {
      h.await(SelectionKey.OP_CONNECT, "openConnection");
    }
  }

  /**
   * Connects to a Unix domain socket (asyncio's {@code open_unix_connection}); <b>suspends</b>
   * while connecting. TLS options need a {@link TlsOptions#serverName serverName} to verify, or
   * {@code verifyHostname(false)}.
   *
   * @throws java.net.ConnectException if nobody listens there
   * @throws TlsHandshakeException if the TLS handshake failed (the socket is closed)
   */
  public static Connection openUnixConnection(Path path, ConnectOptions options)
      throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(options, "options");
    LoopImpl.currentTask("openUnixConnection");
    TlsOptions tls = options.tls();
    SSLEngine engine = tls == null ? null : Tls.engine(tls, tls.serverName(), -1);
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    IoHandle h = null;
    boolean ok = false;
    try {
      ch.configureBlocking(false);
      h = Poller.current("openUnixConnection").register(ch);
      if (!ch.connect(UnixDomainSocketAddress.of(path))) {
        finishConnect(ch, h);
      }
      Connection c =
          new Connection(ch, h, options.limit(), options.writeHighWater(), options.writeLowWater());
      if (tls != null) {
        c.secure(tls, engine, tls.serverName());
      }
      ok = true;
      return c;
    } catch (java.net.SocketException e) {
      var c = new java.net.ConnectException(e.getMessage() + ": " + path);
      c.initCause(e);
      throw c;
    } finally {
      if (!ok) {
        if (h != null) {
          h.closeChannel();
        } else {
          ch.close();
        }
      }
    }
  }

  /**
   * Serves a Unix domain socket at {@code path} (asyncio's {@code start_unix_server}). The socket
   * file is created by the bind and is not removed at close (as in asyncio before 3.13).
   *
   * @throws java.net.BindException if the path exists
   */
  public static Server startUnixServer(Path path, ConnectionHandler handler, ServerOptions options)
      throws IOException {
    Objects.requireNonNull(path, "path");
    LoopImpl.currentTask("startUnixServer");
    ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    boolean ok = false;
    try {
      ch.bind(UnixDomainSocketAddress.of(path), options.backlog());
      Server s = startServer(ch, handler, options);
      ok = true;
      return s;
    } finally {
      if (!ok) {
        ch.close();
      }
    }
  }

  /** {@link #startServer(String, int, ConnectionHandler, ServerOptions)} with defaults. */
  public static Server startServer(String host, int port, ConnectionHandler handler)
      throws IOException {
    return startServer(host, port, handler, ServerOptions.defaults());
  }

  /**
   * Binds a listening socket and starts accepting; each connection is served by {@code handler} in
   * a task of its own. <b>Suspends</b> only to resolve {@code host}.
   *
   * @param host the address to bind (a name or literal); null binds the wildcard address
   * @param port the port, 0 for any free one ({@link Server#port()} tells which)
   * @param handler serves each connection; its failure is reported, the server goes on
   * @param options backlog, per-connection buffer sizes, TLS (each connection's handshake runs in
   *     its task before the handler; a failure is reported and the server goes on)
   * @throws java.net.BindException if the address is in use
   */
  public static Server startServer(
      String host, int port, ConnectionHandler handler, ServerOptions options) throws IOException {
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    checkPort(port);
    LoopImpl.currentTask("startServer");
    InetSocketAddress at =
        host == null
            ? new InetSocketAddress(port)
            : new InetSocketAddress(resolve(host).get(0), port);
    ServerSocketChannel ch = ServerSocketChannel.open();
    boolean ok = false;
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.bind(at, options.backlog());
      Server s = startServer(ch, handler, options);
      ok = true;
      return s;
    } finally {
      if (!ok) {
        ch.close();
      }
    }
  }

  /**
   * Starts accepting on an already bound server socket, which the server then owns (closes).
   *
   * @throws IllegalArgumentException if {@code channel} is not bound
   */
  public static Server startServer(
      ServerSocketChannel channel, ConnectionHandler handler, ServerOptions options)
      throws IOException {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    if (channel.getLocalAddress() == null) {
      throw new IllegalArgumentException("channel must be bound");
    }
    if (options.tls() != null) {
      Tls.engine(options.tls(), null, -1); // an uninitialized context fails now, not per client
    }
    LoopImpl.currentTask("startServer");
    channel.configureBlocking(false);
    IoHandle h = Poller.current("startServer").register(channel);
    Server s = new Server(LoopImpl.currentOrNull(), channel, h, handler, options);
    s.start();
    return s;
  }

  /**
   * Resolves {@code host} on a virtual thread (IP literals without one); <b>suspends</b>.
   *
   * @throws java.net.UnknownHostException if it does not resolve
   */
  static List<InetAddress> resolve(String host) throws IOException {
    try {
      return List.of(InetAddress.ofLiteral(host));
    } catch (IllegalArgumentException notALiteral) {
      return List.of(Blocking.call("resolve", () -> InetAddress.getAllByName(host)));
    }
  }

  private static void checkPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535: " + port);
    }
  }
}
