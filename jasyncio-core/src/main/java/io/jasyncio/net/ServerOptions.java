package io.jasyncio.net;

/**
 * Options of {@link Streams#startServer}; start from {@link #defaults()}.
 *
 * @param backlog the listen backlog (positive)
 * @param limit each connection's reader buffer limit
 * @param writeHighWater each connection's high-water mark
 * @param writeLowWater each connection's low-water mark
 * @param tls server TLS options, or null for plain connections
 * @param reusePort set SO_REUSEPORT before binding, so that several servers (one per loop of a
 *     {@link io.jasyncio.LoopGroup}) can listen on the same port and the kernel spreads the
 *     connections among them (Linux, the BSDs, macOS)
 */
public record ServerOptions(
    int backlog,
    int limit,
    int writeHighWater,
    int writeLowWater,
    TlsOptions tls,
    boolean reusePort) {
  /** Checks the values. */
  public ServerOptions {
    if (backlog <= 0) {
      throw new IllegalArgumentException("backlog must be positive: " + backlog);
    }
    ConnectOptions.checkSizes(limit, writeHighWater, writeLowWater);
    if (tls != null && tls.clientMode()) {
      throw new IllegalArgumentException(
          "ServerOptions.tls needs server options (TlsOptions.server), not client options");
    }
  }

  /**
   * Backlog 100 (asyncio's), 64 KiB limit, water marks 64 KiB / 16 KiB, no TLS, no SO_REUSEPORT.
   */
  public static ServerOptions defaults() {
    return new ServerOptions(
        100,
        ConnectOptions.DEFAULT_LIMIT,
        ConnectOptions.DEFAULT_HIGH_WATER,
        ConnectOptions.DEFAULT_HIGH_WATER / 4,
        null,
        false);
  }

  /** With this backlog. */
  public ServerOptions backlog(int n) {
    return new ServerOptions(n, limit, writeHighWater, writeLowWater, tls, reusePort);
  }

  /** With this reader buffer limit. */
  public ServerOptions limit(int bytes) {
    return new ServerOptions(backlog, bytes, writeHighWater, writeLowWater, tls, reusePort);
  }

  /** With these write water marks. */
  public ServerOptions writeWaterMarks(int high, int low) {
    return new ServerOptions(backlog, limit, high, low, tls, reusePort);
  }

  /**
   * Speaking TLS with these server options (null: plain). Each connection's handshake runs in its
   * handler's task before the handler; a failed one is reported to the loop's exception handler.
   */
  public ServerOptions tls(TlsOptions options) {
    return new ServerOptions(backlog, limit, writeHighWater, writeLowWater, options, reusePort);
  }

  /**
   * With SO_REUSEPORT on or off (asyncio's {@code reuse_port}). With it, one server per loop of a
   * {@link io.jasyncio.LoopGroup} on the same port serves connections on every core; see {@code
   * docs/loop-groups.md}. Where the platform lacks the option, starting the server throws {@link
   * UnsupportedOperationException}.
   */
  public ServerOptions reusePort(boolean on) {
    return new ServerOptions(backlog, limit, writeHighWater, writeLowWater, tls, on);
  }
}
