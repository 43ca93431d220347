package io.jasyncio.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.LoopGroup;
import io.jasyncio.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Serving one port from every loop of a group (docs/loop-groups.md), with SO_REUSEPORT. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopGroupServerTest {
  // tag::serve-every-core[]
  /** Starts one echo server on every loop of {@code group}, all on one port; returns the port. */
  static int serveOnEveryCore(LoopGroup group) {
    ServerOptions shared = ServerOptions.defaults().reusePort(true);
    // The first loop lets the kernel pick a free port; every other loop binds the same one, and
    // the kernel spreads incoming connections over the listening sockets.
    int port =
        group
            .submit(0, () -> Streams.startServer("127.0.0.1", 0, LoopGroupServerTest::echo, shared))
            .join()
            .port();
    for (int i = 1; i < group.size(); i++) {
      group
          .submit(
              i, () -> Streams.startServer("127.0.0.1", port, LoopGroupServerTest::echo, shared))
          .join(); // listening once this returns
    }
    return port;
  }

  // end::serve-every-core[]

  static void echo(Connection c) throws IOException {
    for (byte[] line; (line = c.reader().readLine()).length > 0; ) {
      c.writer().write(line);
    }
  }

  @Test
  void oneServerPerLoopServesEveryConnectionOnOnePort() {
    FdCount.assertNoLeak(
        () -> {
          try (LoopGroup group = LoopGroup.create(2)) {
            int port = serveOnEveryCore(group);
            List<String> replies =
                Async.run(
                    () -> {
                      List<Task<String>> clients = new ArrayList<>();
                      for (int i = 0; i < 32; i++) {
                        int n = i;
                        clients.add(
                            Async.spawn(
                                () -> {
                                  try (Connection c = Streams.openConnection("127.0.0.1", port)) {
                                    c.writer().write(("hello " + n + "\n").getBytes(UTF_8));
                                    return new String(c.reader().readLine(), UTF_8);
                                  }
                                }));
                      }
                      List<String> out = new ArrayList<>();
                      for (Task<String> t : clients) {
                        out.add(t.await());
                      }
                      return out;
                    });
            assertThat(replies).hasSize(32);
            for (int i = 0; i < 32; i++) {
              assertThat(replies.get(i)).isEqualTo("hello " + i + "\n");
            }
          } // close(): the servers' tasks are cancelled and their sockets closed with the loops
        });
  }

  @Test
  void withoutReusePortASecondServerOnThePortIsABindError() {
    Async.run(
        () -> {
          Server first = Streams.startServer("127.0.0.1", 0, LoopGroupServerTest::echo);
          try {
            assertThatThrownBy(
                    () -> Streams.startServer("127.0.0.1", first.port(), LoopGroupServerTest::echo))
                .isInstanceOf(java.net.BindException.class)
                .hasMessageContaining("127.0.0.1:" + first.port());
          } finally {
            first.close();
          }
          return null;
        });
  }
}
