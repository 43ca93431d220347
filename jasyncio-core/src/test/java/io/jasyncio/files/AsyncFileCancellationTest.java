package io.jasyncio.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import io.jasyncio.net.FdCount;
import io.jasyncio.sync.Event;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A cancelled read loses no bytes; a cancelled write has completed; no descriptor leaks. */
@Timeout(30)
class AsyncFileCancellationTest {
  private static final byte[] END = new byte[0];

  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A FIFO fed by a plain thread from {@code chunks} (each one write; {@link #END} closes it), so
   * that a read blocks until the test decides, and cancellation lands mid-read for certain.
   */
  private Path fifoFedBy(BlockingQueue<byte[]> chunks) throws Exception {
    Path fifo = dir.resolve("fifo");
    int exit = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
    assumeThat(exit).as("mkfifo").isZero();
    Thread.ofPlatform()
        .daemon()
        .name("fifo-writer")
        .start(
            () -> {
              try (var out = new FileOutputStream(fifo.toFile())) {
                for (byte[] c; (c = chunks.take()) != END; ) {
                  out.write(c);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // the test fails on its own
              }
            });
    return fifo;
  }

  /**
   * Suspends until a thread named {@code name} (virtual threads included) is inside a channel's
   * native read: it is then registered with its channel, so a close waits for it. Polls a thread
   * dump; the class's timeout bounds the wait.
   */
  private void untilAThreadIsInsideARead(String name) throws Exception {
    // HotSpotDiagnosticMXBean.dumpThreads through the MBean server: this module does not read
    // jdk.management, where the interface is
    var server = ManagementFactory.getPlatformMBeanServer();
    var bean = new ObjectName("com.sun.management:type=HotSpotDiagnostic");
    String[] signature = {String.class.getName(), String.class.getName()};
    String thread = "\"name\": \"" + name + "\"";
    for (int i = 0; ; i++) {
      Path dump = dir.resolve("threads-" + i + ".json");
      server.invoke(bean, "dumpThreads", new Object[] {dump.toString(), "JSON"}, signature);
      String json = Files.readString(dump);
      Files.delete(dump);
      for (int at = json.indexOf(thread); at >= 0; at = json.indexOf(thread, at + 1)) {
        int stackEnd = json.indexOf(']', at); // the stack is the thread's first list
        if (json.substring(at, stackEnd).contains("DispatcherImpl.read0(")) {
          return;
        }
      }
      Async.sleep(java.time.Duration.ofMillis(1)); // not started yet: let the loop and it run
    }
  }

  @Test
  void cancelledReadsOfAPipeKeepTheirBytesForTheNextRead() throws Exception {
    BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    Path fifo = fifoFedBy(chunks);
    Async.run(
        () -> {
          chunks.add(utf8("first\npar"));
          try (AsyncFile r = AsyncFiles.openRead(fifo)) {
            assertThat(r.readLine()).isEqualTo("first");

            // readLine: "par" is taken into the line, then the next read blocks on the pipe.
            Task<String> line = Async.spawn(r::readLine);
            Async.yieldNow();
            line.cancel();
            Async.yieldNow();
            assertThat(line.isDone()).as("a pipe's read is given up at once").isTrue();
            assertThatThrownBy(line::await).isInstanceOf(CancelledError.class);
            chunks.add(utf8("tial\nnext\n"));
            assertThat(r.readLine()).isEqualTo("partial");
            assertThat(r.readLine()).isEqualTo("next");

            // read(max)
            Task<byte[]> chunk = Async.spawn(() -> r.read(100));
            Async.yieldNow();
            chunk.cancel();
            chunks.add(utf8("xyz"));
            assertThatThrownBy(chunk::await).isInstanceOf(CancelledError.class);
            assertThat(r.read(2)).isEqualTo(utf8("xy"));

            // readAll: what was buffered ("z") and what it read stay, in order.
            Task<byte[]> all = Async.spawn(r::readAll);
            Async.yieldNow();
            all.cancel();
            chunks.add(utf8("tail\n"));
            chunks.add(END);
            assertThatThrownBy(all::await).isInstanceOf(CancelledError.class);
            assertThat(r.readAll()).isEqualTo(utf8("ztail\n"));
            assertThat(r.readLine()).isNull();
          }
        });
  }

  @Test
  void aTimeoutEndsAReadOfAQuietPipeOnTimeAndTheBytesComeToTheNextRead() throws Exception {
    BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    Path fifo = fifoFedBy(chunks); // opened once: no FdCount here, it runs its body twice
    Async.run(
        () -> {
          try (AsyncFile r = AsyncFiles.openRead(fifo)) {
            assertThatThrownBy(() -> Async.timeout(java.time.Duration.ofMillis(20), r::readLine))
                .isInstanceOf(io.jasyncio.TimeoutExpiredException.class);
            chunks.add(utf8("late line\nmore"));
            chunks.add(END);
            assertThat(r.readLine()).isEqualTo("late line");
            assertThat(r.readAll()).isEqualTo(utf8("more"));
          }
        });
  }

  @Test
  void closingAFileWhileAnotherTaskReadsAQuietPipeSuspendsOnlyTheCloser() throws Exception {
    BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    Path fifo = fifoFedBy(chunks);
    Async.run(
        () -> {
          AsyncFile r = AsyncFiles.openRead(fifo);
          Task<byte[]> reader = Async.spawn(() -> r.read(10));
          Async.yieldNow(); // the reader now waits for its read of the quiet pipe
          // That read runs on a thread of its own. Wait until the thread is inside the channel's
          // read, or the close below ends the read before it starts (seen once on a loaded
          // machine when this was a 20 ms margin).
          untilAThreadIsInsideARead("jasyncio-read");
          Task<Void> closer =
              Async.spawn(
                  () -> {
                    r.close();
                    return null;
                  });
          // FileChannel.close waits for the running read; done on the loop, it would stop the
          // loop (and this test) until the pipe delivers, which happens only after these sleeps.
          for (int i = 0; i < 5; i++) {
            Async.sleep(java.time.Duration.ofMillis(1));
          }
          assertThat(closer.isDone()).isFalse();
          chunks.add(utf8("abc"));
          chunks.add(END);
          closer.await();
          assertThat(r.isClosed()).isTrue();
          try {
            assertThat(reader.await()).isEqualTo(utf8("abc"));
          } catch (io.jasyncio.AsyncException | IllegalStateException e) {
            // the read may also end with the close: either way it ended, and the loop never stopped
          }
        });
  }

  @Test
  void readLinesCancelledAtEveryReadStillYieldEveryLineInOrder() throws IOException {
    Path f = dir.resolve("lines.txt");
    List<String> expected = new ArrayList<>();
    var sb = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      expected.add("line-" + i);
      sb.append("line-").append(i).append(i % 2 == 0 ? "\n" : "\r\n");
    }
    Files.writeString(f, sb);
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  List<String> got = new ArrayList<>();
                  int cancelled = 0;
                  try (AsyncFile r = AsyncFiles.openRead(f)) {
                    for (; ; ) {
                      Task<String> t = Async.spawn(r::readLine);
                      Async.yieldNow(); // done, or suspended mid-read
                      if (!t.isDone()) {
                        t.cancel();
                        assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                        cancelled++;
                        continue;
                      }
                      String line = t.await();
                      if (line == null) {
                        break;
                      }
                      got.add(line);
                    }
                  }
                  assertThat(cancelled).as("reads cancelled mid-way").isGreaterThan(1);
                  assertThat(got).isEqualTo(expected);
                }));
  }

  @Test
  void aFileCancelledMidReadIsClosedByItsTask() throws IOException {
    Path f = dir.resolve("big.bin");
    Files.write(f, new byte[256 * 1024]);
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Event opened = new Event();
                  AsyncFile[] file = {null};
                  Task<Integer> t =
                      Async.spawn(
                          () -> {
                            try (AsyncFile r = AsyncFiles.openRead(f)) {
                              file[0] = r;
                              opened.set();
                              return r.readAll().length;
                            }
                          });
                  opened.await(); // t is now waiting for its readAll
                  t.cancel();
                  assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                  assertThat(file[0].isClosed()).isTrue();
                }));
  }

  private static byte[] record(int i) {
    byte[] b = new byte[10 * 1024];
    Arrays.fill(b, (byte) ('a' + i % 26));
    return b;
  }

  @Test
  void aWriteCancelledMidFlushHasCompletedAndTheFileIsClosed() throws IOException {
    Path f = dir.resolve("out.bin");
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Event opened = new Event();
                  int[] returned = {0};
                  Task<Void> t =
                      Async.spawn(
                          () -> {
                            try (AsyncFile w = AsyncFiles.openWrite(f)) {
                              opened.set();
                              for (int i = 0; i < 100; i++) {
                                w.write(record(i));
                                returned[0]++;
                              }
                            }
                            return null;
                          });
                  opened.await(); // t has buffered 7 records and is flushing them (64 KiB)
                  t.cancel();
                  assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                  assertThat(returned[0]).isEqualTo(6);
                  // The cancelled write (record 6) completed: all 7 records, nothing else.
                  byte[] content = AsyncFiles.readAllBytes(f);
                  assertThat(content).hasSize(7 * 10 * 1024);
                  for (int i = 0; i < 7; i++) {
                    assertThat(Arrays.copyOfRange(content, i * 10240, (i + 1) * 10240))
                        .isEqualTo(record(i));
                  }
                }));
  }
}
