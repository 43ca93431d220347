package io.jasyncio.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.Async;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** startServer binds every address a name resolves to. */
@Timeout(
    value = 30,
    threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung loop cannot block the suite
class ServerAddressesTest {
  static final InetAddress V4 = HappyEyeballsTest.V4;
  static final InetAddress V6 = HappyEyeballsTest.V6;

  static String echo(InetAddress a, int port) throws java.io.IOException {
    try (Connection c = Streams.openConnection(a.getHostAddress(), port)) {
      c.writer().write(StreamsTest.b("via " + a.getHostAddress() + "\n"));
      return StreamsTest.s(c.reader().readLine());
    }
  }

  @Test
  void everyAddressIsBoundOnOneSharedPort() {
    assumeTrue(HappyEyeballsTest.ipv6Loopback(), "no IPv6 loopback here");
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  // what "localhost" resolves to on a dual-stack host (plus a duplicate)
                  Server server =
                      Streams.startServer(
                          List.of(V4, V6, V4), 0, StreamsTest::echoLines, ServerOptions.defaults());
                  int port = server.port();
                  assertThat(server.addresses())
                      .containsExactly(
                          new InetSocketAddress(V4, port), new InetSocketAddress(V6, port));
                  assertThat(server.address()).isEqualTo(server.addresses().get(0));
                  assertThat(echo(V4, port)).isEqualTo("via 127.0.0.1\n");
                  assertThat(echo(V6, port)).isEqualTo("via 0:0:0:0:0:0:0:1\n");
                  assertThat(server.acceptedConnections()).isEqualTo(2);
                  assertThat(server.toString()).contains("127.0.0.1").contains("0:0:0:0:0:0:0:1");
                  server.shutdown(Duration.ofSeconds(5));
                  for (SocketAddress a : server.addresses()) {
                    InetSocketAddress at = (InetSocketAddress) a;
                    assertThatThrownBy(() -> echo(at.getAddress(), port))
                        .isInstanceOf(java.net.ConnectException.class);
                  }
                }));
  }

  @Test
  void aPortTakenOnOneAddressFailsTheWholeBindAndNamesIt() {
    assumeTrue(HappyEyeballsTest.ipv6Loopback(), "no IPv6 loopback here");
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  try (ServerSocketChannel taken = ServerSocketChannel.open()) {
                    taken.bind(new InetSocketAddress(V6, 0));
                    int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
                    assertThatThrownBy(
                            () ->
                                Streams.startServer(
                                    List.of(V4, V6),
                                    port,
                                    StreamsTest::echoLines,
                                    ServerOptions.defaults()))
                        .isInstanceOf(BindException.class)
                        .hasMessageContaining(":" + port);
                    // nothing stayed bound on 127.0.0.1: binding it again works
                    Server again = Streams.startServer("127.0.0.1", port, StreamsTest::echoLines);
                    again.shutdown(Duration.ofSeconds(5));
                  }
                }));
  }

  @Test
  void aSingleAddressAndTheWildcardStillGiveOneSocket() {
    Async.run(
        () -> {
          Server one = Streams.startServer("127.0.0.1", 0, StreamsTest::echoLines);
          assertThat(one.addresses()).hasSize(1);
          assertThat(echo(V4, one.port())).isEqualTo("via 127.0.0.1\n");
          one.shutdown(Duration.ofSeconds(5));
          Server localhost = Streams.startServer("localhost", 0, StreamsTest::echoLines);
          assertThat(localhost.addresses()).isNotEmpty();
          assertThat(
                  localhost.addresses().stream()
                      .map(a -> ((InetSocketAddress) a).getPort())
                      .distinct())
              .containsExactly(localhost.port());
          localhost.shutdown(Duration.ofSeconds(5));
        });
  }

  @Test
  void aClosedServersPortCanBeBoundAgainAtOnce() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server first = Streams.startServer("127.0.0.1", 0, StreamsTest::echoLines);
                  int port = first.port();
                  // as asyncio's server.close() closes its sockets: no wait before rebinding
                  first.close();
                  Server again = Streams.startServer("127.0.0.1", port, StreamsTest::echoLines);
                  assertThat(echo(V4, port)).isEqualTo("via 127.0.0.1\n");
                  again.close();
                  Server third = Streams.startServer("127.0.0.1", port, StreamsTest::echoLines);
                  third.shutdown(Duration.ofSeconds(5));
                }));
  }
}
