package io.jasyncio.net;

import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.io.ChannelSink;
import io.jasyncio.internal.io.ChannelSource;
import io.jasyncio.internal.io.IoHandle;
import io.jasyncio.internal.io.TlsTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * An open TCP connection: a {@link StreamReader} and a {@link StreamWriter} over one non-blocking
 * socket driven by the loop that opened or accepted it.
 *
 * <p>{@link #close()} starts a graceful close (buffered data is still sent); use it in
 * try-with-resources. The socket is closed on every path: by {@code close}, by an I/O error, and at
 * the latest when the loop closes.
 *
 * <p>A connection speaks TLS when it was opened or accepted with {@link TlsOptions} ({@link
 * ConnectOptions#tls}, {@link ServerOptions#tls}) or upgraded by {@link #startTls}; the reader and
 * writer are the same objects either way and carry plain text.
 *
 * <p>A connection belongs to the loop that opened or accepted it: its reads, writes, {@code
 * startTls}, {@code close} and {@code waitClosed} called from another loop (another loop of a
 * {@link io.jasyncio.LoopGroup}, say) throw {@link IllegalStateException} naming both loops instead
 * of hanging. Hand the work to the owning loop with {@code EventLoop.submit(...)}.
 */
public final class Connection implements AutoCloseable {
  private final SocketChannel channel;
  private final IoHandle handle;
  private final StreamReader reader;
  private final StreamWriter writer;
  private final SocketAddress remote;
  private final SocketAddress local;
  private String host; // the host name given to openConnection, or null
  private TlsTransport tls; // null while plain

  Connection(SocketChannel channel, IoHandle handle, int limit, int high, int low)
      throws IOException {
    this.channel = channel;
    this.handle = handle;
    this.remote = channel.getRemoteAddress();
    this.local = channel.getLocalAddress();
    this.reader = new StreamReader(new ChannelSource(channel, handle), limit, handle.loop());
    this.writer = new StreamWriter(new ChannelSink(channel, handle), high, low, handle.loop());
    reader.partner(writer);
  }

  /**
   * Upgrades this plain connection to TLS in place (asyncio's {@code StreamWriter.start_tls}, as
   * after SMTP's {@code STARTTLS}); <b>suspends</b> until what was already written is sent and the
   * handshake is done. The reader and writer stay the same objects and carry plain text from then
   * on. No other task may use the connection meanwhile.
   *
   * <p>A client's {@code serverName} defaults to the host given to {@link
   * Streams#openConnection(String, int, ConnectOptions)}.
   *
   * @param options client or server options; the side is {@link TlsOptions#clientMode()}
   * @throws IllegalStateException if the connection already uses TLS, or if bytes received before
   *     the upgrade are still buffered unread (the peer must not send before the handshake; read
   *     them first)
   * @throws IllegalArgumentException if the options cannot be used (an uninitialized context, a
   *     client that verifies host names with no name to verify); the connection is left as it was
   * @throws StreamClosedException if the connection is closing or {@link StreamWriter#writeEof()}
   *     was called
   * @throws TlsHandshakeException if the handshake fails or times out; the connection is then
   *     closed
   * @throws io.jasyncio.CancelledError if cancelled; the connection is then closed (it can be
   *     neither plain nor TLS any more)
   */
  public void startTls(TlsOptions options) throws IOException {
    Objects.requireNonNull(options, "options");
    LoopImpl.currentTaskOn(handle.loop(), "Connection", "startTls");
    if (tls != null) {
      throw new IllegalStateException("startTls: the connection already uses TLS");
    }
    if (reader.buffered() > 0) {
      throw new IllegalStateException(
          "startTls: "
              + reader.buffered()
              + " bytes received before the upgrade are buffered unread; read them first (the"
              + " peer must not send anything between its go-ahead and the TLS handshake)");
    }
    if (writer.isClosing()) {
      throw new StreamClosedException("startTls after the stream was closed");
    }
    if (writer.eofRequested()) {
      throw new StreamClosedException("startTls after writeEof()");
    }
    String name = options.serverName() != null ? options.serverName() : host;
    SSLEngine engine = Tls.engine(options, name, port()); // bad options fail here, harmlessly
    try {
      writer.awaitSent();
    } catch (io.jasyncio.CancelledError e) {
      abort(); // as documented: a cancelled startTls leaves the connection closed
      throw e;
    }
    secure(options, engine, name);
  }

  /** Remembers the host name the client connected to (the default TLS server name). */
  void host(String name) {
    host = name;
  }

  /** The peer's TCP port, or -1 for a Unix socket. */
  int port() {
    return remote instanceof InetSocketAddress a ? a.getPort() : -1;
  }

  /**
   * <b>Suspends</b> for the TLS handshake of a connection opened or accepted with TLS options, or
   * of startTls, then reads and writes through TLS; closes the connection if it fails.
   *
   * @param engine made by {@link Tls#engine} from {@code options} and {@code serverName}
   */
  void secure(TlsOptions options, SSLEngine engine, String serverName) throws IOException {
    String peer =
        options.clientMode() && serverName != null && port() >= 0
            ? serverName + ":" + port()
            : peerName();
    TlsTransport t;
    boolean ok = false;
    try {
      t = Tls.handshake(channel, handle, engine, options, peer);
      ok = true;
    } finally {
      if (!ok) {
        writer.abort(); // closes the socket (the handshake sent its alert, if any)
      }
    }
    tls = t;
    reader.replaceSource(t);
    writer.replaceSink(t);
  }

  /**
   * How messages and task names name the peer: {@code 127.0.0.1:4433}, a Unix server's path, or for
   * a connection a Unix server accepted (the client's socket has no name) {@code a client of
   * /the/server.sock}.
   */
  String peerName() {
    if (remote instanceof UnixDomainSocketAddress u && u.getPath().toString().isEmpty()) {
      return "a client of " + Tls.describe(local);
    }
    return Tls.describe(remote);
  }

  /** The TLS transport, or null while plain (tests). */
  TlsTransport tlsTransport() {
    return tls;
  }

  /**
   * The TLS session (protocol version, cipher suite, peer certificates), or null on a plain
   * connection.
   */
  public SSLSession tlsSession() {
    TlsTransport t = tls;
    return t == null ? null : t.engine().getSession();
  }

  /**
   * The application protocol negotiated by ALPN (for example {@code "h2"} or {@code "http/1.1"}),
   * or null if none was: a plain connection, or a client or server that offered none, or a server
   * that does not do ALPN (asyncio's {@code selected_alpn_protocol()}). A handshake where both
   * sides offered protocols and none is common fails instead.
   */
  public String applicationProtocol() {
    TlsTransport t = tls;
    if (t == null) {
      return null;
    }
    String p = t.engine().getApplicationProtocol();
    return p == null || p.isEmpty() ? null : p;
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
    if (!channel.isOpen()) {
      return; // already closed (also by the loop's own close): nothing to check or do
    }
    LoopImpl.checkOn(handle.loop(), "Connection", "close");
    writer.close();
  }

  /** Closes at once, dropping buffered output. */
  public void abort() {
    if (!channel.isOpen()) {
      return;
    }
    LoopImpl.checkOn(handle.loop(), "Connection", "abort");
    writer.abort();
  }

  /** <b>Suspends</b> until the socket is closed. */
  public void waitClosed() {
    LoopImpl.currentTaskOn(handle.loop(), "Connection", "waitClosed");
    writer.waitClosed();
  }

  @Override
  public String toString() {
    return "Connection["
        + local
        + " -> "
        + remote
        + (tls != null ? ", TLS" : "")
        + (channel.isOpen() ? "" : ", closed")
        + "]";
  }
}
