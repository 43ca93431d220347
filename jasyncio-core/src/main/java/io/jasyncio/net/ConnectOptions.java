package io.jasyncio.net;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of {@link Streams#openConnection(String, int, ConnectOptions)}; start from {@link
 * #defaults()} and change what you need ({@code ConnectOptions.defaults().connectTimeout(d)}).
 *
 * @param connectTimeout the time allowed for each address tried, or null for no limit
 * @param localAddress the local address to bind before connecting, or null
 * @param limit the reader's buffer limit (bytes, positive)
 * @param writeHighWater above this many buffered bytes, writes suspend
 * @param writeLowWater ... until the buffer is back to this many
 * @param tls client TLS options, or null for a plain connection
 */
public record ConnectOptions(
    Duration connectTimeout,
    InetSocketAddress localAddress,
    int limit,
    int writeHighWater,
    int writeLowWater,
    TlsOptions tls) {
  /** The reader's default buffer limit, as asyncio's: 64 KiB. */
  public static final int DEFAULT_LIMIT = 64 * 1024;

  /** The default high-water mark, as asyncio's: 64 KiB. */
  public static final int DEFAULT_HIGH_WATER = 64 * 1024;

  /** Checks the values. */
  public ConnectOptions {
    if (connectTimeout != null && (connectTimeout.isNegative() || connectTimeout.isZero())) {
      throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
    }
    checkSizes(limit, writeHighWater, writeLowWater);
    if (tls != null && !tls.clientMode()) {
      throw new IllegalArgumentException(
          "ConnectOptions.tls needs client options (TlsOptions.client), not server options");
    }
  }

  static void checkSizes(int limit, int high, int low) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    if (high < 0 || low < 0 || low > high) {
      throw new IllegalArgumentException(
          "water marks must satisfy 0 <= low <= high: low=" + low + ", high=" + high);
    }
  }

  /** No connect timeout, no local address, 64 KiB limit, water marks 64 KiB / 16 KiB, no TLS. */
  public static ConnectOptions defaults() {
    return new ConnectOptions(
        null, null, DEFAULT_LIMIT, DEFAULT_HIGH_WATER, DEFAULT_HIGH_WATER / 4, null);
  }

  /** With a connect timeout per address tried. */
  public ConnectOptions connectTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return new ConnectOptions(timeout, localAddress, limit, writeHighWater, writeLowWater, tls);
  }

  /** Binding this local address before connecting. */
  public ConnectOptions localAddress(InetSocketAddress address) {
    return new ConnectOptions(connectTimeout, address, limit, writeHighWater, writeLowWater, tls);
  }

  /** With this reader buffer limit. */
  public ConnectOptions limit(int bytes) {
    return new ConnectOptions(
        connectTimeout, localAddress, bytes, writeHighWater, writeLowWater, tls);
  }

  /** With these write water marks. */
  public ConnectOptions writeWaterMarks(int high, int low) {
    return new ConnectOptions(connectTimeout, localAddress, limit, high, low, tls);
  }

  /**
   * Speaking TLS with these client options (null: plain); the handshake is part of opening the
   * connection.
   */
  public ConnectOptions tls(TlsOptions options) {
    return new ConnectOptions(
        connectTimeout, localAddress, limit, writeHighWater, writeLowWater, options);
  }
}
