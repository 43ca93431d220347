package io.jasyncio.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Async;
import java.io.IOException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** The examples of the TLS section of docs/streams.md, compiled and run. */
class TlsGuideTest {

  static String tlsEcho() {
    return Async.run(
        () -> {
          // tag::tls[]
          SSLContext serverContext = TestCerts.localhostServer(); // a key and its certificate
          SSLContext clientContext = TestCerts.trustingClient(); // or TlsOptions.defaultClient()
          Server server =
              Streams.startServer(
                  "127.0.0.1",
                  0,
                  c -> { // runs after the handshake
                    String protocol = c.applicationProtocol(); // ALPN: "h2", or null if none
                    c.writer().write(("you speak " + protocol + "\n").getBytes(UTF_8));
                  },
                  ServerOptions.defaults()
                      .tls(
                          TlsOptions.server(serverContext).applicationProtocols("h2", "http/1.1")));
          String reply;
          try (Connection c =
              Streams.openConnection(
                  "localhost", // the server's certificate must name it (verifyHostname)
                  server.port(),
                  ConnectOptions.defaults()
                      .tls(TlsOptions.client(clientContext).applicationProtocols("http/1.1")))) {
            reply = new String(c.reader().readLine(), UTF_8);
          } // close sends close_notify
          server.shutdown(Duration.ofSeconds(5));
          // end::tls[]
          return reply;
        });
  }

  /** The client side of SMTP's STARTTLS. */
  static String startTls(Connection c, SSLContext clientContext) throws IOException {
    // tag::start-tls[]
    c.writer().write("STARTTLS\r\n".getBytes(US_ASCII));
    String goAhead = new String(c.reader().readLine(), US_ASCII); // "220 ...", in plain text
    c.startTls(TlsOptions.client(clientContext)); // same reader and writer, now over TLS
    // end::start-tls[]
    return goAhead;
  }

  @Test
  void tlsServerAndClientWithAlpn() {
    assertThat(tlsEcho()).isEqualTo("you speak http/1.1\n");
  }

  @Test
  void startTlsLikeSmtp() {
    String[] got = new String[2];
    Async.run(
        () -> {
          Server server =
              Streams.startServer(
                  "127.0.0.1",
                  0,
                  c -> {
                    c.reader().readLine();
                    c.writer().write("220 ready to start TLS\r\n".getBytes(US_ASCII));
                    c.startTls(TlsOptions.server(TestCerts.localhostServer()));
                    c.writer().write(c.tlsSession().getProtocol().getBytes(US_ASCII));
                  });
          try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
            got[0] = startTls(c, TestCerts.trustingClient());
            got[1] = new String(c.reader().readAll(), US_ASCII);
          }
          server.shutdown(Duration.ofSeconds(5));
        });
    assertThat(got).containsExactly("220 ready to start TLS\r\n", "TLSv1.3");
  }
}
