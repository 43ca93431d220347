package io.jasyncio.net;

import io.jasyncio.Async;
import io.jasyncio.AsyncException;
import io.jasyncio.TimeoutExpiredException;
import io.jasyncio.internal.io.Blocking;
import io.jasyncio.internal.io.IoHandle;
import io.jasyncio.internal.io.TlsTransport;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** Engine set-up, the handshake with its timeout, and handshake errors that say what went wrong. */
final class Tls {
  private Tls() {}

  /**
   * <b>Suspends</b> for the handshake over {@code channel}; the caller closes the socket if this
   * throws.
   *
   * @param peer the peer, as error messages name it
   */
  static TlsTransport handshake(
      SocketChannel channel, IoHandle handle, SSLEngine engine, TlsOptions options, String peer)
      throws IOException {
    Duration timeout = options.handshakeTimeout();
    TlsTransport t = new TlsTransport(channel, handle, engine, options.shutdownTimeout());
    try {
      Async.timeout(
          timeout,
          () -> {
            t.handshake();
            return null;
          });
    } catch (TimeoutExpiredException e) {
      var expired = new SocketTimeoutException("TLS handshake timed out");
      expired.initCause(e);
      throw new TlsHandshakeException(
          "TLS handshake with " + peer + " timed out after " + timeout.toMillis() + " ms", expired);
    } catch (AsyncException e) {
      throw failed(peer, Blocking.unwrap(e), t);
    }
    return t;
  }

  /**
   * An engine for {@code o}: client or server mode, SNI, host-name verification, client
   * authentication, ALPN.
   *
   * @param serverName client only: SNI and the name to verify, or null
   * @param port the peer's port (a session cache key), or -1
   * @throws IllegalArgumentException if the context is not initialized, or a client verifies host
   *     names and has none
   */
  static SSLEngine engine(TlsOptions o, String serverName, int port) {
    SSLEngine e;
    try {
      e =
          o.clientMode() && serverName != null
              ? o.context().createSSLEngine(serverName, port)
              : o.context().createSSLEngine();
    } catch (IllegalStateException notInitialized) {
      throw new IllegalArgumentException(
          "the SSLContext is not initialized: call init(keyManagers, trustManagers, random) first",
          notInitialized);
    }
    e.setUseClientMode(o.clientMode());
    SSLParameters p = e.getSSLParameters();
    if (o.clientMode()) {
      if (o.verifyHostname()) {
        if (serverName == null) {
          throw new IllegalArgumentException(
              "host-name verification needs a name: set TlsOptions.serverName(...) (a Unix socket"
                  + " connection has no host), or verifyHostname(false)");
        }
        p.setEndpointIdentificationAlgorithm("HTTPS");
      } else {
        p.setEndpointIdentificationAlgorithm(null);
      }
      if (serverName != null && !isIpLiteral(serverName)) {
        try {
          p.setServerNames(List.of(new SNIHostName(serverName)));
        } catch (IllegalArgumentException notAHostName) {
          // a name SNI cannot carry (an underscore, say): connect without SNI, as the JDK does
        }
      }
    }
    switch (o.clientAuth()) {
      case OPTIONAL -> p.setWantClientAuth(true);
      case REQUIRED -> p.setNeedClientAuth(true);
      case NONE -> {}
    }
    if (!o.applicationProtocols().isEmpty()) {
      p.setApplicationProtocols(o.applicationProtocols().toArray(String[]::new));
    }
    e.setSSLParameters(p);
    return e;
  }

  private static boolean isIpLiteral(String host) {
    try {
      InetAddress.ofLiteral(host);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** How an address is named in messages: {@code 127.0.0.1:4433}. */
  static String describe(SocketAddress a) {
    if (a instanceof InetSocketAddress i) {
      return i.getHostString() + ":" + i.getPort();
    }
    return String.valueOf(a);
  }

  /** A handshake failure whose message names the peer and says what went wrong. */
  static TlsHandshakeException failed(String peer, IOException e, TlsTransport t) {
    String msg = String.valueOf(e.getMessage());
    String why;
    byte[] greeting = t.notTlsGreeting();
    if (greeting != null) {
      why = "the peer does not speak TLS (it sent \"" + printable(greeting) + "\")";
    } else if (e instanceof EOFException) {
      why = msg + " (does it speak TLS on this port? did it reject the handshake?)";
    } else if (causedBy(e, CertPathBuilderException.class)
        || causedBy(e, CertPathValidatorException.class)) {
      why = "the peer's certificate is not trusted: " + msg;
    } else if (msg.contains("No subject alternative") || msg.startsWith("No name matching")) {
      why = "the peer's certificate does not match the host name: " + msg;
    } else if (msg.contains("Received fatal alert")) {
      why = "the peer refused the handshake: " + msg;
    } else {
      why = msg;
    }
    return new TlsHandshakeException("TLS handshake with " + peer + " failed: " + why, e);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static String printable(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      int c = x & 0xff;
      switch (c) {
        case '\r' -> sb.append("\\r");
        case '\n' -> sb.append("\\n");
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            sb.append((char) c);
          } else {
            sb.append(String.format("\\x%02x", c));
          }
        }
      }
    }
    return sb.toString();
  }
}
