package io.jasyncio.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixStreamsTest {
  @TempDir Path dir;

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
                  try (Connection c = Streams.openUnixConnection(sock, ConnectOptions.defaults())) {
                    c.writer().write("unix\n".getBytes(US_ASCII));
                    assertThat(new String(c.reader().readLine(), US_ASCII)).isEqualTo("unix\n");
                  }
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
}
