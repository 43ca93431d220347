package io.jasyncio.net;

import static io.jasyncio.net.StreamsTest.b;
import static io.jasyncio.net.StreamsTest.s;
import static io.jasyncio.net.TlsTest.HOST;
import static io.jasyncio.net.TlsTest.withReports;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.ExceptionContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutual TLS ({@link TlsOptions#clientAuth}): a server that requires or asks for the client's
 * certificate, over TLS 1.2 and 1.3, with clients that send a trusted certificate, an untrusted one
 * or none.
 */
@Timeout(60)
class MutualTlsTest {
  /**
   * A server over the localhost key that trusts the other.example certificate from clients, asks
   * for client certificates as {@code auth} says, and answers each client with its subject.
   */
  static Server startMutualServer(TlsOptions.ClientAuth auth) throws IOException {
    return Streams.startServer(
        HOST,
        0,
        MutualTlsTest::answerWithClientSubject,
        ServerOptions.defaults()
            .tls(
                TlsOptions.server(TestCerts.localhostServerTrustingOtherClients())
                    .clientAuth(auth)));
  }

  /** A handler that answers with the subject of the client's certificate, or "none". */
  static void answerWithClientSubject(Connection c) throws IOException {
    String who;
    try {
      who = c.tlsSession().getPeerPrincipal().getName();
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      who = "none";
    }
    c.writer().write(b(who + "\n"));
    c.writer().drain();
  }

  static ConnectOptions clientWithKey(String keyStore, String protocol) {
    return ConnectOptions.defaults()
        .tls(TlsOptions.client(TestCerts.clientAlwaysSendingKey(keyStore, protocol)));
  }

  static ConnectOptions clientWithoutKey(String protocol) {
    return ConnectOptions.defaults().tls(TlsOptions.client(TestCerts.trustingClient(protocol)));
  }

  /** Opens a connection and reads a line: a refusal shows in one or the other, by TLS version. */
  static String connectAndReadLine(int port, ConnectOptions o) throws IOException {
    try (Connection c = Streams.openConnection(HOST, port, o)) {
      return s(c.reader().readLine());
    }
  }

  @Test
  void aRequiredClientCertificateIsCheckedAndVisibleToTheHandler() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server = startMutualServer(TlsOptions.ClientAuth.REQUIRED);
                  for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
                    try (Connection c =
                        Streams.openConnection(
                            HOST, server.port(), clientWithKey("other.p12", protocol))) {
                      assertThat(s(c.reader().readLine())).isEqualTo("CN=other.example\n");
                      assertThat(c.tlsSession().getLocalPrincipal().getName())
                          .isEqualTo("CN=other.example");
                      assertThat(c.tlsSession().getProtocol()).isEqualTo(protocol);
                    }
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void aClientWithoutATrustedCertificateIsRefusedWhenOneIsRequired() {
    List<ExceptionContext> reported = new ArrayList<>();
    withReports(
        reported,
        () -> {
          Server server = startMutualServer(TlsOptions.ClientAuth.REQUIRED);
          int port = server.port();
          for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            // no certificate at all, then one the server does not trust; TLS 1.2 refuses in the
            // handshake, TLS 1.3 after the client's own handshake has ended (its first read)
            for (ConnectOptions o :
                List.of(clientWithoutKey(protocol), clientWithKey("localhost.p12", protocol))) {
              assertThatThrownBy(() -> connectAndReadLine(port, o))
                  .as(protocol)
                  .isInstanceOf(IOException.class)
                  .hasMessageContaining("Received fatal alert");
            }
          }
          server.shutdown(Duration.ofSeconds(5));
          return null;
        });
    assertThat(reported).hasSize(4);
    for (ExceptionContext r : reported) {
      assertThat(r.message()).contains("TLS handshake failed on server 127.0.0.1:");
      assertThat(r.exception())
          .isInstanceOf(TlsHandshakeException.class)
          .hasMessageContaining("certificate");
    }
  }

  @Test
  void anOptionalClientCertificateMayBeAbsentButNotUntrusted() {
    List<ExceptionContext> reported = new ArrayList<>();
    withReports(
        reported,
        () -> {
          Server server = startMutualServer(TlsOptions.ClientAuth.OPTIONAL);
          int port = server.port();
          for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            assertThat(connectAndReadLine(port, clientWithoutKey(protocol))).isEqualTo("none\n");
            assertThat(connectAndReadLine(port, clientWithKey("other.p12", protocol)))
                .isEqualTo("CN=other.example\n");
            // sent anyway (the JDK's own key manager would send none the server does not list)
            assertThatThrownBy(
                    () -> connectAndReadLine(port, clientWithKey("localhost.p12", protocol)))
                .as(protocol)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Received fatal alert");
          }
          server.shutdown(Duration.ofSeconds(5));
          return null;
        });
    assertThat(reported).hasSize(2); // the untrusted certificate, once per protocol
    assertThat(reported.get(0).exception()).isInstanceOf(TlsHandshakeException.class);
  }
}
