package io.jasyncio.net;

import static io.jasyncio.net.StreamsTest.b;
import static io.jasyncio.net.StreamsTest.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jasyncio.Async;
import io.jasyncio.AsyncException;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What each half of a connection reports once the connection failed or was closed: whichever half
 * meets a peer's reset closes the connection, and both then name the reset; a write waiting at the
 * high-water mark learns that {@code abort} threw its data away. The peers here are plain blocking
 * sockets, so the test controls exactly when the reset (SO_LINGER 0) happens.
 */
@Timeout(30)
class StreamFailureTest {
  static final String HOST = "127.0.0.1";

  /** Waits (suspending) until {@code cond} holds; the test's timeout bounds it. */
  static void until(BooleanSupplier cond) {
    while (!cond.getAsBoolean()) {
      Async.sleep(Duration.ofMillis(1));
    }
  }

  /** The exception a task's failure carries, unwrapped from {@link AsyncException}. */
  static Throwable failureOf(Task<?> t) {
    Throwable e = catchThrowable(t::await);
    return e instanceof AsyncException && e.getCause() != null ? e.getCause() : e;
  }

  interface Scenario {
    void run() throws Exception;
  }

  /** {@link FdCount#assertNoLeak} for a scenario that throws checked exceptions. */
  static void noLeak(Scenario scenario) {
    FdCount.assertNoLeak(
        () -> {
          try {
            scenario.run();
          } catch (RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  static CompletableFuture<Socket> acceptOnce(ServerSocket ss) {
    CompletableFuture<Socket> accepted = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                accepted.complete(ss.accept());
              } catch (IOException e) {
                accepted.completeExceptionally(e);
              }
            });
    return accepted;
  }

  static void resetAndClose(Socket peer) throws IOException {
    peer.setSoLinger(true, 0); // close with RST
    peer.close();
  }

  @Test
  void aReaderWaitingWhileTheWriterMeetsAResetGetsTheResetNotALocalClose() {
    noLeak(
        () -> {
          try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.ofLiteral(HOST))) {
            CompletableFuture<Socket> accepted = acceptOnce(ss);
            Async.run(
                () -> {
                  Connection c =
                      Streams.openConnection(
                          HOST,
                          ss.getLocalPort(),
                          ConnectOptions.defaults().writeWaterMarks(1 << 30, 0));
                  Task<byte[]> reader = Async.spawn(() -> c.reader().read(100));
                  c.writer().write(new byte[16 << 20]); // most of it stays buffered
                  assertThat(c.writer().bufferedBytes()).isPositive();
                  Socket peer = Async.toThread(() -> accepted.get());
                  Async.toThread(
                      () -> {
                        resetAndClose(peer);
                        return null;
                      });
                  Throwable read = failureOf(reader);
                  assertThat(read).isInstanceOf(IOException.class);
                  assertThat(read).isNotInstanceOf(StreamClosedException.class);
                  // the reader's own read, or the writer's write in the same poll, met it first
                  assertThat(read.getMessage()).containsAnyOf("reset", "Broken pipe");
                  assertThat(c.isOpen()).isFalse();
                  // every later use names the same failure
                  assertThatThrownBy(() -> c.reader().read(1))
                      .isInstanceOf(IOException.class)
                      .isNotInstanceOf(StreamClosedException.class)
                      .hasMessageStartingWith("connection lost: ");
                  assertThatThrownBy(() -> c.writer().drain())
                      .hasMessageStartingWith("connection lost: ");
                });
          }
        });
  }

  @Test
  void aReadThatMeetsAResetClosesTheConnectionAndWritesReportIt() {
    noLeak(
        () -> {
          try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.ofLiteral(HOST))) {
            Thread.ofVirtual()
                .start(
                    () -> {
                      try (Socket peer = ss.accept()) {
                        int first = peer.getInputStream().read(); // the client's one byte
                        assertThat(first).isEqualTo('x');
                        peer.setSoLinger(true, 0);
                      } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    });
            Async.run(
                () -> {
                  Connection c = Streams.openConnection(HOST, ss.getLocalPort());
                  c.writer().write(b("x"));
                  assertThatThrownBy(() -> c.reader().read(10))
                      .isInstanceOf(IOException.class)
                      .hasMessageContaining("reset");
                  // closed by the error, as asyncio's transports close on a fatal error
                  assertThat(c.isOpen()).isFalse();
                  assertThat(c.writer().isClosing()).isTrue();
                  assertThatThrownBy(() -> c.reader().read(10))
                      .hasMessageStartingWith("connection lost: ")
                      .hasMessageContaining("reset");
                  assertThatThrownBy(() -> c.writer().write(b("y")))
                      .hasMessageStartingWith("connection lost: ");
                });
          }
        });
  }

  @Test
  void overTlsAResetMetByWriteEofClosesTheConnectionAndIsReportedOnce() {
    noLeak(
        () -> {
          try (javax.net.ssl.SSLServerSocket ss =
              (javax.net.ssl.SSLServerSocket)
                  TestCerts.localhostServer()
                      .getServerSocketFactory()
                      .createServerSocket(0, 10, InetAddress.ofLiteral(HOST))) {
            CompletableFuture<Void> peerReset = new CompletableFuture<>();
            Thread.ofVirtual()
                .start(
                    () -> {
                      try (javax.net.ssl.SSLSocket peer = (javax.net.ssl.SSLSocket) ss.accept()) {
                        peer.startHandshake();
                        peer.getInputStream().read(); // the client's one byte
                        peer.setSoLinger(true, 0);
                      } catch (IOException e) {
                        peerReset.completeExceptionally(e);
                        return;
                      }
                      peerReset.complete(null); // closed with RST: our socket has it now
                    });
            Async.run(
                () -> {
                  Connection c =
                      Streams.openConnection(
                          HOST,
                          ss.getLocalPort(),
                          ConnectOptions.defaults()
                              .tls(TlsOptions.client(TestCerts.trustingClient())));
                  c.writer().write(b("x"));
                  Async.await(peerReset);
                  Throwable eof = catchThrowable(() -> c.writer().writeEof()); // close_notify
                  assertThat(eof).isInstanceOf(IOException.class);
                  assertThat(c.isOpen()).as("closed by the error").isFalse();
                  // every later use reports the one original error, wrapped once
                  for (Throwable later :
                      java.util.List.of(
                          catchThrowable(() -> c.writer().writeEof()),
                          catchThrowable(() -> c.reader().read(10)),
                          catchThrowable(() -> c.writer().drain()))) {
                    assertThat(later)
                        .isInstanceOf(IOException.class)
                        .hasMessage("connection lost: " + eof.getMessage());
                    assertThat(later.getCause()).isSameAs(eof);
                  }
                });
          }
        });
  }

  @Test
  void aWriteWaitingAtTheHighWaterMarkFailsWhenAnotherTaskAbortsTheConnection() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Promise<Void> never = Async.promise();
                  Server server = Streams.startServer(HOST, 0, c -> never.await()); // never reads
                  Connection c =
                      Streams.openConnection(
                          HOST, server.port(), ConnectOptions.defaults().writeWaterMarks(1, 0));
                  Task<Void> producer =
                      Async.spawn(
                          () -> {
                            for (; ; ) {
                              c.writer().write(new byte[64 * 1024]);
                            }
                          });
                  until(() -> c.writer().bufferedBytes() > 1); // suspended in write, at the mark
                  long buffered = c.writer().bufferedBytes();
                  c.abort();
                  Throwable t = failureOf(producer);
                  assertThat(t)
                      .isInstanceOf(StreamClosedException.class)
                      .hasMessage(
                          "the stream was aborted with " + buffered + " bytes not yet sent");
                  // drain says so too; a write is refused as after any close
                  assertThatThrownBy(() -> c.writer().drain())
                      .isInstanceOf(StreamClosedException.class);
                  assertThatThrownBy(() -> c.writer().write(b("z")))
                      .isInstanceOf(StreamClosedException.class);
                  server.shutdown(Duration.ZERO);
                }));
  }

  @Test
  void drainAfterAGracefulCloseWithNothingLeftReturns() {
    Async.run(
        () -> {
          Server server = Streams.startServer(HOST, 0, c -> c.reader().readAll());
          Connection c = Streams.openConnection(HOST, server.port());
          c.writer().write(b("all of it"));
          c.close();
          c.waitClosed();
          c.writer().drain(); // nothing was thrown away
          server.shutdown(Duration.ofSeconds(5));
        });
  }

  @Test
  void aSecondWriteEofDoesNothing() {
    Async.run(
        () -> {
          Server server = Streams.startServer(HOST, 0, c -> c.writer().write(c.reader().readAll()));
          Connection c = Streams.openConnection(HOST, server.port());
          c.writer().write(b("ping"));
          c.writer().writeEof();
          c.writer().writeEof(); // as asyncio's write_eof: no error, no second shutdown
          assertThat(s(c.reader().readAll())).isEqualTo("ping");
          assertThatThrownBy(() -> c.writer().write(b("late")))
              .isInstanceOf(StreamClosedException.class)
              .hasMessage("write after writeEof()");
          c.close();
          assertThatThrownBy(() -> c.writer().writeEof())
              .isInstanceOf(StreamClosedException.class)
              .hasMessage("writeEof after the stream was closed");
          server.shutdown(Duration.ofSeconds(5));
        });
  }

  @Test
  void aReadAfterCloseReturnsWhatWasBufferedThenFails() {
    Async.run(
        () -> {
          Promise<Void> done = Async.promise();
          Server server =
              Streams.startServer(
                  HOST,
                  0,
                  c -> {
                    c.writer().write(b("a\nb\n"));
                    done.await(); // keeps the connection open: no end of stream
                  });
          Connection c = Streams.openConnection(HOST, server.port());
          assertThat(s(c.reader().readLine())).isEqualTo("a\n");
          until(() -> c.reader().buffered() == 2);
          c.close();
          c.waitClosed();
          assertThat(s(c.reader().readLine())).isEqualTo("b\n"); // already buffered
          assertThatThrownBy(() -> c.reader().readLine())
              .isInstanceOf(StreamClosedException.class)
              .hasMessage("read from a stream that was closed on this side");
          done.complete(null);
          server.shutdown(Duration.ofSeconds(5));
        });
  }
}
