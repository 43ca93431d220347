package io.jasyncio.net;

import io.jasyncio.internal.io.Closeables;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/** Binding listening sockets for {@link Streams}: every address of a name, Unix socket files. */
final class Listeners {
  /** How often a port 0 picked on the first address is retried when another address has it. */
  private static final int SHARED_PORT_ATTEMPTS = 10;

  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private Listeners() {}

  /**
   * Binds one listening socket per distinct address, all on the same port: {@code port} itself, or
   * with 0 the port the kernel picks for the first address (retried a few times if another address
   * has that port taken). On failure nothing stays bound.
   *
   * @param hosts the addresses, or null for the wildcard address
   * @throws BindException naming the address that could not be bound
   */
  static List<ServerSocketChannel> bindTcp(
      List<InetAddress> hosts, int port, int backlog, boolean reusePort) throws IOException {
    if (hosts == null) {
      return List.of(bind(new InetSocketAddress(port), backlog, reusePort));
    }
    List<InetAddress> distinct = new ArrayList<>(new LinkedHashSet<>(hosts));
    int attempts = port == 0 && distinct.size() > 1 ? SHARED_PORT_ATTEMPTS : 1;
    for (int attempt = 1; ; attempt++) {
      List<ServerSocketChannel> bound = new ArrayList<>();
      try {
        int p = port;
        for (InetAddress a : distinct) {
          ServerSocketChannel ch = bind(new InetSocketAddress(a, p), backlog, reusePort);
          bound.add(ch);
          p = ((InetSocketAddress) ch.getLocalAddress()).getPort();
        }
        return bound;
      } catch (BindException e) {
        boolean firstWasBound = !bound.isEmpty();
        closeAll(bound);
        if (attempt >= attempts || !firstWasBound) {
          throw e;
        }
        // The port free on the first address is taken on another one: pick a new port.
      } catch (IOException | RuntimeException e) {
        closeAll(bound);
        throw e;
      }
    }
  }

  private static ServerSocketChannel bind(InetSocketAddress at, int backlog, boolean reusePort)
      throws IOException {
    ServerSocketChannel ch = ServerSocketChannel.open();
    boolean ok = false;
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      if (reusePort) {
        if (!ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
          throw new UnsupportedOperationException(
              "ServerOptions.reusePort: this platform has no SO_REUSEPORT");
        }
        ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      }
      ch.bind(at, backlog);
      ok = true;
      return ch;
    } catch (BindException e) {
      var b = new BindException(e.getMessage() + ": " + at);
      b.initCause(e);
      throw b;
    } finally {
      if (!ok) {
        ch.close();
      }
    }
  }

  static void closeAll(List<ServerSocketChannel> channels) {
    for (ServerSocketChannel ch : channels) {
      Closeables.closeQuietly(ch);
    }
  }

  /**
   * Makes {@code path} free for a Unix server: nothing there is fine; a socket file nobody accepts
   * on (its server died without removing it) is deleted; a socket someone listens on, or any other
   * kind of file, is an error.
   *
   * @throws BindException if the path is taken
   */
  static void removeStaleUnixSocket(Path path) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    if (!isSocket(path, attrs)) {
      throw new BindException(
          path + " exists and is not a Unix domain socket; refusing to replace it");
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.configureBlocking(false);
      probe.connect(UnixDomainSocketAddress.of(path)); // connected or pending: someone listens
    } catch (ConnectException refused) {
      Files.deleteIfExists(path); // stale: nobody accepts there any more
      return;
    } catch (IOException e) {
      var b = new BindException("cannot tell whether a server still listens at " + path);
      b.initCause(e);
      throw b;
    }
    throw new BindException("a server is listening at " + path + " (address in use)");
  }

  private static boolean isSocket(Path path, BasicFileAttributes attrs) throws IOException {
    try {
      int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return (mode & S_IFMT) == S_IFSOCK;
    } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
      return attrs.isOther();
    }
  }

  /**
   * What the server runs at close: deletes the socket file it bound, unless another file has
   * replaced it since (asyncio compares the inode the same way).
   */
  static Runnable unixSocketCleanup(Path path) throws IOException {
    Object key =
        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    return () -> {
      try {
        BasicFileAttributes now =
            Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (key != null ? Objects.equals(now.fileKey(), key) : isSocket(path, now)) {
          Files.deleteIfExists(path);
        }
      } catch (IOException e) {
        // already gone, or not ours to remove
      }
    };
  }
}
