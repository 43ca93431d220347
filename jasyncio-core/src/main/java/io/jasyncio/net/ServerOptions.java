package io.jasyncio.net;

/**
 * Options of {@link Streams#startServer}; start from {@link #defaults()}.
 *
 * @param backlog the listen backlog (positive)
 * @param limit each connection's reader buffer limit
 * @param writeHighWater each connection's high-water mark
 * @param writeLowWater each connection's low-water mark
 */
public record ServerOptions(int backlog, int limit, int writeHighWater, int writeLowWater) {
  /** Checks the values. */
  public ServerOptions {
    if (backlog <= 0) {
      throw new IllegalArgumentException("backlog must be positive: " + backlog);
    }
    ConnectOptions.checkSizes(limit, writeHighWater, writeLowWater);
  }

  /** Backlog 100 (asyncio's), 64 KiB limit, water marks 64 KiB / 16 KiB. */
  public static ServerOptions defaults() {
    return new ServerOptions(
        100,
        ConnectOptions.DEFAULT_LIMIT,
        ConnectOptions.DEFAULT_HIGH_WATER,
        ConnectOptions.DEFAULT_HIGH_WATER / 4);
  }

  /** With this backlog. */
  public ServerOptions backlog(int n) {
    return new ServerOptions(n, limit, writeHighWater, writeLowWater);
  }

  /** With this reader buffer limit. */
  public ServerOptions limit(int bytes) {
    return new ServerOptions(backlog, bytes, writeHighWater, writeLowWater);
  }

  /** With these write water marks. */
  public ServerOptions writeWaterMarks(int high, int low) {
    return new ServerOptions(backlog, limit, high, low);
  }
}
