package io.jasyncio.net;

import static io.jasyncio.net.StreamsTest.b;
import static io.jasyncio.net.StreamsTest.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Streams under faults: timeouts, half-open peers, stalled peers, resets, closed streams. */
@Timeout(
    value = 30,
    threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung loop cannot block the suite
class StreamsFaultsTest {
  static final String HOST = "127.0.0.1";

  /** Polls (asserting nothing about time) until {@code cond} holds. */
  static void until(java.util.function.BooleanSupplier cond) {
    while (!cond.getAsBoolean()) {
      Async.sleep(Duration.ofMillis(1));
    }
  }

  @Test
  void connectTimeoutIsASocketTimeoutNamingTheAddress() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  try (Blackhole hole = new Blackhole(HappyEyeballsTest.V4_HANG, 0)) {
                    int port = hole.port();
                    assertThatThrownBy(
                            () ->
                                Streams.openConnection(
                                    "127.0.0.2",
                                    port,
                                    ConnectOptions.defaults()
                                        .connectTimeout(Duration.ofMillis(50))))
                        .isInstanceOf(SocketTimeoutException.class)
                        .hasMessageContaining("127.0.0.2:" + port);
                  }
                }));
  }

  @Test
  void aPeerThatHalfClosesIsEofForUsWhileOurWritesStillReachIt() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Promise<String> peerGot = Async.promise();
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            c.writer().write(b("bye\n"));
                            c.writer().writeEof(); // half-close: the peer still listens
                            peerGot.complete(s(c.reader().readAll()));
                          });
                  try (Connection c = Streams.openConnection(HOST, server.port())) {
                    assertThat(s(c.reader().readLine())).isEqualTo("bye\n");
                    assertThat(c.reader().read(10)).isEmpty();
                    assertThat(c.reader().atEof()).isTrue();
                    c.writer().write(b("still here\n"));
                    c.writer().drain();
                    c.writer().writeEof();
                    assertThat(peerGot.await()).isEqualTo("still here\n");
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void aPeerThatStopsReadingSuspendsWritesAndACancelledWriteLeavesAUsableConnection() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Promise<Void> resume = Async.promise();
                  Promise<Long> total = Async.promise();
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            resume.await(); // stops reading until told
                            long n = 0;
                            for (byte[] d; (d = c.reader().read(65536)).length > 0; ) {
                              n += d.length;
                            }
                            total.complete(n);
                          });
                  Connection c =
                      Streams.openConnection(
                          HOST,
                          server.port(),
                          ConnectOptions.defaults().writeWaterMarks(32_768, 0));
                  int chunk = 8192;
                  long[] calls = {0};
                  Task<Void> writer =
                      Async.spawn(
                          () -> {
                            for (; ; ) { // only ever suspends in write, above the high mark
                              calls[0]++;
                              c.writer().write(new byte[chunk]);
                            }
                          });
                  until(() -> c.writer().bufferedBytes() > 32_768);
                  writer.cancel();
                  assertThatThrownBy(writer::await).isInstanceOf(CancelledError.class);
                  // the connection is untouched: more can be written once the peer reads again
                  assertThat(c.isOpen()).isTrue();
                  assertThat(c.writer().isClosing()).isFalse();
                  resume.complete(null);
                  calls[0]++;
                  c.writer().write(new byte[chunk]);
                  c.writer().drain(); // the buffer empties
                  assertThat(c.writer().bufferedBytes()).isZero();
                  c.writer().writeEof();
                  // the cancelled write's bytes had been accepted: they arrive too
                  assertThat(total.await()).isEqualTo(calls[0] * chunk);
                  c.close();
                  c.waitClosed();
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void aDrainCancelledMidWayKeepsTheDataAndALaterDrainFinishes() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Promise<Void> resume = Async.promise();
                  Promise<Long> total = Async.promise();
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            resume.await();
                            long n = 0;
                            for (byte[] d; (d = c.reader().read(65536)).length > 0; ) {
                              n += d.length;
                            }
                            total.complete(n);
                          });
                  int size = 16 << 20; // more than both kernels' socket buffers
                  try (Connection c =
                      Streams.openConnection(
                          HOST,
                          server.port(),
                          ConnectOptions.defaults().writeWaterMarks(size * 2, 0))) {
                    c.writer().write(new byte[size]); // below the high mark: returns at once
                    assertThat(c.writer().bufferedBytes()).isPositive();
                    Task<Void> drainer = Async.spawn(() -> c.writer().drain());
                    Async.yieldNow();
                    assertThat(drainer.isDone()).isFalse(); // the peer does not read
                    drainer.cancel();
                    assertThatThrownBy(drainer::await).isInstanceOf(CancelledError.class);
                    assertThat(c.writer().bufferedBytes()).isPositive();
                    resume.complete(null);
                    c.writer().drain();
                    c.writer().writeEof();
                    assertThat(total.await()).isEqualTo(size);
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void readingAStreamClosedOnThisSideFailsClearly() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server = Streams.startServer(HOST, 0, StreamsTest::echoLines);
                  Connection c = Streams.openConnection(HOST, server.port());
                  Task<byte[]> reader = Async.spawn(() -> c.reader().readLine());
                  Async.yieldNow(); // now waiting for a line that never comes
                  c.abort();
                  assertThatThrownBy(reader::await)
                      .hasCauseInstanceOf(StreamClosedException.class)
                      .hasMessageContaining("closed on this side");
                  assertThatThrownBy(() -> c.reader().readExactly(1))
                      .isInstanceOf(StreamClosedException.class);
                  assertThatThrownBy(() -> c.writer().write(b("x")))
                      .isInstanceOf(StreamClosedException.class);
                  assertThat(c.isOpen()).isFalse();
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void writingAfterThePeerResetIsAClearIoException() throws Exception {
    FdCount.assertNoLeak(
        () -> {
          try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.ofLiteral(HOST))) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread.ofVirtual()
                .start(
                    () -> {
                      try (Socket s = ss.accept()) {
                        s.getInputStream().read();
                        s.setSoLinger(true, 0); // close with RST
                      } catch (IOException e) {
                        done.completeExceptionally(e);
                      }
                      done.complete(null);
                    });
            Async.run(
                () -> {
                  try (Connection c = Streams.openConnection(HOST, ss.getLocalPort())) {
                    c.writer().write(b("x"));
                    // wait for the reset to arrive (the read sees it, or at least EOF)
                    try {
                      c.reader().read(10);
                    } catch (IOException reset) {
                      assertThat(reset).hasMessageContaining("reset");
                    }
                    IOException failure = null;
                    for (int i = 0; i < 1000 && failure == null; i++) {
                      try {
                        c.writer().write(b("after reset\n"));
                        c.writer().drain();
                        Async.yieldNow();
                      } catch (IOException e) {
                        failure = e;
                      }
                    }
                    assertThat(failure).isNotNull().isNotInstanceOf(StreamClosedException.class);
                    assertThat(failure.getMessage()).isNotBlank();
                    assertThat(c.isOpen()).as("a write error closes the socket").isFalse();
                    assertThatThrownBy(() -> c.writer().write(b("again")))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("connection lost");
                  }
                });
            done.get();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
  }
}
