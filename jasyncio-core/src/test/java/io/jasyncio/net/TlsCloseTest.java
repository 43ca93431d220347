package io.jasyncio.net;

import static io.jasyncio.net.StreamsTest.b;
import static io.jasyncio.net.StreamsTest.s;
import static io.jasyncio.net.TlsTest.HOST;
import static io.jasyncio.net.TlsTest.SERVER;
import static io.jasyncio.net.TlsTest.tlsClient;
import static io.jasyncio.net.TlsTest.tlsServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.sync.Event;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ending a TLS connection: close sends close_notify (behind whatever is still buffered, even on a
 * full socket, within {@link TlsOptions#shutdownTimeout}), abort does not.
 */
@Timeout(60)
class TlsCloseTest {
  @Test
  void closeSendsCloseNotifyAndAbortDoesNot() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server =
                      Streams.startServer(
                          HOST,
                          0,
                          c -> {
                            String how = s(c.reader().readLine()).strip();
                            c.writer().write(b("bye\n"));
                            c.writer().drain();
                            if (how.equals("abort")) {
                              c.abort();
                            }
                          },
                          tlsServer());
                  for (String how : List.of("close", "abort")) {
                    for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
                      SSLContext ctx = TestCerts.trustingClient(protocol);
                      try (Connection c =
                          Streams.openConnection(
                              HOST,
                              server.port(),
                              ConnectOptions.defaults().tls(TlsOptions.client(ctx)))) {
                        c.writer().write(b(how + "\n"));
                        assertThat(s(c.reader().readLine())).isEqualTo("bye\n");
                        assertThat(c.reader().read(10)).isEmpty(); // the end, either way
                        assertThat(c.tlsTransport().closeNotifyReceived())
                            .as(how + " over " + protocol)
                            .isEqualTo(how.equals("close"));
                      }
                    }
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  /** What the client of {@link #fillThenEnd} saw. */
  record Ending(long written, long read, boolean closeNotify) {}

  /**
   * Runs a TLS server whose handler fills the socket (the client does not read yet), then does
   * {@code ending} to the connection, and waits until the connection is closed first if {@code
   * closedBeforeTheClientReads}; then the client reads everything it can and says whether the
   * stream ended with close_notify.
   */
  static Ending fillThenEnd(
      TlsOptions serverTls, ConnectionHandler ending, boolean closedBeforeTheClientReads) {
    return Async.run(
        () -> {
          Event ended = new Event();
          long[] written = {0};
          byte[] chunk = new byte[16 * 1024];
          Server server =
              Streams.startServer(
                  HOST,
                  0,
                  c -> {
                    while (c.writer().bufferedBytes() == 0) {
                      c.writer().write(chunk);
                      written[0] += chunk.length;
                    }
                    ending.handle(c);
                    if (closedBeforeTheClientReads) {
                      c.waitClosed();
                      assertThat(c.isOpen()).isFalse();
                    }
                    ended.set();
                  },
                  ServerOptions.defaults().tls(serverTls));
          try (Connection c = Streams.openConnection(HOST, server.port(), tlsClient())) {
            ended.await();
            long read = 0;
            try {
              for (byte[] b = c.reader().read(65536); b.length > 0; b = c.reader().read(65536)) {
                read += b.length;
              }
            } catch (IOException truncated) {
              // an aborted TLS stream may end in the middle of a record
            }
            server.shutdown(Duration.ofSeconds(5));
            return new Ending(written[0], read, c.tlsTransport().closeNotifyReceived());
          }
        });
  }

  @Test
  void closeNotifyGoesOutAfterABacklogTheSocketCouldNotTake() {
    FdCount.assertNoLeak(
        () -> {
          // close is not waited for: the loop sends the rest, then close_notify, then closes
          Ending e = fillThenEnd(TlsOptions.server(SERVER), Connection::close, false);
          assertThat(e.read()).isEqualTo(e.written());
          assertThat(e.closeNotify()).isTrue();
        });
  }

  @Test
  void writeEofThenCloseOnAFullSocketStillSendsCloseNotify() {
    FdCount.assertNoLeak(
        () -> {
          Ending e =
              fillThenEnd(
                  TlsOptions.server(SERVER),
                  c -> {
                    c.writer().writeEof();
                    c.close();
                  },
                  false);
          assertThat(e.read()).isEqualTo(e.written());
          assertThat(e.closeNotify()).isTrue();
        });
  }

  @Test
  void aCloseThatCannotSendCloseNotifyInTimeAbortsAndReleasesTheSocket() {
    // the peer reads nothing until this close is over: the shutdown timeout aborts it
    FdCount.assertNoLeak(
        () ->
            assertThat(
                    fillThenEnd(
                            TlsOptions.server(SERVER).shutdownTimeout(Duration.ofMillis(50)),
                            Connection::close,
                            true)
                        .closeNotify())
                .isFalse());
  }

  @Test
  void abortWhileCloseNotifyWaitsClosesAtOnce() {
    FdCount.assertNoLeak(
        () ->
            assertThat(
                    fillThenEnd(
                            TlsOptions.server(SERVER),
                            c -> {
                              c.close();
                              c.abort();
                            },
                            true)
                        .closeNotify())
                .isFalse());
  }

  /**
   * A JDK TLS server over a plain socket: after the handshake it sends {@code line} through TLS,
   * then {@code raw} bytes straight on the socket, then a TCP end of stream without close_notify;
   * it waits until the client has closed.
   */
  /**
   * A one-connection JDK TLS server on a thread of its own; join the thread before counting fds.
   */
  record JdkServer(int port, Thread thread) {
    /** Waits (off the loop) until the server has closed its sockets. */
    void finished() {
      Async.toThread(
          () -> {
            thread.join();
            return null;
          });
    }
  }

  static JdkServer jdkServerEndingWith(String line, byte[] raw) throws IOException {
    ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread thread =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (ss;
                      Socket plain = ss.accept();
                      SSLSocket tls =
                          (SSLSocket)
                              SERVER
                                  .getSocketFactory()
                                  .createSocket(plain, null, plain.getPort(), false)) {
                    tls.setUseClientMode(false);
                    tls.getOutputStream().write(b(line));
                    tls.getOutputStream().flush();
                    plain.getOutputStream().write(raw);
                    plain.shutdownOutput();
                    plain.getInputStream().readAllBytes(); // until the client closes
                  } catch (IOException e) {
                    // the client went away: nothing left to check here
                  }
                });
    return new JdkServer(ss.getLocalPort(), thread);
  }

  @Test
  void aStreamCutInTheMiddleOfARecordIsAnErrorNotAnEnd() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  // cut at a record boundary: the end of the stream, as asyncio takes it
                  JdkServer clean = jdkServerEndingWith("whole\n", new byte[0]);
                  try (Connection c =
                      Streams.openConnection("localhost", clean.port(), tlsClient())) {
                    assertThat(s(c.reader().readLine())).isEqualTo("whole\n");
                    assertThat(c.reader().read(10)).isEmpty();
                    assertThat(c.tlsTransport().closeNotifyReceived()).isFalse();
                  }
                  clean.finished();
                  // cut inside a record: 3 of the 100 bytes an application data record announced
                  JdkServer cut =
                      jdkServerEndingWith("whole\n", new byte[] {23, 3, 3, 0, 100, 1, 2, 3});
                  try (Connection c =
                      Streams.openConnection("localhost", cut.port(), tlsClient())) {
                    assertThat(s(c.reader().readLine())).isEqualTo("whole\n");
                    assertThatThrownBy(() -> c.reader().read(10))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("in the middle of a TLS record");
                    assertThat(c.isOpen()).isFalse();
                  }
                  cut.finished();
                }));
  }
}
