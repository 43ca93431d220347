package io.jasyncio.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.EventLoop;
import io.jasyncio.LoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Streams, servers and datagram endpoints belong to the loop that opened them: used from a task of
 * another loop of a {@link LoopGroup} they fail at once, naming the operation and both loops,
 * instead of hanging (or being resumed by the wrong loop's thread).
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrossLoopStreamsTest {
  static final String HOST = "127.0.0.1";

  static void echoLines(Connection c) throws IOException {
    for (byte[] line; (line = c.reader().readLine()).length > 0; ) {
      c.writer().write(line);
    }
  }

  static <T> T on(LoopGroup group, int i, Callable<T> body) {
    return group.submit(i, body).join();
  }

  /** Asserts that {@code call} fails with the clear cross-loop error for {@code what}. */
  static void assertForeign(ThrowingCallable call, String what, EventLoop owner, EventLoop user) {
    assertThatThrownBy(call)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(what + ":")
        .hasMessageContaining("belongs to " + owner)
        .hasMessageContaining("used from " + user);
  }

  @Test
  void aConnectionUsedFromAnotherLoopFailsClearlyAndStaysUsableOnItsOwn() {
    FdCount.assertNoLeak(
        () -> {
          try (LoopGroup group = LoopGroup.create(2)) {
            EventLoop l0 = group.loop(0);
            EventLoop l1 = group.loop(1);
            Server server =
                on(group, 0, () -> Streams.startServer(HOST, 0, CrossLoopStreamsTest::echoLines));
            Connection c = on(group, 0, () -> Streams.openConnection(HOST, server.port()));
            // Something buffered: a read must not succeed from the other loop even without waiting.
            on(
                group,
                0,
                () -> {
                  c.writer().write("one\ntwo\n".getBytes(US_ASCII));
                  assertThat(c.reader().readLine()).isEqualTo("one\n".getBytes(US_ASCII));
                  return null;
                });
            on(
                group,
                1,
                () -> {
                  StreamReader r = c.reader();
                  StreamWriter w = c.writer();
                  assertForeign(() -> r.read(10), "StreamReader.read", l0, l1);
                  assertForeign(() -> r.readExactly(3), "StreamReader.readExactly", l0, l1);
                  assertForeign(r::readLine, "StreamReader.readLine", l0, l1);
                  assertForeign(
                      () -> r.readUntil(new byte[] {'\n'}), "StreamReader.readUntil", l0, l1);
                  assertForeign(r::readAll, "StreamReader.readAll", l0, l1);
                  assertForeign(() -> w.write(new byte[1]), "StreamWriter.write", l0, l1);
                  assertForeign(w::drain, "StreamWriter.drain", l0, l1);
                  assertForeign(w::writeEof, "StreamWriter.writeEof", l0, l1);
                  assertForeign(w::close, "StreamWriter.close", l0, l1);
                  assertForeign(w::abort, "StreamWriter.abort", l0, l1);
                  assertForeign(w::waitClosed, "StreamWriter.waitClosed", l0, l1);
                  assertForeign(c::close, "Connection.close", l0, l1);
                  assertForeign(c::abort, "Connection.abort", l0, l1);
                  assertForeign(c::waitClosed, "Connection.waitClosed", l0, l1);
                  assertForeign(
                      () -> c.startTls(TlsOptions.defaultClient()), "Connection.startTls", l0, l1);
                  assertForeign(server::close, "Server.close", l0, l1);
                  assertForeign(server::waitClosed, "Server.waitClosed", l0, l1);
                  assertForeign(server::serveForever, "Server.serveForever", l0, l1);
                  assertForeign(() -> server.shutdown(Duration.ZERO), "Server.shutdown", l0, l1);
                  return null;
                });
            // Nothing was consumed, closed or left waiting: the owner goes on as before.
            String rest =
                on(
                    group,
                    0,
                    () -> {
                      c.writer().write("three\n".getBytes(US_ASCII));
                      String s =
                          new String(c.reader().readLine(), US_ASCII)
                              + new String(c.reader().readLine(), US_ASCII);
                      c.close();
                      c.waitClosed();
                      server.shutdown(Duration.ofSeconds(5));
                      return s;
                    });
            assertThat(rest).isEqualTo("two\nthree\n");
            assertThat(c.isOpen()).isFalse();
            assertThat(server.isClosed()).isTrue();
          }
        });
  }

  @Test
  void aDatagramEndpointUsedFromAnotherLoopFailsClearly() {
    FdCount.assertNoLeak(
        () -> {
          try (LoopGroup group = LoopGroup.create(2)) {
            EventLoop l0 = group.loop(0);
            EventLoop l1 = group.loop(1);
            InetSocketAddress any = new InetSocketAddress(HOST, 0);
            DatagramEndpoint a = on(group, 0, () -> DatagramEndpoint.open(any, null));
            InetSocketAddress target = on(group, 0, a::localAddress);
            on(
                group,
                1,
                () -> {
                  assertForeign(a::receive, "DatagramEndpoint.receive", l0, l1);
                  assertForeign(
                      () -> a.sendTo(new byte[1], target), "DatagramEndpoint.sendTo", l0, l1);
                  assertForeign(() -> a.send(new byte[1]), "DatagramEndpoint.send", l0, l1);
                  assertForeign(a::close, "DatagramEndpoint.close", l0, l1);
                  return null;
                });
            String got =
                on(
                    group,
                    0,
                    () -> {
                      try (a) {
                        a.sendTo("still open".getBytes(US_ASCII), target);
                        return new String(a.receive().data(), US_ASCII);
                      }
                    });
            assertThat(got).isEqualTo("still open");
          }
        });
  }

  @Test
  void closingFromAThreadThatRunsNoLoopFailsClearly() {
    try (LoopGroup group = LoopGroup.create(2)) {
      Server server = on(group, 0, () -> Streams.startServer(HOST, 0, c -> {}));
      assertThatThrownBy(server::close)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Server.close must be called on the thread of " + group.loop(0));
      on(
          group,
          0,
          () -> {
            server.close();
            return null;
          });
    }
  }
}
