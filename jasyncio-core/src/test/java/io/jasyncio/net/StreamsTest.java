package io.jasyncio.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.ExceptionContext;
import io.jasyncio.Promise;
import io.jasyncio.Runner;
import io.jasyncio.Task;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StreamsTest {
  static final String HOST = "127.0.0.1";

  static byte[] b(String s) {
    return s.getBytes(US_ASCII);
  }

  static String s(byte[] b) {
    return new String(b, US_ASCII);
  }

  /** Echoes lines until EOF. */
  static void echoLines(Connection c) throws IOException {
    for (; ; ) {
      byte[] line = c.reader().readLine();
      if (line.length == 0) {
        return;
      }
      c.writer().write(line);
      c.writer().drain();
    }
  }

  @Test
  void echoRoundTripsAndCleanEof() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  try (Server server = Streams.startServer(HOST, 0, StreamsTest::echoLines)) {
                    try (Connection c = Streams.openConnection(HOST, server.port())) {
                      for (int i = 0; i < 100; i++) {
                        c.writer().write(b("hello " + i + "\n"));
                        assertThat(s(c.reader().readLine())).isEqualTo("hello " + i + "\n");
                      }
                      c.writer().write(b("abc;def;xyz\n"));
                      assertThat(s(c.reader().readUntil(b(";")))).isEqualTo("abc;");
                      assertThat(s(c.reader().readExactly(4))).isEqualTo("def;");
                      assertThat(s(c.reader().read(100))).isEqualTo("xyz\n");
                      c.writer().writeEof();
                      assertThat(c.reader().read(10)).isEmpty();
                      assertThat(c.reader().readLine()).isEmpty();
                      assertThat(c.reader().atEof()).isTrue();
                    }
                    server.shutdown(Duration.ofSeconds(5));
                  }
                }));
  }

  /**
   * After a read that did not fill its buffer the reader waits for readiness instead of reading
   * again (ChannelSource): bytes that arrived in the meantime are reported by the selector at once.
   */
  @Test
  void bytesThatArriveAfterAShortReadAreReadWithoutDelay() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Promise<Void> secondSent = Async.promise();
                  Promise<Void> firstRead = Async.promise();
                  try (Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            c.writer().write(b("one"));
                            c.writer().drain();
                            firstRead.await();
                            c.writer().write(b("two"));
                            c.writer().drain(); // handed to the kernel: on loopback, delivered
                            secondSent.complete(null);
                            c.reader().read(1); // until the client closes
                          })) {
                    try (Connection c = Streams.openConnection(HOST, server.port())) {
                      assertThat(s(c.reader().read(100))).isEqualTo("one"); // a short read
                      firstRead.complete(null);
                      secondSent.await();
                      assertThat(s(c.reader().read(100))).isEqualTo("two");
                    }
                    server.shutdown(Duration.ofSeconds(5));
                  }
                }));
  }

  @Test
  void manyConcurrentClients() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server = Streams.startServer(HOST, 0, StreamsTest::echoLines);
                  List<String> got =
                      Async.gather(
                          java.util.stream.IntStream.range(0, 20)
                              .<java.util.concurrent.Callable<String>>mapToObj(
                                  i ->
                                      () -> {
                                        try (Connection c =
                                            Streams.openConnection("localhost", server.port())) {
                                          StringBuilder sb = new StringBuilder();
                                          for (int k = 0; k < 10; k++) {
                                            c.writer().write(b(i + ":" + k + "\n"));
                                            sb.append(s(c.reader().readLine()));
                                          }
                                          return sb.toString();
                                        }
                                      })
                              .toList());
                  for (int i = 0; i < 20; i++) {
                    StringBuilder want = new StringBuilder();
                    for (int k = 0; k < 10; k++) {
                      want.append(i).append(':').append(k).append('\n');
                    }
                    assertThat(got.get(i)).isEqualTo(want.toString());
                  }
                  assertThat(server.acceptedConnections()).isEqualTo(20);
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void readExactlyOfAHugeLengthCostsOnlyWhatArrives() {
    // A hostile length prefix: asking for Integer.MAX_VALUE bytes must not allocate them up front.
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server = Streams.startServer(HOST, 0, c -> c.writer().write(b("abcde")));
                  try (Connection c = Streams.openConnection(HOST, server.port())) {
                    assertThatThrownBy(() -> c.reader().readExactly(Integer.MAX_VALUE))
                        .isInstanceOfSatisfying(
                            IncompleteReadException.class,
                            e -> {
                              assertThat(s(e.partial())).isEqualTo("abcde");
                              assertThat(e.expected()).isEqualTo(Integer.MAX_VALUE);
                            });
                    assertThat(c.reader().atEof()).isTrue();
                    assertThatThrownBy(() -> c.reader().readExactly(-1))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("readExactly: n must not be negative: -1");
                    assertThat(c.reader().readExactly(0)).isEmpty();
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void aCancelledReadExactlyLosesNoBytes() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  io.jasyncio.sync.Event more = new io.jasyncio.sync.Event();
                  Promise<Void> sent = Async.promise();
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            c.writer().write(b("0123456789"));
                            c.writer().drain();
                            sent.complete(null);
                            more.await();
                            c.writer().write(b("abcdefghij"));
                            c.writer().drain();
                          });
                  try (Connection c = Streams.openConnection(HOST, server.port())) {
                    Task<byte[]> reader = Async.spawn(() -> c.reader().readExactly(20));
                    // Let the first ten bytes arrive and (normally) be taken by the waiting
                    // readExactly; the assertion below holds either way.
                    sent.await();
                    Async.sleep(Duration.ofMillis(20));
                    reader.cancel();
                    assertThatThrownBy(reader::await).isInstanceOf(CancelledError.class);
                    more.set();
                    assertThat(s(c.reader().readExactly(20))).isEqualTo("0123456789abcdefghij");
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void readExactlyGathersALargeBodyArrivingInPieces() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  byte[] body = new byte[300_000]; // more than the reader's buffer and first chunk
                  for (int i = 0; i < body.length; i++) {
                    body[i] = (byte) (i * 31);
                  }
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            for (int off = 0; off < body.length; off += 7_000) {
                              c.writer().write(body, off, Math.min(7_000, body.length - off));
                              c.writer().drain();
                              Async.yieldNow();
                            }
                            c.writer().write(b("tail"));
                          });
                  try (Connection c = Streams.openConnection(HOST, server.port())) {
                    assertThat(c.reader().readExactly(body.length)).isEqualTo(body);
                    assertThat(s(c.reader().readExactly(4))).isEqualTo("tail");
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void readExactlyReportsThePartialBytesAtEof() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server = Streams.startServer(HOST, 0, c -> c.writer().write(b("abc")));
                  try (Connection c = Streams.openConnection(HOST, server.port())) {
                    assertThatThrownBy(() -> c.reader().readExactly(5))
                        .isInstanceOfSatisfying(
                            IncompleteReadException.class,
                            e -> {
                              assertThat(s(e.partial())).isEqualTo("abc");
                              assertThat(e.expected()).isEqualTo(5);
                            });
                    assertThat(c.reader().read(1)).isEmpty();
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void oversizedLineFailsClearlyAndTheStreamGoesOn() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  byte[] big = new byte[100_000];
                  Arrays.fill(big, (byte) 'x');
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            c.writer().write(big);
                            c.writer().write(b("\nok\n"));
                            c.writer().drain();
                          });
                  try (Connection c =
                      Streams.openConnection(
                          HOST, server.port(), ConnectOptions.defaults().limit(1000))) {
                    assertThatThrownBy(() -> c.reader().readLine())
                        .isInstanceOf(LimitOverrunException.class)
                        .hasMessageContaining("1000");
                    // readLine drops what it buffered; skip the rest of the long line
                    for (; ; ) {
                      try {
                        c.reader().readLine();
                        break;
                      } catch (LimitOverrunException e) {
                        // still inside the long line
                      }
                    }
                    assertThat(s(c.reader().readLine())).isEqualTo("ok\n");
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void refusedConnectionIsAClearErrorAndLeaksNothing() throws IOException {
    int port;
    try (ServerSocketChannel ch = ServerSocketChannel.open()) {
      ch.bind(new InetSocketAddress(HOST, 0));
      port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () ->
                    assertThatThrownBy(() -> Streams.openConnection(HOST, port))
                        .isInstanceOf(ConnectException.class)
                        .hasMessageContaining(String.valueOf(port))));
  }

  @Test
  void unknownHostFailsWithoutBlockingTheLoop() {
    Async.run(
        () ->
            assertThatThrownBy(() -> Streams.openConnection("no-such-host.invalid", 80))
                .isInstanceOf(java.net.UnknownHostException.class));
  }

  @Test
  void writesAndReadsAfterCloseFailClearly() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server = Streams.startServer(HOST, 0, StreamsTest::echoLines);
                  Connection c = Streams.openConnection(HOST, server.port());
                  c.close();
                  c.waitClosed();
                  assertThat(c.isOpen()).isFalse();
                  assertThatThrownBy(() -> c.writer().write(b("x")))
                      .isInstanceOf(StreamClosedException.class)
                      .hasMessageContaining("closed");
                  assertThatThrownBy(() -> c.reader().read(1))
                      .isInstanceOf(StreamClosedException.class);
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void writerAppliesBackpressureAtTheHighWaterMark() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Promise<Void> startReading = Async.promise();
                  long[] received = {0};
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            startReading.await();
                            for (; ; ) {
                              byte[] d = c.reader().read(65536);
                              if (d.length == 0) {
                                return;
                              }
                              received[0] += d.length;
                            }
                          });
                  Connection c =
                      Streams.openConnection(
                          HOST,
                          server.port(),
                          ConnectOptions.defaults().writeWaterMarks(32_768, 8192));
                  int total = 16 * 1024 * 1024; // more than both kernels' socket buffers
                  Task<Long> writer =
                      Async.spawn(
                          () -> {
                            byte[] chunk = new byte[4096];
                            long max = 0;
                            for (int sent = 0; sent < total; sent += chunk.length) {
                              c.writer().write(chunk);
                              max = Math.max(max, c.writer().bufferedBytes());
                            }
                            c.writer().writeEof();
                            c.writer().drain();
                            c.close();
                            c.waitClosed();
                            return max;
                          });
                  // The peer reads nothing yet: the writer must stop once it buffered the high
                  // mark.
                  while (c.writer().bufferedBytes() <= 32_768) {
                    Async.yieldNow();
                  }
                  assertThat(writer.isDone()).isFalse();
                  startReading.complete(null);
                  assertThat(writer.await()).isLessThanOrEqualTo(32_768 + 4096);
                  server.shutdown(Duration.ofSeconds(10));
                  assertThat(received[0]).isEqualTo(total);
                }));
  }

  @Test
  void cancellingAReadClosesNothingButTheStreamIsStillUsable() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server = Streams.startServer(HOST, 0, StreamsTest::echoLines);
                  try (Connection c = Streams.openConnection(HOST, server.port())) {
                    Task<byte[]> t = Async.spawn(() -> c.reader().readLine());
                    Async.yieldNow();
                    t.cancel();
                    assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                    c.writer().write(b("again\n"));
                    assertThat(s(c.reader().readLine())).isEqualTo("again\n");
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void cancellationMidReadWithTryWithResourcesReleasesTheSocket() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server = Streams.startServer(HOST, 0, StreamsTest::echoLines);
                  Task<Void> t =
                      Async.spawn(
                          () -> {
                            try (Connection c = Streams.openConnection(HOST, server.port())) {
                              c.reader().readLine(); // nothing ever comes
                            }
                          });
                  Async.yieldNow();
                  Async.moveOnAfter(Duration.ofMillis(50), () -> t.await());
                  t.cancel();
                  assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                  assertThat(server.shutdown(Duration.ofSeconds(5))).isZero();
                }));
  }

  @Test
  void handlerFailureIsReportedAndTheServerGoesOn() {
    List<ExceptionContext> reported = new ArrayList<>();
    try (Runner r = Runner.builder().exceptionHandler((loop, ctx) -> reported.add(ctx)).build()) {
      r.run(
          () -> {
            Server server =
                Streams.startServer(
                    HOST,
                    0,
                    c -> {
                      byte[] line = c.reader().readLine();
                      if (s(line).startsWith("boom")) {
                        throw new IllegalStateException("handler exploded");
                      }
                      c.writer().write(line);
                    });
            try (Connection c = Streams.openConnection(HOST, server.port())) {
              c.writer().write(b("boom\n"));
              assertThat(c.reader().read(10)).isEmpty(); // the server closed it
            }
            try (Connection c = Streams.openConnection(HOST, server.port())) {
              c.writer().write(b("fine\n"));
              assertThat(s(c.reader().readLine())).isEqualTo("fine\n");
            }
            server.shutdown(Duration.ofSeconds(5));
          });
    }
    assertThat(reported).hasSize(1);
    assertThat(reported.get(0).exception()).hasMessage("handler exploded");
    assertThat(reported.get(0).message()).contains("connection handler failed");
  }

  @Test
  void aHandlerThatThrowsAnErrorIsReportedAsAHandlerFailureToo() {
    List<ExceptionContext> reported = new ArrayList<>();
    try (Runner r = Runner.builder().exceptionHandler((loop, ctx) -> reported.add(ctx)).build()) {
      r.run(
          () -> {
            Server server =
                Streams.startServer(
                    HOST,
                    0,
                    c -> {
                      c.reader().readLine();
                      throw new AssertionError("handler assertion");
                    });
            try (Connection c = Streams.openConnection(HOST, server.port())) {
              c.writer().write(b("go\n"));
              assertThat(c.reader().read(10)).isEmpty(); // the server closed it
            }
            server.shutdown(Duration.ofSeconds(5));
          });
    }
    assertThat(reported).hasSize(1);
    assertThat(reported.get(0).exception()).hasMessage("handler assertion");
    assertThat(reported.get(0).message()).contains("connection handler failed");
  }

  @Test
  void shutdownCancelsHandlersAfterTheGracePeriod() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Promise<Void> inHandler = Async.promise();
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            inHandler.complete(null);
                            c.reader().readLine(); // the client never sends
                          });
                  try (Connection c = Streams.openConnection(HOST, server.port())) {
                    inHandler.await();
                    assertThat(server.activeConnections()).isEqualTo(1);
                    assertThat(server.shutdown(Duration.ZERO)).isEqualTo(1);
                    assertThat(server.activeConnections()).isZero();
                    assertThat(c.reader().read(10)).isEmpty(); // aborted by the server
                    assertThatThrownBy(() -> Streams.openConnection(HOST, server.port()))
                        .isInstanceOf(ConnectException.class);
                  }
                }));
  }

  /** A handler that shuts its own server down neither waits for itself nor cancels itself. */
  @Test
  void shutdownFromAHandlerSparesThatHandler() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Promise<Void> idleIn = Async.promise();
                  Promise<Integer> cancelled = Async.promise();
                  Server[] server = new Server[1];
                  server[0] =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            String line = new String(c.reader().readLine(), US_ASCII);
                            if (line.equals("idle\n")) {
                              idleIn.complete(null);
                              c.reader().readLine(); // never more: shutdown cancels this one
                              return;
                            }
                            // "stop": a day's grace, but only the idle handler is waited for
                            cancelled.complete(server[0].shutdown(Duration.ZERO));
                            assertThat(server[0].shutdown(Duration.ofDays(1))).isZero();
                            c.writer().write(b("bye\n"));
                            c.writer().drain();
                          });
                  try (Connection idle = Streams.openConnection(HOST, server[0].port());
                      Connection stop = Streams.openConnection(HOST, server[0].port())) {
                    idle.writer().write(b("idle\n"));
                    idleIn.await();
                    stop.writer().write(b("stop\n"));
                    assertThat(stop.reader().readLine()).isEqualTo(b("bye\n"));
                    assertThat(cancelled.await()).isEqualTo(1);
                    server[0].waitClosed();
                    assertThat(server[0].activeConnections()).isZero();
                    assertThat(idle.reader().read(10)).isEmpty();
                  }
                }));
  }

  @Test
  void peerResetIsAClearError() throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getByName(HOST))) {
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
              assertThatThrownBy(() -> c.reader().read(10))
                  .isInstanceOf(IOException.class)
                  .hasMessageContaining("reset");
            }
          });
      done.get();
    }
  }

  @Test
  void halfCloseLetsThePeerAnswerAfterEof() {
    Async.run(
        () -> {
          Server server =
              Streams.startServer(
                  HOST,
                  0,
                  c -> {
                    byte[] all = c.reader().readAll();
                    c.writer().write(b("got " + all.length));
                  });
          try (Connection c = Streams.openConnection(HOST, server.port())) {
            c.writer().write(new byte[1000]);
            c.writer().writeEof();
            assertThatThrownBy(() -> c.writer().write(b("x")))
                .isInstanceOf(StreamClosedException.class)
                .hasMessageContaining("writeEof");
            assertThat(s(c.reader().readAll())).isEqualTo("got 1000");
          }
          server.shutdown(Duration.ofSeconds(5));
        });
  }

  @Test
  void serverOnAnAlreadyBoundChannel() throws IOException {
    Async.run(
        () -> {
          ServerSocketChannel ch = ServerSocketChannel.open();
          ch.bind(new InetSocketAddress(HOST, 0));
          Server server = Streams.startServer(ch, StreamsTest::echoLines, ServerOptions.defaults());
          try (Connection c = Streams.openConnection(HOST, server.port())) {
            c.writer().write(b("hi\n"));
            assertThat(s(c.reader().readLine())).isEqualTo("hi\n");
          }
          server.shutdown(Duration.ofSeconds(5));
          assertThat(ch.isOpen()).isFalse();
        });
  }

  @Test
  void badArgumentsAreRejected() {
    Async.run(
        () -> {
          assertThatThrownBy(() -> Streams.openConnection(HOST, 70000))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("port");
          assertThatThrownBy(() -> ConnectOptions.defaults().connectTimeout(Duration.ZERO))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("connectTimeout");
          assertThatThrownBy(() -> ConnectOptions.defaults().writeWaterMarks(10, 20))
              .isInstanceOf(IllegalArgumentException.class);
          assertThatThrownBy(() -> ServerOptions.defaults().backlog(0))
              .isInstanceOf(IllegalArgumentException.class);
        });
    assertThatThrownBy(() -> Streams.openConnection(HOST, 80))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Async.run");
  }
}
