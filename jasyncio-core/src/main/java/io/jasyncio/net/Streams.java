package io.jasyncio.net;

import io.jasyncio.Async;
import io.jasyncio.AsyncException;
import io.jasyncio.TimeoutExpiredException;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.io.Blocking;
import io.jasyncio.internal.io.IoHandle;
import io.jasyncio.internal.io.Poller;
import java.io.Closeable;
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
import java.util.ArrayList;
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
   * Opens a TCP connection; <b>suspends</b> while resolving and connecting. When the name resolves
   * to several addresses, they are interleaved by family and raced with Happy Eyeballs (RFC 8305):
   * the next attempt starts after {@link ConnectOptions#happyEyeballsDelay()} or as soon as one
   * fails, the first to connect wins and the others are cancelled and closed. With a null delay
   * they are tried one after another.
   *
   * <p>With {@link ConnectOptions#tls TLS options} the TLS handshake follows on the connection that
   * was made (a failed handshake is not retried on the next address); the server's certificate is
   * checked against {@code host} unless the options name another server or turn verification off.
   *
   * @param host a host name or an IP literal
   * @param port 0 to 65535
   * @param options timeouts, local address, buffer sizes, Happy Eyeballs, TLS
   * @return the connection, with TCP_NODELAY on
   * @throws java.net.UnknownHostException if the name does not resolve
   * @throws java.net.ConnectException if every address refused (others attached as suppressed)
   * @throws SocketTimeoutException if the connect timeout ran out for every address
   * @throws TlsHandshakeException if the TLS handshake failed or timed out (the socket is closed)
   * @throws io.jasyncio.CancelledError if cancelled (every socket opened is closed)
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
    Connection c = openConnection(resolve(host), port, options);
    c.host(host);
    if (tls != null) {
      c.secure(tls, engine, name);
    }
    return c;
  }

  /**
   * {@link #openConnection(String, int, ConnectOptions)} to addresses already resolved, without TLS
   * (the caller adds it).
   */
  static Connection openConnection(List<InetAddress> addresses, int port, ConnectOptions options)
      throws IOException {
    return Connector.connect(
        addresses,
        port,
        options.happyEyeballsDelay(),
        options.interleave(),
        to -> connect(to, options));
  }

  private static Connection connect(InetSocketAddress to, ConnectOptions o) throws IOException {
    SocketChannel ch = SocketChannel.open();
    Closeable onFailure = ch; // then the handle, once registered (it closes the channel)
    boolean ok = false;
    try {
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (o.localAddress() != null) {
        ch.bind(o.localAddress());
      }
      IoHandle h = Poller.current("openConnection").register(ch);
      onFailure = h::closeChannel;
      if (!ch.connect(to)) {
        if (o.connectTimeout() == null) {
          finishConnect(ch, h);
        } else {
          try {
            Async.timeout(
                o.connectTimeout(),
                () -> {
                  finishConnect(ch, h);
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
      throw connectFailed(e, to);
    } finally {
      if (!ok) {
        onFailure.close();
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
    Closeable onFailure = ch; // then the handle, once registered (it closes the channel)
    boolean ok = false;
    try {
      ch.configureBlocking(false);
      IoHandle h = Poller.current("openUnixConnection").register(ch);
      onFailure = h::closeChannel;
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
      throw connectFailed(e, path);
    } finally {
      if (!ok) {
        onFailure.close();
      }
    }
  }

  /** A {@link java.net.ConnectException} for {@code e} that names where the connect went. */
  private static java.net.ConnectException connectFailed(java.net.SocketException e, Object to) {
    var c = new java.net.ConnectException(e.getMessage() + ": " + to);
    c.initCause(e);
    return c;
  }

  /**
   * Serves a Unix domain socket at {@code path} (asyncio's {@code start_unix_server}). The socket
   * file is created by the bind and removed when the server closes, unless it was replaced
   * meanwhile (asyncio 3.13's {@code cleanup_socket}). A socket file left by a server that is gone
   * (nobody accepts on it) is removed before binding, as asyncio does; a live server's socket and
   * any other kind of file are left alone.
   *
   * @throws java.net.BindException if a server is listening at {@code path}, or {@code path} is not
   *     a socket file
   */
  public static Server startUnixServer(Path path, ConnectionHandler handler, ServerOptions options)
      throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    checkServerTls(options);
    LoopImpl.currentTask("startUnixServer");
    Listeners.removeStaleUnixSocket(path);
    ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    Runnable cleanup = null;
    boolean ok = false;
    try {
      ch.bind(UnixDomainSocketAddress.of(path), options.backlog());
      cleanup = Listeners.unixSocketCleanup(path);
      Server s = startServer(ch, handler, options);
      s.onClose(cleanup);
      ok = true;
      return s;
    } finally {
      if (!ok) {
        ch.close();
        if (cleanup != null) {
          cleanup.run();
        }
      }
    }
  }

  /** {@link #startServer(String, int, ConnectionHandler, ServerOptions)} with defaults. */
  public static Server startServer(String host, int port, ConnectionHandler handler)
      throws IOException {
    return startServer(host, port, handler, ServerOptions.defaults());
  }

  /**
   * Binds a listening socket to every address {@code host} resolves to (as asyncio does:
   * "localhost" may give 127.0.0.1 and ::1) and starts accepting; each connection is served by
   * {@code handler} in a task of its own. <b>Suspends</b> only to resolve {@code host}.
   *
   * @param host the address to bind (a name or literal); null binds the wildcard address (one
   *     dual-stack socket where IPv6 is available)
   * @param port the port, 0 for any free one ({@link Server#port()} tells which; all the sockets
   *     share it)
   * @param handler serves each connection; its failure is reported, the server goes on
   * @param options backlog, per-connection buffer sizes, TLS (each connection's handshake runs in
   *     its task before the handler; a failure is reported and the server goes on)
   * @throws java.net.BindException if an address is in use (naming it; nothing stays bound)
   */
  public static Server startServer(
      String host, int port, ConnectionHandler handler, ServerOptions options) throws IOException {
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    checkPort(port);
    checkServerTls(options);
    LoopImpl.currentTask("startServer");
    return startServer(host == null ? null : resolve(host), port, handler, options);
  }

  /** Builds one engine from the server's TLS options, so a bad context fails before any bind. */
  private static void checkServerTls(ServerOptions options) {
    if (options.tls() != null) {
      Tls.engine(options.tls(), null, -1);
    }
  }

  /** {@link #startServer(String, int, ConnectionHandler, ServerOptions)} on resolved addresses. */
  static Server startServer(
      List<InetAddress> at, int port, ConnectionHandler handler, ServerOptions options)
      throws IOException {
    List<ServerSocketChannel> chs =
        Listeners.bindTcp(at, port, options.backlog(), options.reusePort());
    boolean ok = false;
    try {
      Server s = serve(chs, handler, options);
      ok = true;
      return s;
    } finally {
      if (!ok) {
        Listeners.closeAll(chs);
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
    checkServerTls(options);
    LoopImpl.currentTask("startServer");
    return serve(List.of(channel), handler, options);
  }

  private static Server serve(
      List<ServerSocketChannel> channels, ConnectionHandler handler, ServerOptions options)
      throws IOException {
    List<IoHandle> handles = new ArrayList<>();
    boolean ok = false;
    try {
      for (ServerSocketChannel ch : channels) {
        ch.configureBlocking(false);
        handles.add(Poller.current("startServer").register(ch));
      }
      Server s = new Server(LoopImpl.currentOrNull(), channels, handles, handler, options);
      s.start();
      ok = true;
      return s;
    } finally {
      if (!ok) {
        for (IoHandle h : handles) {
          h.closeChannel();
        }
      }
    }
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
