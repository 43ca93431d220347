package io.jasyncio.internal.io;

import java.io.IOException;

/**
 * A transport's report that the connection failed earlier (its cause is the original error): what
 * {@link TlsTransport} throws on every use after its own send or read failed. The stream classes
 * unwrap it, so the connection's recorded failure is the original error, never this wrapper.
 */
public final class ConnectionLostException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Wraps {@code cause}, the error that ended the connection. */
  public ConnectionLostException(IOException cause) {
    super("connection lost: " + cause.getMessage(), cause);
  }

  /** The error that ended the connection. */
  public IOException original() {
    return (IOException) getCause();
  }
}
