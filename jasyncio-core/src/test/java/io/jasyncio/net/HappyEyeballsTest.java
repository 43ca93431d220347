package io.jasyncio.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Happy Eyeballs (RFC 8305) in openConnection, on loopback addresses. */
@Timeout(
    value = 30,
    threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung loop cannot block the suite
class HappyEyeballsTest {
  static final InetAddress V4 = InetAddress.ofLiteral("127.0.0.1");
  static final InetAddress V4_HANG = InetAddress.ofLiteral("127.0.0.2");
  static final InetAddress V4_OTHER = InetAddress.ofLiteral("127.0.0.3");
  static final InetAddress V6 = InetAddress.ofLiteral("::1");

  static ConnectOptions staggered(Duration delay) {
    return ConnectOptions.defaults().happyEyeballsDelay(delay);
  }

  static boolean ipv6Loopback() {
    try (ServerSocketChannel ch = ServerSocketChannel.open()) {
      ch.bind(new InetSocketAddress(V6, 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The message of {@code e} and of each exception it suppressed. */
  static List<String> allMessages(Throwable e) {
    List<String> out = new java.util.ArrayList<>();
    out.add(String.valueOf(e.getMessage()));
    for (Throwable s : e.getSuppressed()) {
      out.add(String.valueOf(s.getMessage()));
    }
    return out;
  }

  /** A port free on 127.0.0.1 (and almost surely on the other loopback addresses). */
  static int freePort() throws IOException {
    try (ServerSocketChannel ch = ServerSocketChannel.open()) {
      ch.bind(new InetSocketAddress(V4, 0));
      return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }
  }

  @Test
  void aLaterAddressWinsWhileTheFirstHangsAndTheLoserIsClosed() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server = Streams.startServer("127.0.0.1", 0, StreamsTest::echoLines);
                  try (Blackhole hole = new Blackhole(V4_HANG, server.port())) {
                    // No connect timeout: the first attempt would wait for ever.
                    try (Connection c =
                        Streams.openConnection(
                            List.of(V4_HANG, V4),
                            server.port(),
                            staggered(Duration.ofMillis(20)))) {
                      assertThat(((InetSocketAddress) c.remoteAddress()).getAddress())
                          .isEqualTo(V4);
                      c.writer().write(StreamsTest.b("won\n"));
                      assertThat(StreamsTest.s(c.reader().readLine())).isEqualTo("won\n");
                    }
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void aFailedAttemptStartsTheNextAtOnce() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server = Streams.startServer("127.0.0.1", 0, StreamsTest::echoLines);
                  // 127.0.0.2 refuses; the delay is an hour, so only the failure can start the next
                  try (Connection c =
                      Streams.openConnection(
                          List.of(V4_HANG, V4), server.port(), staggered(Duration.ofHours(1)))) {
                    assertThat(((InetSocketAddress) c.remoteAddress()).getAddress()).isEqualTo(V4);
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void familiesAreInterleavedAndAnIpv4AddressWinsOverAHangingIpv6One() {
    assumeTrue(ipv6Loopback(), "no IPv6 loopback here");
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server = Streams.startServer("127.0.0.1", 0, StreamsTest::echoLines);
                  try (Blackhole hole = new Blackhole(V6, server.port())) {
                    // interleaved: ::1 (hangs), 127.0.0.1 (answers), then the rest
                    try (Connection c =
                        Streams.openConnection(
                            List.of(V6, V6, V4), server.port(), staggered(Duration.ofMillis(20)))) {
                      assertThat(((InetSocketAddress) c.remoteAddress()).getAddress())
                          .isEqualTo(V4);
                    }
                  }
                  server.shutdown(Duration.ofSeconds(5));
                }));
  }

  @Test
  void interleavingFollowsRfc8305() {
    InetAddress a1 = V6;
    InetAddress a2 = InetAddress.ofLiteral("::2");
    InetAddress a3 = InetAddress.ofLiteral("::3");
    InetAddress b1 = V4;
    InetAddress b2 = V4_HANG;
    List<InetAddress> in = List.of(a1, a2, a3, b1, b2);
    assertThat(Connector.interleave(in, 0)).containsExactly(a1, a2, a3, b1, b2);
    assertThat(Connector.interleave(in, 1)).containsExactly(a1, b1, a2, b2, a3);
    assertThat(Connector.interleave(in, 2)).containsExactly(a1, a2, b1, a3, b2);
    assertThat(Connector.interleave(in, 9)).containsExactly(a1, a2, a3, b1, b2);
    assertThat(Connector.interleave(List.of(b1, a1, b2), 1)).containsExactly(b1, a1, b2);
    assertThat(Connector.interleave(List.of(b1, b2), 1)).containsExactly(b1, b2);
  }

  @Test
  void whenEveryAddressFailsOneExceptionCarriesTheOthers() throws IOException {
    int port = freePort();
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  for (ConnectOptions o :
                      List.of(staggered(Duration.ofMillis(10)), staggered(null))) {
                    assertThatThrownBy(
                            () -> Streams.openConnection(List.of(V4, V4_HANG, V4_OTHER), port, o))
                        .isInstanceOf(ConnectException.class)
                        .satisfies(
                            e ->
                                assertThat(allMessages(e))
                                    .hasSize(3)
                                    .anyMatch(m -> m.contains("127.0.0.1:" + port))
                                    .anyMatch(m -> m.contains("127.0.0.2:" + port))
                                    .anyMatch(m -> m.contains("127.0.0.3:" + port)));
                  }
                }));
  }

  @Test
  void cancellingTheCallerClosesEveryAttempt() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  try (Blackhole h1 = new Blackhole(V4_HANG, 0);
                      Blackhole h2 = new Blackhole(V4_OTHER, h1.port())) {
                    Task<Connection> t =
                        Async.spawn(
                            () ->
                                Streams.openConnection(
                                    List.of(V4_HANG, V4_OTHER),
                                    h1.port(),
                                    staggered(Duration.ofMillis(10))));
                    // Whatever number of attempts have started by now, all must be closed.
                    Async.sleep(Duration.ofMillis(30));
                    t.cancel();
                    assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                  }
                }));
  }

  @Test
  void theConnectTimeoutAppliesToEachAttemptAndNamesTheAddress() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  try (Blackhole h1 = new Blackhole(V4_HANG, 0);
                      Blackhole h2 = new Blackhole(V4_OTHER, h1.port())) {
                    int port = h1.port();
                    for (ConnectOptions o :
                        List.of(staggered(Duration.ofMillis(10)), staggered(null))) {
                      assertThatThrownBy(
                              () ->
                                  Streams.openConnection(
                                      List.of(V4_HANG, V4_OTHER),
                                      h1.port(),
                                      o.connectTimeout(Duration.ofMillis(50))))
                          .isInstanceOf(SocketTimeoutException.class)
                          .hasMessageContaining("timed out")
                          .satisfies(
                              e ->
                                  assertThat(allMessages(e))
                                      .hasSize(2)
                                      .anyMatch(m -> m.contains("127.0.0.2:" + port))
                                      .anyMatch(m -> m.contains("127.0.0.3:" + port)));
                    }
                  }
                }));
  }

  @Test
  void sequentialModeFallsBackAfterTheConnectTimeout() {
    Async.run(
        () -> {
          Server server = Streams.startServer("127.0.0.1", 0, StreamsTest::echoLines);
          try (Blackhole hole = new Blackhole(V4_HANG, server.port());
              Connection c =
                  Streams.openConnection(
                      List.of(V4_HANG, V4),
                      server.port(),
                      staggered(null).connectTimeout(Duration.ofMillis(50)))) {
            assertThat(((InetSocketAddress) c.remoteAddress()).getAddress()).isEqualTo(V4);
          }
          server.shutdown(Duration.ofSeconds(5));
        });
  }

  @Test
  void optionsAreChecked() {
    assertThat(ConnectOptions.defaults().happyEyeballsDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(ConnectOptions.defaults().interleave()).isEqualTo(1);
    assertThatThrownBy(() -> ConnectOptions.defaults().happyEyeballsDelay(Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10 ms");
    assertThatThrownBy(() -> ConnectOptions.defaults().interleave(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interleave");
    assertThat(ConnectOptions.defaults().happyEyeballsDelay(null).happyEyeballsDelay()).isNull();
  }
}
