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
 * @param happyEyeballsDelay when a name resolves to several addresses, start the next attempt after
 *     this delay if the earlier ones have not connected (RFC 8305 "Happy Eyeballs", asyncio's
 *     {@code happy_eyeballs_delay}); null tries them one after another
 * @param interleave how many addresses of the first family come before alternating families (RFC
 *     8305's "First Address Family Count", asyncio's {@code interleave}); 0 keeps the resolver's
 *     order
 * @param tls client TLS options, or null for a plain connection
 */
public record ConnectOptions(
    Duration connectTimeout,
    InetSocketAddress localAddress,
    int limit,
    int writeHighWater,
    int writeLowWater,
    Duration happyEyeballsDelay,
    int interleave,
    TlsOptions tls) {
  /** The reader's default buffer limit, as asyncio's: 64 KiB. */
  public static final int DEFAULT_LIMIT = 64 * 1024;

  /** The default high-water mark, as asyncio's: 64 KiB. */
  public static final int DEFAULT_HIGH_WATER = 64 * 1024;

  /** The default Happy Eyeballs delay, RFC 8305's recommendation: 250 ms. */
  public static final Duration DEFAULT_HAPPY_EYEBALLS_DELAY = Duration.ofMillis(250);

  /** RFC 8305's lower bound on the delay between two attempts: 10 ms. */
  public static final Duration MIN_HAPPY_EYEBALLS_DELAY = Duration.ofMillis(10);

  /** Checks the values. */
  public ConnectOptions {
    if (connectTimeout != null && (connectTimeout.isNegative() || connectTimeout.isZero())) {
      throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
    }
    checkSizes(limit, writeHighWater, writeLowWater);
    if (happyEyeballsDelay != null && happyEyeballsDelay.compareTo(MIN_HAPPY_EYEBALLS_DELAY) < 0) {
      throw new IllegalArgumentException(
          "happyEyeballsDelay must be at least 10 ms (RFC 8305, section 5), or null: "
              + happyEyeballsDelay);
    }
    if (interleave < 0) {
      throw new IllegalArgumentException("interleave must not be negative: " + interleave);
    }
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

  /**
   * No connect timeout, no local address, 64 KiB limit, water marks 64 KiB / 16 KiB, Happy Eyeballs
   * with a 250 ms delay and families interleaved one by one, no TLS.
   */
  public static ConnectOptions defaults() {
    return new ConnectOptions(
        null,
        null,
        DEFAULT_LIMIT,
        DEFAULT_HIGH_WATER,
        DEFAULT_HIGH_WATER / 4,
        DEFAULT_HAPPY_EYEBALLS_DELAY,
        1,
        null);
  }

  /** With a connect timeout per address tried. */
  public ConnectOptions connectTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return new ConnectOptions(
        timeout,
        localAddress,
        limit,
        writeHighWater,
        writeLowWater,
        happyEyeballsDelay,
        interleave,
        tls);
  }

  /** Binding this local address before connecting. */
  public ConnectOptions localAddress(InetSocketAddress address) {
    return new ConnectOptions(
        connectTimeout,
        address,
        limit,
        writeHighWater,
        writeLowWater,
        happyEyeballsDelay,
        interleave,
        tls);
  }

  /** With this reader buffer limit. */
  public ConnectOptions limit(int bytes) {
    return new ConnectOptions(
        connectTimeout,
        localAddress,
        bytes,
        writeHighWater,
        writeLowWater,
        happyEyeballsDelay,
        interleave,
        tls);
  }

  /** With these write water marks. */
  public ConnectOptions writeWaterMarks(int high, int low) {
    return new ConnectOptions(
        connectTimeout, localAddress, limit, high, low, happyEyeballsDelay, interleave, tls);
  }

  /**
   * With this Happy Eyeballs delay (at least 10 ms), or null to try the addresses one after another
   * as asyncio does by default.
   */
  public ConnectOptions happyEyeballsDelay(Duration delay) {
    return new ConnectOptions(
        connectTimeout, localAddress, limit, writeHighWater, writeLowWater, delay, interleave, tls);
  }

  /**
   * Interleaving address families with this "First Address Family Count" (1: alternate from the
   * start), or 0 to keep the resolver's order.
   */
  public ConnectOptions interleave(int firstFamilyCount) {
    return new ConnectOptions(
        connectTimeout,
        localAddress,
        limit,
        writeHighWater,
        writeLowWater,
        happyEyeballsDelay,
        firstFamilyCount,
        tls);
  }

  /**
   * Speaking TLS with these client options (null: plain); the handshake is part of opening the
   * connection.
   */
  public ConnectOptions tls(TlsOptions options) {
    return new ConnectOptions(
        connectTimeout,
        localAddress,
        limit,
        writeHighWater,
        writeLowWater,
        happyEyeballsDelay,
        interleave,
        options);
  }
}
