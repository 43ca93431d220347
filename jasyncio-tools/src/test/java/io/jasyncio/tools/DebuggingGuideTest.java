package io.jasyncio.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Async;
import io.jasyncio.Runner;
import io.jasyncio.debug.DebugMode;
import io.jasyncio.debug.TaskInfo;
import io.jasyncio.debug.TaskTree;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/**
 * The code of docs/debugging.md, compiled and run. {@link DocSnippetsTest} checks that every Java
 * block of the guide appears here line for line.
 */
class DebuggingGuideTest {
  static Void fetch(String url) {
    Async.sleep(Duration.ofHours(1));
    return null;
  }

  static Void checksum(byte[] data) throws InterruptedException {
    Thread.sleep(60); // stands for CPU-heavy or blocking work done on the loop
    return null;
  }

  static void app() {
    Async.spawn("checksum", () -> checksum(new byte[16])).await();
  }

  @Test
  void debugModeByApi() {
    // [debug-mode]
    try (Runner runner = Runner.builder().debug(true).build()) {
      DebugMode.setSlowStepThreshold(runner.loop(), Duration.ofMillis(50));
      runner.run(() -> app());
    }
    // [end]
  }

  @Test
  void taskTreeInProcess() {
    try (Runner runner = Runner.create()) {
      runner.run(
          () -> {
            Async.spawn("fetch-1", () -> fetch("https://example.com/1"));
            Async.spawn("fetch-2", () -> fetch("https://example.com/2"));
            Async.yieldNow();
          });
      // [task-tree]
      TaskTree tree = TaskTree.capture(); // every loop of this JVM; safe from any thread
      System.err.println(tree.formatTree()); // or tree.formatPs() for the table

      TaskInfo fetch = tree.find("fetch-1").orElseThrow();
      StackTraceElement where = fetch.waitingAt().orElseThrow(); // io.jasyncio.Async.sleep
      // [end]
      assertThat(fetch.state().label()).isEqualTo("waiting");
      assertThat(where.getMethodName()).isEqualTo("sleep");
      assertThat(fetch.stack().get(1).getMethodName()).isEqualTo("fetch");
    }
  }

  @Test
  void flightRecorderStream() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    CountDownLatch got = new CountDownLatch(1);
    // [jfr-stream]
    try (var rs = new RecordingStream()) {
      rs.enable("io.jasyncio.SlowStep");
      rs.onEvent(
          "io.jasyncio.SlowStep",
          e -> {
            seen.add(e.getString("taskName") + " blocked " + e.getDuration("stepDuration"));
            got.countDown();
          });
      rs.startAsync();
      try (Runner runner = Runner.create()) {
        DebugMode.setSlowStepThreshold(runner.loop(), Duration.ofMillis(50));
        runner.run(() -> app());
      }
      got.await(30, TimeUnit.SECONDS); // events reach the stream within a second or so
    }
    // [end]
    assertThat(seen).anyMatch(s -> s.startsWith("checksum blocked PT0."));
  }
}
