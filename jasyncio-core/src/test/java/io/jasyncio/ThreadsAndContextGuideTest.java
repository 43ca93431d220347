package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/threads-and-context.md, compiled and run. */
class ThreadsAndContextGuideTest {
  // tag::to-thread[]
  static String readConfig(Path file) {
    // Files.readString blocks: run it off the loop; only this task waits.
    return Threads.toThread(() -> Files.readString(file));
  }

  // end::to-thread[]

  // tag::cpu-pool[]
  static final ExecutorService CPU = Executors.newFixedThreadPool(2);

  static long checksum(byte[] data) {
    return Threads.toThread(
        CPU,
        () -> {
          long sum = 0;
          for (byte b : data) {
            sum = 31 * sum + b;
          }
          return sum;
        });
  }

  // end::cpu-pool[]

  // tag::context-var[]
  static final ContextVar<String> REQUEST_ID = ContextVar.newInstance("requestId", "-");
  static final List<String> LOG = Collections.synchronizedList(new ArrayList<>());

  static void log(String message) {
    LOG.add("[" + REQUEST_ID.get() + "] " + message);
  }

  static void handle(String requestId) {
    var token = REQUEST_ID.set(requestId);
    try {
      log("start");
      Async.gather(
          () -> {
            log("child task"); // spawned tasks see a copy of the context
            return null;
          },
          () ->
              Threads.toThread(
                  () -> {
                    log("worker thread"); // and so does toThread
                    return null;
                  }));
      log("end");
    } finally {
      REQUEST_ID.reset(token);
    }
  }

  // end::context-var[]

  @Test
  void toThreadReadsAFileWithoutBlockingTheLoop(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("app.conf");
    Files.writeString(f, "debug=true");
    assertThat(Async.run(() -> readConfig(f))).isEqualTo("debug=true");
  }

  @Test
  void cpuHeavyWorkGoesToAPlatformPool() {
    assertThat(Async.run(() -> checksum(new byte[] {1, 2, 3}))).isEqualTo((31 * 1 + 2) * 31 + 3);
  }

  @Test
  void aRequestIdFollowsTheRequestIntoChildTasksAndThreads() {
    LOG.clear();
    Async.run(
        () -> {
          handle("r-1");
          log("after");
        });
    assertThat(LOG)
        .containsExactly(
            "[r-1] start", "[r-1] child task", "[r-1] worker thread", "[r-1] end", "[-] after");
  }
}
