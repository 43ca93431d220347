package io.jasyncio.net;

import static io.jasyncio.net.StreamsTest.b;
import static io.jasyncio.net.StreamsTest.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.ExceptionContext;
import io.jasyncio.Promise;
import io.jasyncio.Runner;
import io.jasyncio.Task;
import io.jasyncio.Threads;
import io.jasyncio.sync.Event;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class TlsTest {
  static final String HOST = "127.0.0.1";
  static final SSLContext SERVER = TestCerts.localhostServer();
  static final SSLContext OTHER_SERVER = TestCerts.otherServer();
  static final SSLContext CLIENT = TestCerts.trustingClient();

  @TempDir Path dir;

  static ServerOptions tlsServer() {
    return ServerOptions.defaults().tls(TlsOptions.server(SERVER));
  }

  static ConnectOptions tlsClient() {
    return ConnectOptions.defaults().tls(TlsOptions.client(CLIENT));
  }

  /** Runs {@code main} on a loop whose exception handler collects the reports. */
  static <T> T withReports(List<ExceptionContext> reported, Callable<T> main) {
    try (Runner r = Runner.builder().exceptionHandler((loop, ctx) -> reported.add(ctx)).build()) {
      return r.run(main);
    }
  }

  static byte[] readToEnd(StreamReader r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (; ; ) {
      byte[] d = r.read(65536);
      if (d.length == 0) {
        return out.toByteArray();
      }
      out.write(d);
    }
  }

  @Test
  void echoRoundTripsOverTlsAndCleanClose() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  List<String> serverSide = Collections.synchronizedList(new ArrayList<>());
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            serverSide.add(c.tlsSession().getProtocol());
                            StreamsTest.echoLines(c);
                          },
                          tlsServer());
                  try (Connection c = Streams.openConnection(HOST, server.port(), tlsClient())) {
                    assertThat(c.tlsSession()).isNotNull();
                    assertThat(c.tlsSession().getProtocol()).isEqualTo("TLSv1.3");
                    assertThat(c.applicationProtocol()).isNull();
                    assertThat(c.toString()).contains("TLS");
                    for (int i = 0; i < 50; i++) {
                      c.writer().write(b("hello " + i + "\n"));
                      assertThat(s(c.reader().readLine())).isEqualTo("hello " + i + "\n");
                    }
                    c.writer().writeEof(); // close_notify: the server's readLine sees the end
                    assertThat(c.reader().read(10)).isEmpty(); // its close_notify: our end
                    assertThat(c.reader().atEof()).isTrue();
                  }
                  server.shutdown(Duration.ofSeconds(5));
                  assertThat(serverSide).containsExactly("TLSv1.3");
                }));
  }

  @Test
  void tls12WorksTooButHasNoHalfClose() {
    SSLContext tls12 = TestCerts.trustingClient("TLSv1.2");
    List<ExceptionContext> reported = new ArrayList<>();
    FdCount.assertNoLeak(
        () ->
            withReports(
                reported,
                () -> {
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            StreamsTest.echoLines(c);
                            c.writer().write(b("bye\n"));
                          },
                          tlsServer());
                  try (Connection c =
                      Streams.openConnection(
                          HOST,
                          server.port(),
                          ConnectOptions.defaults().tls(TlsOptions.client(tls12)))) {
                    assertThat(c.tlsSession().getProtocol()).isEqualTo("TLSv1.2");
                    byte[] line = new byte[50_000]; // within the server's line limit
                    java.util.Arrays.fill(line, (byte) 'x');
                    line[line.length - 1] = '\n';
                    c.writer().write(line);
                    assertThat(c.reader().readExactly(line.length)).isEqualTo(line);
                    c.writer().writeEof();
                    // the server's engine answers our close_notify with its own, which ends its
                    // sending side too: its "bye" fails, and our end is clean
                    assertThat(c.reader().read(10)).isEmpty();
                  }
                  server.shutdown(Duration.ofSeconds(5));
                  return null;
                }));
    assertThat(reported).hasSize(2);
    assertThat(reported.get(0).exception())
        .hasMessageContaining("the peer closed the TLS session")
        .hasMessageContaining("before TLS 1.3");
  }

  /**
   * With -Djavax.net.debug=ssl:handshake the log shows the HelloRequest, the client's second
   * ClientHello and an abbreviated handshake, all while the server writes.
   */
  @Test
  void tls12RenegotiationByTheServerMidStream() {
    SSLContext tls12 = TestCerts.trustingClient("TLSv1.2");
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            c.writer().write(c.reader().readLine());
                            c.tlsTransport().engine().beginHandshake(); // a HelloRequest
                            byte[] big = new byte[1024 * 1024];
                            c.writer().write(big); // while the engine renegotiates
                            StreamsTest.echoLines(c);
                          },
                          tlsServer());
                  try (Connection c =
                      Streams.openConnection(
                          HOST,
                          server.port(),
                          ConnectOptions.defaults().tls(TlsOptions.client(tls12)))) {
                    c.writer().write(b("one\n"));
                    assertThat(s(c.reader().readLine())).isEqualTo("one\n");
                    long created = c.tlsSession().getCreationTime();
                    var before = java.util.HexFormat.of().formatHex(c.tlsSession().getId());
                    assertThat(c.reader().readExactly(1024 * 1024)).hasSize(1024 * 1024);
                    System.out.println(
                        "RENEG "
                            + before
                            + " -> "
                            + java.util.HexFormat.of().formatHex(c.tlsSession().getId())
                            + " "
                            + created
                            + " "
                            + c.tlsSession().getCreationTime());
                    c.writer().write(b("two\n"));
                    assertThat(s(c.reader().readLine())).isEqualTo("two\n");
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void twoMebibytesEachWay() {
    byte[] data = new byte[2 * 1024 * 1024];
    new Random(42).nextBytes(data);
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            for (; ; ) {
                              byte[] d = c.reader().read(65536);
                              if (d.length == 0) {
                                return;
                              }
                              c.writer().write(d);
                            }
                          },
                          tlsServer());
                  try (Connection c =
                      Streams.openConnection(
                          HOST, server.port(), tlsClient().writeWaterMarks(32 * 1024, 8 * 1024))) {
                    Task<Void> writer =
                        Async.spawn(
                            () -> {
                              c.writer().write(data); // one write: many records, partial sends
                              c.writer().write(data, 0, 1); // odd sizes too
                              c.writer().write(data, 1, 70_000);
                              c.writer().writeEof();
                            });
                    byte[] got = readToEnd(c.reader());
                    writer.await();
                    assertThat(got.length).isEqualTo(data.length + 70_001);
                    assertThat(java.util.Arrays.equals(got, 0, data.length, data, 0, data.length))
                        .isTrue();
                    assertThat(
                            java.util.Arrays.equals(got, data.length, got.length, data, 0, 70_001))
                        .isTrue();
                  }
                  server.shutdown(Duration.ofSeconds(10));
                }));
  }

  @Test
  void hostNameMismatchFailsNamingTheProblem() {
    List<ExceptionContext> reported = new ArrayList<>();
    withReports(
        reported,
        () -> {
          Server server = Streams.startServer(HOST, 0, c -> {}, otherServerOptions());
          int port = server.port();
          assertThatThrownBy(() -> Streams.openConnection(HOST, port, tlsClient()))
              .isInstanceOf(TlsHandshakeException.class)
              .hasMessageContaining("TLS handshake with 127.0.0.1:" + port + " failed")
              .hasMessageContaining("does not match the host name")
              .hasMessageContaining("127.0.0.1")
              .hasCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class);
          assertThatThrownBy(
                  () ->
                      Streams.openConnection(
                          HOST,
                          port,
                          ConnectOptions.defaults()
                              .tls(TlsOptions.client(CLIENT).serverName("localhost"))))
              .isInstanceOf(TlsHandshakeException.class)
              .hasMessageContaining("TLS handshake with localhost:" + port + " failed")
              .hasMessageContaining("No subject alternative DNS name matching localhost");
          server.shutdown(Duration.ofSeconds(5));
          return null;
        });
    // the server saw the client's alert; each failure is reported, and the server went on
    assertThat(reported).hasSize(2);
    assertThat(reported.get(0).exception())
        .isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("the peer refused the handshake");
    assertThat(reported.get(0).message()).contains("TLS handshake failed on server 127.0.0.1:");
  }

  static ServerOptions otherServerOptions() {
    return ServerOptions.defaults().tls(TlsOptions.server(OTHER_SERVER));
  }

  @Test
  void untrustedCertificateFailsWithTheDefaultTrust() {
    List<ExceptionContext> reported = new ArrayList<>();
    FdCount.assertNoLeak(
        () ->
            withReports(
                reported,
                () -> {
                  Server server = Streams.startServer(HOST, 0, c -> {}, tlsServer());
                  assertThatThrownBy(
                          () ->
                              Streams.openConnection(
                                  "localhost",
                                  server.port(),
                                  ConnectOptions.defaults().tls(TlsOptions.defaultClient())))
                      .isInstanceOf(TlsHandshakeException.class)
                      .hasMessageContaining("TLS handshake with localhost:" + server.port())
                      .hasMessageContaining("certificate is not trusted")
                      .hasMessageContaining("PKIX");
                  server.shutdown(Duration.ofSeconds(5));
                  return null;
                }));
  }

  @Test
  void verifyHostnameOffAcceptsATrustedCertificateForAnotherName() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server =
                      Streams.startServer(HOST, 0, StreamsTest::echoLines, otherServerOptions());
                  try (Connection c =
                      Streams.openConnection(
                          HOST,
                          server.port(),
                          ConnectOptions.defaults()
                              .tls(TlsOptions.client(CLIENT).verifyHostname(false)))) {
                    c.writer().write(b("hi\n"));
                    assertThat(s(c.reader().readLine())).isEqualTo("hi\n");
                    assertThat(c.tlsSession().getPeerPrincipal().getName())
                        .isEqualTo("CN=other.example");
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void alpnIsNegotiatedAndExposedOnBothSides() {
    List<ExceptionContext> reported = new ArrayList<>();
    withReports(
        reported,
        () -> {
          for (List<String> serverProtocols :
              List.of(List.of("http/1.1"), List.of("h2", "http/1.1"))) {
            Server server =
                Streams.startServer(
                    HOST,
                    0,
                    c -> c.writer().write(b(c.applicationProtocol() + "\n")),
                    ServerOptions.defaults()
                        .tls(
                            TlsOptions.server(SERVER)
                                .applicationProtocols(serverProtocols.toArray(String[]::new))));
            try (Connection c =
                Streams.openConnection(
                    HOST,
                    server.port(),
                    ConnectOptions.defaults()
                        .tls(TlsOptions.client(CLIENT).applicationProtocols("h2", "http/1.1")))) {
              String expected = serverProtocols.get(0); // the server's preference wins
              assertThat(c.applicationProtocol()).isEqualTo(expected);
              assertThat(s(c.reader().readLine())).isEqualTo(expected + "\n");
            }
            server.shutdown(Duration.ofSeconds(5));
          }
          // no protocol in common: the handshake fails on both sides
          Server server =
              Streams.startServer(
                  HOST,
                  0,
                  c -> {},
                  ServerOptions.defaults()
                      .tls(TlsOptions.server(SERVER).applicationProtocols("imap")));
          assertThatThrownBy(
                  () ->
                      Streams.openConnection(
                          HOST,
                          server.port(),
                          ConnectOptions.defaults()
                              .tls(TlsOptions.client(CLIENT).applicationProtocols("h2"))))
              .isInstanceOf(TlsHandshakeException.class)
              .hasMessageContaining("no_application_protocol");
          // a client that offers none gets none
          try (Connection c = Streams.openConnection(HOST, server.port(), tlsClient())) {
            assertThat(c.applicationProtocol()).isNull();
          }
          server.shutdown(Duration.ofSeconds(5));
          return null;
        });
    assertThat(reported).hasSize(1);
    assertThat(reported.get(0).exception()).isInstanceOf(TlsHandshakeException.class);
  }

  /** A plain-text line protocol with an upgrade, like SMTP's STARTTLS. */
  static void startTlsServer(Connection c) throws IOException {
    assertThat(s(c.reader().readLine())).isEqualTo("EHLO\n");
    c.writer().write(b("250 hello\n"));
    assertThat(s(c.reader().readLine())).isEqualTo("STARTTLS\n");
    c.writer().write(b("220 go ahead\n")); // sent before the handshake starts
    c.startTls(TlsOptions.server(SERVER));
    c.writer().write(b("secure " + c.tlsSession().getProtocol() + "\n"));
    StreamsTest.echoLines(c);
  }

  @Test
  void startTlsUpgradesAPlainConnectionInPlace() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server = Streams.startServer(HOST, 0, TlsTest::startTlsServer);
                  try (Connection c = Streams.openConnection(HOST, server.port())) {
                    StreamReader reader = c.reader();
                    StreamWriter writer = c.writer();
                    writer.write(b("EHLO\n"));
                    assertThat(s(reader.readLine())).isEqualTo("250 hello\n");
                    assertThat(c.tlsSession()).isNull();
                    writer.write(b("STARTTLS\n"));
                    assertThat(s(reader.readLine())).isEqualTo("220 go ahead\n");
                    c.startTls(TlsOptions.client(CLIENT)); // verifies 127.0.0.1, the host given
                    assertThat(c.tlsSession()).isNotNull();
                    assertThat(c.reader()).isSameAs(reader);
                    assertThat(s(reader.readLine())).isEqualTo("secure TLSv1.3\n");
                    writer.write(b("over tls\n"));
                    assertThat(s(reader.readLine())).isEqualTo("over tls\n");
                    assertThatThrownBy(() -> c.startTls(TlsOptions.client(CLIENT)))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("already uses TLS");
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void startTlsIsRefusedWhileReceivedBytesAreUnread() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            c.writer().write(b("220 go ahead\nEXTRA")); // one segment
                            c.reader().readAll();
                          });
                  try (Connection c = Streams.openConnection(HOST, server.port())) {
                    assertThat(s(c.reader().readLine())).isEqualTo("220 go ahead\n");
                    assertThatThrownBy(() -> c.startTls(TlsOptions.client(CLIENT)))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("5 bytes received before the upgrade");
                    assertThat(c.isOpen()).isTrue(); // nothing happened to the connection
                    assertThat(s(c.reader().readExactly(5))).isEqualTo("EXTRA");
                    c.writer().writeEof();
                    assertThatThrownBy(() -> c.startTls(TlsOptions.client(CLIENT)))
                        .isInstanceOf(StreamClosedException.class)
                        .hasMessageContaining("writeEof");
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void startTlsCancelledWhileFlushingPendingWritesClosesTheConnection() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Event stop = new Event();
                  Server server = Streams.startServer(HOST, 0, c -> stop.await()); // never reads
                  Connection c = Streams.openConnection(HOST, server.port());
                  byte[] chunk = new byte[16 * 1024];
                  while (c.writer().bufferedBytes() == 0) {
                    c.writer().write(chunk); // until the socket is full and the writer buffers
                  }
                  Task<Void> upgrade =
                      Async.spawn(
                          () -> {
                            c.startTls(TlsOptions.client(CLIENT)); // waits for the buffer to go
                            return null;
                          });
                  Async.yieldNow(); // it is now waiting in startTls
                  upgrade.cancel();
                  assertThatThrownBy(upgrade::await).isInstanceOf(CancelledError.class);
                  assertThat(c.isOpen()).as("aborted, as startTls documents").isFalse();
                  stop.set();
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void plainClientToATlsServerIsReportedAndTheServerGoesOn() {
    List<ExceptionContext> reported = new ArrayList<>();
    FdCount.assertNoLeak(
        () ->
            withReports(
                reported,
                () -> {
                  Server server = Streams.startServer(HOST, 0, StreamsTest::echoLines, tlsServer());
                  // a port probe: connects and closes without a word; not worth a report
                  Streams.openConnection(HOST, server.port()).close();
                  try (Connection c = Streams.openConnection(HOST, server.port())) {
                    c.writer().write(b("hello\n"));
                    readToEnd(c.reader()); // maybe an alert, then the server closes
                    assertThat(c.reader().atEof()).isTrue();
                  }
                  try (Connection c = Streams.openConnection(HOST, server.port(), tlsClient())) {
                    c.writer().write(b("next\n"));
                    assertThat(s(c.reader().readLine())).isEqualTo("next\n");
                  }
                  server.shutdown(Duration.ofSeconds(5));
                  return null;
                }));
    assertThat(reported).hasSize(2); // one per run of the scenario
    assertThat(reported.get(0).message()).contains("TLS handshake failed on server");
    assertThat(reported.get(0).exception())
        .isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("TLS handshake with 127.0.0.1:")
        .hasMessageContaining("the peer does not speak TLS (it sent \"hello\\n\")");
  }

  @Test
  void tlsClientToAPlainServerFailsClearly() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server greeter =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            c.writer().write(b("220 mail.example ESMTP\r\n"));
                            c.reader().readAll();
                          });
                  assertThatThrownBy(
                          () -> Streams.openConnection(HOST, greeter.port(), tlsClient()))
                      .isInstanceOf(TlsHandshakeException.class)
                      .hasMessageContaining("TLS handshake with 127.0.0.1:" + greeter.port())
                      .hasMessageContaining(
                          "the peer does not speak TLS (it sent \"220 mail.example ESMTP\\r\\n\")");
                  greeter.shutdown(Duration.ofSeconds(5));

                  Server closer = Streams.startServer(HOST, 0, c -> {});
                  assertThatThrownBy(() -> Streams.openConnection(HOST, closer.port(), tlsClient()))
                      .isInstanceOf(TlsHandshakeException.class)
                      .hasMessageContaining(
                          "the peer closed the connection before sending anything (does it speak"
                              + " TLS on this port?");
                  closer.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void handshakeTimeoutFailsClearlyAndClosesTheSocket() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server silent = Streams.startServer(HOST, 0, c -> c.reader().readAll());
                  assertThatThrownBy(
                          () ->
                              Streams.openConnection(
                                  HOST,
                                  silent.port(),
                                  ConnectOptions.defaults()
                                      .tls(
                                          TlsOptions.client(CLIENT)
                                              .handshakeTimeout(Duration.ofMillis(200)))))
                      .isInstanceOf(TlsHandshakeException.class)
                      .hasMessageContaining("TLS handshake with 127.0.0.1:" + silent.port())
                      .hasMessageContaining("timed out after 200 ms")
                      .hasCauseInstanceOf(SocketTimeoutException.class);
                  // the client closed its socket: the server's readAll ends by itself
                  assertThat(silent.shutdown(Duration.ofSeconds(5))).isZero();
                }));
  }

  @Test
  void serverHandshakeTimeoutIsReportedAndTheClientSeesTheEnd() {
    List<ExceptionContext> reported = new ArrayList<>();
    FdCount.assertNoLeak(
        () ->
            withReports(
                reported,
                () -> {
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {},
                          ServerOptions.defaults()
                              .tls(
                                  TlsOptions.server(SERVER)
                                      .handshakeTimeout(Duration.ofMillis(200))));
                  try (Connection mute = Streams.openConnection(HOST, server.port())) {
                    assertThat(readToEnd(mute.reader())).isEmpty(); // closed after the timeout
                  }
                  server.shutdown(Duration.ofSeconds(5));
                  return null;
                }));
    assertThat(reported).hasSize(2);
    assertThat(reported.get(0).exception())
        .isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("timed out after 200 ms");
  }

  @Test
  void manyConcurrentTlsClients() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server = Streams.startServer(HOST, 0, StreamsTest::echoLines, tlsServer());
                  List<Callable<String>> clients = new ArrayList<>();
                  for (int i = 0; i < 20; i++) {
                    int id = i;
                    clients.add(
                        () -> {
                          try (Connection c =
                              Streams.openConnection(HOST, server.port(), tlsClient())) {
                            StringBuilder sb = new StringBuilder();
                            for (int k = 0; k < 5; k++) {
                              c.writer().write(b(id + ":" + k + "\n"));
                              sb.append(s(c.reader().readLine()));
                            }
                            return sb.toString();
                          }
                        });
                  }
                  List<String> got = Async.gather(clients);
                  for (int i = 0; i < 20; i++) {
                    assertThat(got.get(i))
                        .isEqualTo(i + ":0\n" + i + ":1\n" + i + ":2\n" + i + ":3\n" + i + ":4\n");
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void cancellationMidHandshakeReleasesTheSocketOnBothSides() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  // client side: the server takes the ClientHello and never answers
                  Promise<Void> helloArrived = Async.promise();
                  Server silent =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            c.reader().read(1);
                            helloArrived.complete(null);
                            c.reader().readAll();
                          });
                  Task<Connection> client =
                      Async.spawn(() -> Streams.openConnection(HOST, silent.port(), tlsClient()));
                  helloArrived.await();
                  client.cancel();
                  assertThatThrownBy(client::await).isInstanceOf(CancelledError.class);
                  assertThat(silent.shutdown(Duration.ofSeconds(5))).isZero();

                  // server side: a client that connects and never says hello
                  Server server = Streams.startServer(HOST, 0, c -> {}, tlsServer());
                  try (Connection mute = Streams.openConnection(HOST, server.port())) {
                    while (server.activeConnections() == 0) {
                      Async.yieldNow();
                    }
                    assertThat(server.shutdown(Duration.ZERO)).isEqualTo(1);
                    assertThat(mute.reader().read(10)).isEmpty(); // closed by the server
                  }
                }));
  }

  @Test
  void cancellationMidReadReleasesTheSocket() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server = Streams.startServer(HOST, 0, StreamsTest::echoLines, tlsServer());
                  Promise<Void> connected = Async.promise();
                  Task<Void> t =
                      Async.spawn(
                          () -> {
                            try (Connection c =
                                Streams.openConnection(HOST, server.port(), tlsClient())) {
                              connected.complete(null);
                              c.reader().readLine(); // nothing ever comes
                            }
                          });
                  connected.await();
                  t.cancel();
                  assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                  assertThat(server.shutdown(Duration.ofSeconds(5))).isZero();
                }));
  }

  @Test
  void halfCloseOverTlsLetsThePeerAnswerAfterEof() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            byte[] all = c.reader().readAll();
                            c.writer().write(b("got " + all.length));
                          },
                          tlsServer());
                  try (Connection c = Streams.openConnection(HOST, server.port(), tlsClient())) {
                    c.writer().write(new byte[1000]);
                    c.writer().writeEof();
                    assertThatThrownBy(() -> c.writer().write(b("x")))
                        .isInstanceOf(StreamClosedException.class)
                        .hasMessageContaining("writeEof");
                    assertThat(s(c.reader().readAll())).isEqualTo("got 1000");
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void interoperatesWithTheJdkSslSocketBothWays() throws Exception {
    // our server, the JDK's blocking client: a clean close is a close_notify (read returns -1)
    Async.run(
        () -> {
          Server server =
              Streams.startServer(
                  HOST,
                  0,
                  c -> {
                    c.writer().write(c.reader().readLine());
                    c.writer().write(b("bye\n"));
                  },
                  tlsServer());
          String got =
              Threads.toThread(
                  () -> {
                    try (SSLSocket s =
                        (SSLSocket) CLIENT.getSocketFactory().createSocket(HOST, server.port())) {
                      s.getOutputStream().write(b("jdk\n"));
                      var in =
                          new BufferedReader(
                              new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                      String all = in.readLine() + "," + in.readLine();
                      return all + "," + in.read();
                    }
                  });
          assertThat(got).isEqualTo("jdk,bye,-1");
          server.shutdown(Duration.ofSeconds(5));
        });

    // the JDK's blocking server, our client
    try (SSLServerSocket ss =
        (SSLServerSocket)
            SERVER
                .getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> seen = new CompletableFuture<>();
      Thread.ofVirtual()
          .start(
              () -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                  var in =
                      new BufferedReader(
                          new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                  String line = in.readLine();
                  OutputStream out = s.getOutputStream();
                  out.write(b("echo " + line + "\n"));
                  out.flush();
                  seen.complete(line + "," + in.read());
                } catch (IOException e) {
                  seen.completeExceptionally(e);
                }
              });
      String reply =
          Async.run(
              () -> {
                try (Connection c =
                    Streams.openConnection("localhost", ss.getLocalPort(), tlsClient())) {
                  c.writer().write(b("ours\n"));
                  String r = s(c.reader().readLine());
                  c.writer().writeEof();
                  assertThat(c.reader().read(10)).isEmpty();
                  return r;
                }
              });
      assertThat(reply).isEqualTo("echo ours\n");
      assertThat(seen.get()).isEqualTo("ours,-1"); // our writeEof was a close_notify
    }
  }

  @Test
  void tlsOverAUnixSocket() {
    int[] n = {0};
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Path sock = dir.resolve("tls" + n[0]++);
                  Server server =
                      Streams.startUnixServer(sock, StreamsTest::echoLines, tlsServer());
                  assertThatThrownBy(() -> Streams.openUnixConnection(sock, tlsClient()))
                      .isInstanceOf(IllegalArgumentException.class)
                      .hasMessageContaining("serverName");
                  try (Connection c =
                      Streams.openUnixConnection(
                          sock,
                          ConnectOptions.defaults()
                              .tls(TlsOptions.client(CLIENT).serverName("localhost")))) {
                    c.writer().write(b("unix\n"));
                    assertThat(s(c.reader().readLine())).isEqualTo("unix\n");
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void aFailedHandshakeOnAUnixServerNamesTheSocket() {
    List<ExceptionContext> reported = new ArrayList<>();
    Path sock = dir.resolve("named");
    withReports(
        reported,
        () -> {
          Server server = Streams.startUnixServer(sock, c -> {}, tlsServer());
          try (Connection plain = Streams.openUnixConnection(sock, ConnectOptions.defaults())) {
            plain.writer().write(b("hello\n"));
            readToEnd(plain.reader());
          }
          server.shutdown(Duration.ofSeconds(5));
          return null;
        });
    assertThat(reported).hasSize(1);
    // a client of a Unix server has no address of its own: the server's path names the peer
    assertThat(reported.get(0).exception())
        .isInstanceOf(TlsHandshakeException.class)
        .hasMessageStartingWith("TLS handshake with a client of " + sock + " failed: ")
        .hasMessageContaining("the peer does not speak TLS (it sent \"hello\\n\")");
    assertThat(reported.get(0).task().name()).isEqualTo("connection a client of " + sock);
  }

  @Test
  void badArgumentsAreRejectedByName() throws Exception {
    assertThatThrownBy(() -> TlsOptions.client(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("context");
    assertThatThrownBy(() -> TlsOptions.server(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("context");
    TlsOptions client = TlsOptions.client(CLIENT);
    assertThatThrownBy(() -> client.handshakeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("handshakeTimeout");
    assertThatThrownBy(() -> client.handshakeTimeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> client.applicationProtocols("h2", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("application protocol");
    assertThatThrownBy(() -> client.applicationProtocols("h2", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> client.serverName(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("serverName");
    assertThatThrownBy(() -> TlsOptions.server(SERVER).serverName("localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("serverName applies to client connections only");
    assertThatThrownBy(() -> client.clientAuth(TlsOptions.ClientAuth.REQUIRED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clientAuth applies to servers only");
    assertThat(client.clientAuth(TlsOptions.ClientAuth.NONE).clientAuth())
        .isEqualTo(TlsOptions.ClientAuth.NONE);
    assertThatThrownBy(() -> client.shutdownTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shutdownTimeout");
    assertThatThrownBy(() -> client.shutdownTimeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> TlsOptions.server(SERVER).clientAuth(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("auth");
    assertThatThrownBy(() -> TlsOptions.server(SERVER).verifyHostname(true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("verifyHostname");
    assertThatThrownBy(() -> ConnectOptions.defaults().tls(TlsOptions.server(SERVER)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("client options");
    assertThatThrownBy(() -> ServerOptions.defaults().tls(client))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("server options");
    SSLContext uninitialized = SSLContext.getInstance("TLS");
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server = Streams.startServer(HOST, 0, StreamsTest::echoLines);
                  assertThatThrownBy(
                          () ->
                              Streams.openConnection(
                                  HOST,
                                  server.port(),
                                  ConnectOptions.defaults().tls(TlsOptions.client(uninitialized))))
                      .isInstanceOf(IllegalArgumentException.class)
                      .hasMessageContaining("SSLContext is not initialized");
                  assertThatThrownBy(
                          () ->
                              Streams.startServer(
                                  HOST,
                                  0,
                                  c -> {},
                                  ServerOptions.defaults().tls(TlsOptions.server(uninitialized))))
                      .isInstanceOf(IllegalArgumentException.class)
                      .hasMessageContaining("SSLContext is not initialized");
                  try (Connection c = Streams.openConnection(HOST, server.port())) {
                    assertThatThrownBy(() -> c.startTls(null))
                        .isInstanceOf(NullPointerException.class)
                        .hasMessageContaining("options");
                    // bad options leave the plain connection as it was
                    assertThatThrownBy(() -> c.startTls(TlsOptions.client(uninitialized)))
                        .isInstanceOf(IllegalArgumentException.class);
                    c.writer().write(b("still plain\n"));
                    assertThat(s(c.reader().readLine())).isEqualTo("still plain\n");
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }
}
