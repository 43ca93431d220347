package io.jasyncio.net;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How a connection speaks TLS (asyncio's {@code ssl=}, {@code server_hostname=}, {@code
 * ssl_handshake_timeout=}). Start from {@link #client(SSLContext)}, {@link #defaultClient()} or
 * {@link #server(SSLContext)} and change what you need: {@code
 * TlsOptions.client(ctx).applicationProtocols("h2", "http/1.1")}. Pass it to {@link
 * ConnectOptions#tls(TlsOptions)}, {@link ServerOptions#tls(TlsOptions)} or {@link
 * Connection#startTls(TlsOptions)}.
 *
 * @param context where keys, trust and protocol versions come from; must be initialized
 * @param clientMode true for the side that connected (it verifies the server), false for a server
 * @param serverName client only: the name sent in SNI and checked against the server's certificate;
 *     null means the host given to {@link Streams#openConnection(String, int, ConnectOptions)} (an
 *     IP literal is checked against the certificate's IP addresses and sends no SNI)
 * @param applicationProtocols the ALPN protocols offered (client) or accepted in order of
 *     preference (server); empty for no ALPN
 * @param verifyHostname client only: whether the server's certificate must match {@code serverName}
 *     (on by default). Off, the certificate chain is still checked against the context's trust;
 *     only the name is not.
 * @param handshakeTimeout the time the handshake may take, after which it fails with {@link
 *     TlsHandshakeException} and the socket is closed (default 60 s, as asyncio's)
 * @param clientAuth server only: whether the server asks the client for a certificate (mutual TLS;
 *     asyncio's {@code verify_mode} on a server context); {@link ClientAuth#NONE} by default. The
 *     client's certificate is checked against the server context's trust managers and appears in
 *     {@link Connection#tlsSession()}'s peer certificates.
 * @param shutdownTimeout how long a close waits, once all data is sent, for the close_notify to go
 *     out before it aborts the connection (a peer that stops reading); default 30 s, asyncio's
 *     {@code ssl_shutdown_timeout}
 */
public record TlsOptions(
    SSLContext context,
    boolean clientMode,
    String serverName,
    List<String> applicationProtocols,
    boolean verifyHostname,
    Duration handshakeTimeout,
    ClientAuth clientAuth,
    Duration shutdownTimeout) {

  /**
   * Whether a server asks for the client's certificate (asyncio's {@code ssl.CERT_NONE}, {@code
   * CERT_OPTIONAL}, {@code CERT_REQUIRED} on a server context; Netty's {@code ClientAuth}).
   */
  public enum ClientAuth {
    /** The server does not ask; the client sends no certificate. */
    NONE,
    /**
     * The server asks; a client that sends no certificate is served without one (its session has no
     * peer certificates), one that sends a certificate the server's trust managers refuse is
     * refused, as with asyncio's {@code CERT_OPTIONAL}. (The JDK's default client key manager sends
     * no certificate whose issuer the server did not list, so such a client arrives without one.)
     */
    OPTIONAL,
    /** The server asks and refuses a client that sends no trusted certificate. */
    REQUIRED
  }

  /** The default handshake timeout: 60 seconds, asyncio's {@code ssl_handshake_timeout}. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

  /** The default shutdown timeout: 30 seconds, asyncio's {@code ssl_shutdown_timeout}. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

  /** Checks the values. */
  public TlsOptions {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(applicationProtocols, "applicationProtocols");
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    Objects.requireNonNull(clientAuth, "clientAuth");
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    if (shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
      throw new IllegalArgumentException("shutdownTimeout must be positive: " + shutdownTimeout);
    }
    if (clientMode && clientAuth != ClientAuth.NONE) {
      throw new IllegalArgumentException(
          "clientAuth applies to servers only (a client sends its certificate when the server asks"
              + " and its context has a key)");
    }
    applicationProtocols = List.copyOf(applicationProtocols); // also rejects null elements
    for (String p : applicationProtocols) {
      int n = p.getBytes(StandardCharsets.UTF_8).length;
      if (n == 0 || n > 255) {
        throw new IllegalArgumentException(
            "an application protocol name must be 1 to 255 bytes long: \"" + p + "\"");
      }
    }
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
    }
    if (serverName != null) {
      if (!clientMode) {
        throw new IllegalArgumentException(
            "serverName applies to client connections only (the server's name comes from its"
                + " certificate)");
      }
      if (serverName.isBlank()) {
        throw new IllegalArgumentException("serverName must not be blank");
      }
    }
  }

  /** Client options over {@code context}: host names verified, no ALPN, 60 s handshake timeout. */
  public static TlsOptions client(SSLContext context) {
    return new TlsOptions(
        context,
        true,
        null,
        List.of(),
        true,
        DEFAULT_HANDSHAKE_TIMEOUT,
        ClientAuth.NONE,
        DEFAULT_SHUTDOWN_TIMEOUT);
  }

  /**
   * {@link #client(SSLContext)} over the JDK's default context ({@link SSLContext#getDefault()}:
   * the JDK's trusted certificate authorities, or {@code javax.net.ssl.trustStore}).
   *
   * @throws IllegalStateException if the JDK has no default context
   */
  public static TlsOptions defaultClient() {
    try {
      return client(SSLContext.getDefault());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no default SSLContext", e);
    }
  }

  /** Server options over {@code context}, which must hold a key and its certificate chain. */
  public static TlsOptions server(SSLContext context) {
    return new TlsOptions(
        context,
        false,
        null,
        List.of(),
        false,
        DEFAULT_HANDSHAKE_TIMEOUT,
        ClientAuth.NONE,
        DEFAULT_SHUTDOWN_TIMEOUT);
  }

  /** With this name for SNI and host-name verification (client only). */
  public TlsOptions serverName(String name) {
    Objects.requireNonNull(name, "name");
    return with(d -> d.serverName = name);
  }

  /** Offering (client) or accepting in this order of preference (server) these ALPN protocols. */
  public TlsOptions applicationProtocols(String... protocols) {
    Objects.requireNonNull(protocols, "protocols");
    return with(d -> d.applicationProtocols = List.of(protocols));
  }

  /**
   * With host-name verification on or off (client only). Off, any certificate that the context
   * trusts is accepted whatever name it carries.
   *
   * @throws IllegalArgumentException on server options
   */
  public TlsOptions verifyHostname(boolean on) {
    if (!clientMode) {
      throw new IllegalArgumentException("verifyHostname applies to client connections only");
    }
    return with(d -> d.verifyHostname = on);
  }

  /** With this handshake timeout (positive). */
  public TlsOptions handshakeTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return with(d -> d.handshakeTimeout = timeout);
  }

  /**
   * With the server asking for the client's certificate ({@link ClientAuth#OPTIONAL}) or requiring
   * it ({@link ClientAuth#REQUIRED}); the server's context must then have trust managers that
   * accept the clients' certificates. A client sends its certificate when its own context has a
   * key.
   *
   * @throws IllegalArgumentException on client options, unless {@code auth} is {@link
   *     ClientAuth#NONE}
   */
  public TlsOptions clientAuth(ClientAuth auth) {
    Objects.requireNonNull(auth, "auth");
    return with(d -> d.clientAuth = auth);
  }

  /** With this shutdown timeout (positive): see the {@code shutdownTimeout} component. */
  public TlsOptions shutdownTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return with(d -> d.shutdownTimeout = timeout);
  }

  /** A copy with {@code change} applied to its components, checked again by the constructor. */
  private TlsOptions with(java.util.function.Consumer<Draft> change) {
    Draft d = new Draft(this);
    change.accept(d);
    return new TlsOptions(
        d.context,
        d.clientMode,
        d.serverName,
        d.applicationProtocols,
        d.verifyHostname,
        d.handshakeTimeout,
        d.clientAuth,
        d.shutdownTimeout);
  }

  /** The components of a copy being made by {@link #with}. */
  private static final class Draft {
    final SSLContext context;
    final boolean clientMode;
    String serverName;
    List<String> applicationProtocols;
    boolean verifyHostname;
    Duration handshakeTimeout;
    ClientAuth clientAuth;
    Duration shutdownTimeout;

    Draft(TlsOptions o) {
      context = o.context;
      clientMode = o.clientMode;
      serverName = o.serverName;
      applicationProtocols = o.applicationProtocols;
      verifyHostname = o.verifyHostname;
      handshakeTimeout = o.handshakeTimeout;
      clientAuth = o.clientAuth;
      shutdownTimeout = o.shutdownTimeout;
    }
  }
}
