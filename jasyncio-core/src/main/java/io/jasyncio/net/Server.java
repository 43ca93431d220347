package io.jasyncio.net;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.ExceptionContext;
import io.jasyncio.Task;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.io.Closeables;
import io.jasyncio.internal.io.IoHandle;
import io.jasyncio.internal.io.TlsTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A listening TCP server (asyncio's {@code Server}): one listening socket per bound address (a name
 * such as "localhost" may give 127.0.0.1 and ::1), an accept task per socket, and one handler task
 * per connection, all on the loop that started it.
 *
 * <p>States: serving --{@link #close()}--> closed (no more accepts; handlers go on) --(last handler
 * ends)--> finished. {@link #shutdown(Duration)} closes, waits for the handlers up to a grace
 * period, then cancels the rest and waits for them to unwind. A handler that throws is reported to
 * the loop's exception handler; the server keeps serving. Use from the loop's tasks only: from
 * another loop, its methods throw {@link IllegalStateException} naming both loops.
 */
public final class Server implements AutoCloseable {
  private final LoopImpl loop;
  private final List<ServerSocketChannel> channels;
  private final List<IoHandle> handles;
  private final ConnectionHandler handler;
  private final ServerOptions options;
  private final List<SocketAddress> addresses;
  private final SocketAddress address;
  private final Set<Task<Void>> handlers = new LinkedHashSet<>();
  private final TaskWaiters waiters = new TaskWaiters();
  private final List<Task<Void>> acceptTasks = new ArrayList<>();
  private Runnable onClose;
  private boolean closed;
  private long accepted;

  Server(
      LoopImpl loop,
      List<ServerSocketChannel> channels,
      List<IoHandle> handles,
      ConnectionHandler handler,
      ServerOptions options)
      throws IOException {
    this.loop = Objects.requireNonNull(loop);
    this.channels = List.copyOf(channels);
    this.handles = List.copyOf(handles);
    this.handler = handler;
    this.options = options;
    List<SocketAddress> bound = new ArrayList<>();
    for (ServerSocketChannel ch : channels) {
      bound.add(ch.getLocalAddress());
    }
    this.addresses = List.copyOf(bound);
    this.address = addresses.get(0);
  }

  void start() {
    for (int i = 0; i < channels.size(); i++) {
      ServerSocketChannel ch = channels.get(i);
      IoHandle h = handles.get(i);
      Task<Void> t =
          loop.spawn(
              "server " + addresses.get(i),
              () -> {
                acceptLoop(ch, h);
                return null;
              });
      t.addDoneCallback(x -> wake());
      acceptTasks.add(t);
    }
  }

  /** Runs {@code action} once, when the server closes (removing a Unix socket file). */
  void onClose(Runnable action) {
    onClose = action;
  }

  /**
   * The first bound address ({@link InetSocketAddress}, or a Unix socket address); see {@link
   * #addresses()}.
   */
  public SocketAddress address() {
    return address;
  }

  /**
   * Every bound address, one per listening socket, in the resolver's order (asyncio's {@code
   * Server.sockets}, as addresses: the sockets themselves stay the server's).
   */
  public List<SocketAddress> addresses() {
    return addresses;
  }

  /**
   * The bound TCP port; when several addresses are bound, they all share it (with port 0, the first
   * socket's free port is used for the others).
   *
   * @throws IllegalStateException for a Unix domain socket server
   */
  public int port() {
    if (address instanceof InetSocketAddress a) {
      return a.getPort();
    }
    throw new IllegalStateException("a Unix domain socket server has no port: " + address);
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** How many connections are being served now. */
  public int activeConnections() {
    return handlers.size();
  }

  /** How many connections were accepted so far. */
  public long acceptedConnections() {
    return accepted;
  }

  private void acceptLoop(ServerSocketChannel channel, IoHandle handle) {
    while (!closed) {
      SocketChannel c;
      try {
        c = channel.accept();
        if (c == null) {
          handle.await(SelectionKey.OP_ACCEPT, "accept");
          continue;
        }
      } catch (AsynchronousCloseException e) {
        return;
      } catch (IOException e) {
        if (closed) {
          return;
        }
        // Out of descriptors and the like: report, back off a little, go on (as asyncio does).
        loop.callExceptionHandler(new ExceptionContext("accept failed on " + this, e, null));
        Async.sleep(Duration.ofMillis(100));
        continue;
      }
      accepted++;
      serve(c);
    }
  }

  private void serve(SocketChannel c) {
    Connection conn;
    try {
      c.configureBlocking(false);
      if (address instanceof InetSocketAddress) {
        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
      }
      IoHandle h = loop.poller().register(c);
      try {
        conn =
            new Connection(
                c, h, options.limit(), options.writeHighWater(), options.writeLowWater());
      } catch (IOException e) {
        h.closeChannel();
        throw e;
      }
    } catch (IOException e) {
      Closeables.closeQuietly(c);
      return; // the peer went away before we could serve it
    }
    Task<Void> t =
        loop.spawn(
            "connection " + conn.peerName(),
            () -> {
              try {
                if (options.tls() != null) {
                  try {
                    conn.secure(options.tls(), Tls.engine(options.tls(), null, -1), null);
                  } catch (TlsHandshakeException e) {
                    // The socket is closed; a client that failed to connect must not stop us. One
                    // that closed without a word (a port probe, a health check) is not reported.
                    if (e.getCause() instanceof TlsTransport.ClosedSilently) {
                      return null;
                    }
                    loop.callExceptionHandler(
                        new ExceptionContext(
                            "TLS handshake failed on server " + Tls.describe(address),
                            e,
                            Async.currentTask()));
                    return null;
                  }
                }
                handler.handle(conn);
              } catch (CancelledError e) {
                conn.abort();
                throw e;
              } catch (Exception | Error e) {
                // an Error too (an AssertionError, say), as asyncio reports any exception of a
                // client_connected_cb, once
                conn.abort();
                loop.callExceptionHandler(
                    new ExceptionContext(
                        "connection handler failed for " + conn, e, Async.currentTask()));
              } finally {
                conn.close();
              }
              return null;
            });
    handlers.add(t);
    t.addDoneCallback(
        x -> {
          handlers.remove(t);
          wake();
        });
  }

  /**
   * Stops accepting and closes the listening sockets (and removes a Unix socket file this server
   * created); handlers go on. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    LoopImpl.checkOn(loop, "Server", "close");
    closed = true;
    for (IoHandle h : handles) {
      h.closeChannel();
    }
    Runnable action = onClose;
    onClose = null;
    if (action != null) {
      action.run();
    }
    wake();
  }

  /**
   * <b>Suspends</b> until the server is closed and every handler has ended.
   *
   * @throws io.jasyncio.CancelledError if the caller is cancelled
   */
  public void waitClosed() {
    LoopImpl.currentTaskOn(loop, "Server", "waitClosed");
    waitEnded(null);
  }

  /** Waits until the server is closed and every handler but {@code self} (may be null) ended. */
  private void waitEnded(Object self) {
    while (!closed || othersLeft(self) || !acceptTasks.stream().allMatch(Task::isDone)) {
      waitChange();
    }
  }

  private boolean othersLeft(Object self) {
    return handlers.size() > (self != null && handlers.contains(self) ? 1 : 0);
  }

  /**
   * <b>Suspends</b> until {@link #close()} is called elsewhere (asyncio's {@code serve_forever});
   * if the caller is cancelled, the server is closed.
   */
  public void serveForever() {
    LoopImpl.currentTaskOn(loop, "Server", "serveForever");
    try {
      while (!closed) {
        waitChange();
      }
    } finally {
      close();
    }
  }

  /**
   * Closes the server, waits up to {@code grace} for the handlers to end, then cancels those left
   * and <b>suspends</b> until they have unwound. Called from one of this server's handlers (a "shut
   * down" command), it neither waits for nor cancels that handler: the handler goes on when the
   * others have ended, and the server finishes when it returns.
   *
   * @param grace the time the handlers get, zero or positive
   * @return how many handlers had to be cancelled
   */
  public int shutdown(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative: " + grace);
    }
    Object self = LoopImpl.currentTaskOn(loop, "Server", "shutdown");
    close();
    Async.moveOnAfter(grace, () -> waitEnded(self));
    var left = new ArrayList<>(handlers);
    left.remove(self);
    for (Task<Void> t : left) {
      t.cancel();
    }
    waitEnded(self);
    return left.size();
  }

  private void waitChange() {
    waiters.await("Server.waitClosed");
  }

  private void wake() {
    waiters.wakeAll();
  }

  @Override
  public String toString() {
    return "Server["
        + (addresses.size() == 1 ? address : addresses)
        + (closed ? ", closed" : "")
        + ", "
        + handlers.size()
        + " active]";
  }
}
