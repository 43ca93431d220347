package io.jasyncio.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(
    value = 30,
    threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung loop cannot block the suite
class UnixStreamsTest {
  @TempDir Path dir;

  static String roundTrip(Path sock) throws java.io.IOException {
    try (Connection c = Streams.openUnixConnection(sock, ConnectOptions.defaults())) {
      c.writer().write("unix\n".getBytes(US_ASCII));
      return new String(c.reader().readLine(), US_ASCII);
    }
  }

  @Test
  void echoOverAUnixSocketAndRefusal() {
    int[] n = {0};
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Path sock = dir.resolve("s" + n[0]++);
                  Server server =
                      Streams.startUnixServer(
                          sock, StreamsTest::echoLines, ServerOptions.defaults());
                  assertThat(roundTrip(sock)).isEqualTo("unix\n");
                  assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
                  server.shutdown(Duration.ofSeconds(5));
                  assertThatThrownBy(
                          () ->
                              Streams.openUnixConnection(
                                  dir.resolve("nobody"), ConnectOptions.defaults()))
                      .isInstanceOf(ConnectException.class)
                      .hasMessageContaining("nobody");
                }));
  }

  @Test
  void closingTheServerRemovesItsSocketFile() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Path sock = dir.resolve("cleanup.sock");
                  Server server =
                      Streams.startUnixServer(
                          sock, StreamsTest::echoLines, ServerOptions.defaults());
                  assertThat(sock).exists();
                  server.close();
                  assertThat(sock).doesNotExist();
                  server.waitClosed();
                  // and the path can be served again at once
                  Server again =
                      Streams.startUnixServer(
                          sock, StreamsTest::echoLines, ServerOptions.defaults());
                  assertThat(roundTrip(sock)).isEqualTo("unix\n");
                  again.shutdown(Duration.ofSeconds(5));
                  assertThat(sock).doesNotExist();
                }));
  }

  @Test
  void aStaleSocketFileFromADeadServerIsReplaced() throws Exception {
    Path sock = dir.resolve("stale.sock");
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(sock)); // closing leaves the file behind
    }
    assertThat(sock).exists();
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Server server =
                      Streams.startUnixServer(
                          sock, StreamsTest::echoLines, ServerOptions.defaults());
                  assertThat(roundTrip(sock)).isEqualTo("unix\n");
                  server.close(); // removes it; the second run binds a fresh path
                  try (ServerSocketChannel dead =
                      ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                    dead.bind(UnixDomainSocketAddress.of(sock));
                  }
                }));
  }

  @Test
  void aLiveServersSocketAndOtherFilesAreLeftAlone() throws Exception {
    Path regular = dir.resolve("data.txt");
    Files.writeString(regular, "precious");
    Async.run(
        () -> {
          assertThatThrownBy(
                  () ->
                      Streams.startUnixServer(
                          regular, StreamsTest::echoLines, ServerOptions.defaults()))
              .isInstanceOf(BindException.class)
              .hasMessageContaining("not a Unix domain socket")
              .hasMessageContaining("data.txt");
          assertThat(Files.readString(regular)).isEqualTo("precious");

          Path sock = dir.resolve("live.sock");
          Server live =
              Streams.startUnixServer(sock, StreamsTest::echoLines, ServerOptions.defaults());
          assertThatThrownBy(
                  () ->
                      Streams.startUnixServer(
                          sock, StreamsTest::echoLines, ServerOptions.defaults()))
              .isInstanceOf(BindException.class)
              .hasMessageContaining("listening");
          assertThat(roundTrip(sock)).as("the live server still serves").isEqualTo("unix\n");
          live.shutdown(Duration.ofSeconds(5));
        });
  }

  @Test
  void aSocketFileReplacedByAnotherIsNotRemovedAtClose() {
    Async.run(
        () -> {
          Path sock = dir.resolve("moved.sock");
          Server server =
              Streams.startUnixServer(sock, StreamsTest::echoLines, ServerOptions.defaults());
          Files.delete(sock);
          Files.writeString(sock, "someone else's");
          server.close();
          assertThat(Files.readString(sock)).isEqualTo("someone else's");
          server.waitClosed();
        });
  }
}
