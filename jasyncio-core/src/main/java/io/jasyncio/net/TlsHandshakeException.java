package io.jasyncio.net;

import java.io.IOException;

/**
 * A TLS handshake failed: the certificate was not trusted or did not match the host name, the peer
 * does not speak TLS, no protocol version, cipher suite or ALPN protocol was common, the peer
 * closed the connection or sent an alert, or the handshake timed out. The message names the peer
 * and the reason; the cause is the {@link javax.net.ssl.SSLException} (or, for a timeout, a {@link
 * java.net.SocketTimeoutException}). The socket is closed by the time this is thrown.
 */
public final class TlsHandshakeException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message the peer and the reason
   * @param cause what the TLS engine or the socket reported
   */
  public TlsHandshakeException(String message, Throwable cause) {
    super(message, cause);
  }
}
