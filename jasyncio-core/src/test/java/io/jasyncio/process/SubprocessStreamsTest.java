package io.jasyncio.process;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import io.jasyncio.net.FdCount;
import io.jasyncio.net.LimitOverrunException;
import io.jasyncio.net.StreamClosedException;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pipes of a child process as StreamReader/StreamWriter. */
@Timeout(
    value = 60,
    threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung loop cannot block the suite
class SubprocessStreamsTest {
  static String s(byte[] b) {
    return new String(b, US_ASCII);
  }

  static byte[] b(String s) {
    return s.getBytes(US_ASCII);
  }

  /** Polls (without asserting anything about time) until {@code cond} holds. */
  static void until(java.util.function.BooleanSupplier cond) {
    while (!cond.getAsBoolean()) {
      Async.sleep(Duration.ofMillis(1));
    }
  }

  @Test
  void readsAChildsOutputLineByLine() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  try (Subprocess p = Subprocess.start(List.of("printf", "a\\nb\\nlast"))) {
                    StreamReader out = p.stdout();
                    assertThat(s(out.readLine())).isEqualTo("a\n");
                    assertThat(s(out.readLine())).isEqualTo("b\n");
                    assertThat(s(out.readLine())).isEqualTo("last");
                    assertThat(out.readLine()).isEmpty();
                    assertThat(out.atEof()).isTrue();
                    assertThat(p.stdout()).isSameAs(out);
                    assertThat(p.waitFor()).isZero();
                  }
                }));
  }

  @Test
  void writesToCatAndReadsItBack() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  try (Subprocess p = Subprocess.start(List.of("cat"))) {
                    StreamWriter in = p.stdin();
                    StreamReader out = p.stdout();
                    for (int i = 0; i < 50; i++) {
                      in.write(b("line " + i + "\n"));
                      assertThat(s(out.readLine())).isEqualTo("line " + i + "\n");
                    }
                    in.write(b("a;b;"));
                    assertThat(s(out.readUntil(b(";")))).isEqualTo("a;");
                    assertThat(s(out.readExactly(2))).isEqualTo("b;");
                    in.close(); // end of input: cat exits
                    in.waitClosed();
                    assertThat(out.read(10)).isEmpty();
                    assertThat(p.waitFor()).isZero();
                    assertThatThrownBy(() -> in.write(b("x")))
                        .isInstanceOf(StreamClosedException.class);
                  }
                }));
  }

  @Test
  void severalMegabytesThroughTheStreams() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  int total = 6_000_000;
                  try (Subprocess p = Subprocess.start(List.of("cat"))) {
                    // Feed and drain at once: neither side may wait for the other to finish.
                    Task<Void> feeder =
                        Async.spawn(
                            () -> {
                              byte[] chunk = new byte[100_000];
                              Arrays.fill(chunk, (byte) 'x');
                              for (int sent = 0; sent < total; sent += chunk.length) {
                                p.stdin().write(chunk);
                                assertThat(p.stdin().bufferedBytes())
                                    .isLessThanOrEqualTo(64 * 1024 + chunk.length);
                              }
                              p.stdin().close();
                              p.stdin().waitClosed();
                            });
                    long got = 0;
                    for (byte[] d; (d = p.stdout().read(1 << 20)).length > 0; ) {
                      assertThat(d.length).isLessThanOrEqualTo(Subprocess.DEFAULT_LIMIT);
                      for (byte x : d) {
                        if (x != 'x') {
                          throw new AssertionError("corrupted byte " + x + " at " + got);
                        }
                      }
                      got += d.length;
                    }
                    feeder.await();
                    assertThat(got).isEqualTo(total);
                    assertThat(p.waitFor()).isZero();
                  }
                }));
  }

  @Test
  void manyLinesFromSeq() {
    Async.run(
        () -> {
          try (Subprocess p = Subprocess.start(List.of("seq", "1", "200000"))) {
            int n = 0;
            String last = null;
            for (byte[] line; (line = p.stdout().readLine()).length > 0; ) {
              n++;
              last = s(line);
            }
            assertThat(n).isEqualTo(200_000);
            assertThat(last).isEqualTo("200000\n");
            assertThat(p.waitFor()).isZero();
          }
        });
  }

  @Test
  void communicateFeedsAndDrainsMegabytesAtOnce() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  byte[] input = new byte[5_000_000];
                  Arrays.fill(input, (byte) 'y');
                  // cat echoes while it reads: a writer that waited for its input to be taken
                  // before reading anything would deadlock against the full stdout pipe.
                  try (Subprocess p =
                      Subprocess.start(List.of("sh", "-c", "cat; head -c 4000000 /dev/zero >&2"))) {
                    Subprocess.Result r = p.communicate(input);
                    assertThat(r.exitCode()).isZero();
                    assertThat(r.stdout()).isEqualTo(input);
                    assertThat(r.stderr()).hasSize(4_000_000);
                  }
                }));
  }

  @Test
  void communicateReturnsWhatTheStreamsHaveNotReadYet() {
    Async.run(
        () -> {
          try (Subprocess p = Subprocess.start(List.of("printf", "head\\nrest\\n"))) {
            assertThat(s(p.stdout().readLine())).isEqualTo("head\n");
            Subprocess.Result r = p.communicate(null);
            assertThat(s(r.stdout())).isEqualTo("rest\n");
            assertThat(r.stderr()).isEmpty();
          }
        });
  }

  @Test
  void communicateIgnoresAChildThatStopsReadingItsInput() {
    Async.run(
        () -> {
          try (Subprocess p = Subprocess.start(List.of("sh", "-c", "exec 0<&-; echo bye"))) {
            Subprocess.Result r = p.communicate(new byte[3_000_000]);
            assertThat(s(r.stdout())).isEqualTo("bye\n");
            assertThat(r.exitCode()).isZero();
          }
        });
  }

  @Test
  void stdinWriteSuspendsWhileTheChildDoesNotReadAndCancelLeaksNothing() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Subprocess p = Subprocess.start(List.of("sleep", "60"));
                  StreamWriter in = p.stdin();
                  int chunk = 16 * 1024;
                  Task<Void> writer =
                      Async.spawn(
                          () -> {
                            for (; ; ) { // never ends by itself: the child never reads
                              in.write(new byte[chunk]);
                              // bounded: at most the high-water mark plus the last write
                              assertThat(in.bufferedBytes()).isLessThanOrEqualTo(64 * 1024 + chunk);
                            }
                          });
                  // The kernel pipe, then the pump's window fill up; then the writer buffers. It
                  // only ever suspends in write's drain, so once we run again, it waits there.
                  until(() -> in.bufferedBytes() > 0);
                  assertThat(writer.isDone()).isFalse();
                  writer.cancel();
                  assertThatThrownBy(writer::await).isInstanceOf(CancelledError.class);
                  assertThat(p.isAlive()).as("cancelling a write kills nothing").isTrue();
                  assertThat(in.isClosing()).isFalse();
                  assertThat(in.bufferedBytes()).as("the buffered data stays").isPositive();
                  p.close(); // kills without blocking the loop; the exit follows at once
                  Async.await(p.process().onExit());
                  assertThat(p.isAlive()).isFalse();
                  assertThatThrownBy(() -> in.write(b("x")))
                      .isInstanceOf(StreamClosedException.class);
                }));
  }

  @Test
  void cancellingAReadKillsNothingAndCloseReleasesEverything() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Subprocess p =
                      Subprocess.start(List.of("sh", "-c", "echo ready; read x; echo got $x"));
                  StreamReader out = p.stdout();
                  assertThat(s(out.readLine())).isEqualTo("ready\n");
                  Task<byte[]> reader = Async.spawn(out::readLine);
                  Async.yieldNow();
                  reader.cancel();
                  assertThatThrownBy(reader::await).isInstanceOf(CancelledError.class);
                  assertThat(p.isAlive()).isTrue();
                  // still usable
                  p.stdin().write(b("42\n"));
                  assertThat(s(out.readLine())).isEqualTo("got 42\n");
                  assertThat(p.waitFor()).isZero();
                  // a read waiting when the process is closed ends clearly
                  Subprocess q = Subprocess.start(List.of("sleep", "60"));
                  Task<byte[]> waiting = Async.spawn(() -> q.stderr().readLine());
                  Async.yieldNow();
                  q.close();
                  assertThatThrownBy(waiting::await) // checked: wrapped by await
                      .hasCauseInstanceOf(StreamClosedException.class)
                      .hasMessageContaining("closed");
                  assertThatThrownBy(() -> q.stdout().read(1))
                      .isInstanceOf(StreamClosedException.class);
                  p.close();
                }));
  }

  @Test
  void cancellingCommunicateKillsAndReleasesEverything() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Subprocess p = Subprocess.start(List.of("sh", "-c", "echo started; sleep 60"));
                  Task<Subprocess.Result> c = Async.spawn(() -> p.communicate(new byte[1 << 20]));
                  Async.yieldNow();
                  Async.yieldNow();
                  c.cancel();
                  assertThatThrownBy(c::await).isInstanceOf(CancelledError.class);
                  assertThat(p.isAlive()).isFalse();
                  Subprocess q = Subprocess.start(List.of("sleep", "60"));
                  assertThatThrownBy(() -> q.communicate(null, Duration.ofMillis(50)))
                      .isInstanceOf(io.jasyncio.TimeoutExpiredException.class);
                  assertThat(q.isAlive()).isFalse();
                }));
  }

  @Test
  void theLimitAppliesToLines() {
    Async.run(
        () -> {
          try (Subprocess p =
              Subprocess.start(
                  List.of("sh", "-c", "head -c 500 /dev/zero | tr '\\0' x; echo; echo ok"),
                  null,
                  null,
                  100)) {
            assertThat(p.stdout().limit()).isEqualTo(100);
            assertThatThrownBy(() -> p.stdout().readLine())
                .isInstanceOf(LimitOverrunException.class);
            for (; ; ) {
              try {
                p.stdout().readLine();
                break;
              } catch (LimitOverrunException e) {
                // still inside the long line
              }
            }
            assertThat(s(p.stdout().readLine())).isEqualTo("ok\n");
          }
        });
  }

  @Test
  void misuseFailsClearly() throws IOException {
    Subprocess p =
        Async.run(
            () -> {
              assertThatThrownBy(() -> Subprocess.start(List.of("true"), null, null, 0))
                  .isInstanceOf(IllegalArgumentException.class)
                  .hasMessageContaining("limit");
              Subprocess q = Subprocess.start(List.of("sleep", "60"));
              assertThatThrownBy(() -> Async.toThread(q::stdout)) // a thread of no loop
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessageContaining("loop that started");
              return q;
            });
    assertThatThrownBy(p::stdout)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stdout");
    p.close(); // from outside any loop: still kills and releases
    assertThat(p.isAlive()).isFalse();
  }
}
