package io.jasyncio.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Async;
import io.jasyncio.Promise;
import io.jasyncio.Runner;
import io.jasyncio.debug.DebugMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Debug mode's log messages (the {@code io.jasyncio} System.Logger, which reaches java.util.logging
 * here): slow steps with the stack sampled while they block, and the tasks a closing loop still
 * had. In this module because its tests run on the class path, where a test can attach a JUL
 * handler; core's tests run in the io.jasyncio module, which does not read java.logging.
 */
class DebugLoggingTest {
  /** Keeps every record; publish runs on the logging thread (the watchdog's, for slow steps). */
  static final class Collect extends Handler {
    private final List<LogRecord> records = new ArrayList<>();
    final CountDownLatch blockerReported = new CountDownLatch(1);
    final CountDownLatch callbackReported = new CountDownLatch(1);

    @Override
    public synchronized void publish(LogRecord r) {
      records.add(r);
      if (r.getMessage().contains("task 'blocker'")) {
        blockerReported.countDown();
      }
      if (r.getMessage().startsWith("callback ")) {
        callbackReported.countDown();
      }
    }

    synchronized List<LogRecord> matching(String part) {
      return records.stream().filter(r -> r.getMessage().contains(part)).toList();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private final Logger jul = Logger.getLogger("io.jasyncio");
  private final Collect log = new Collect();

  @BeforeEach
  void attach() {
    jul.addHandler(log);
    jul.setUseParentHandlers(false);
  }

  @AfterEach
  void detach() {
    jul.removeHandler(log);
    jul.setUseParentHandlers(true);
  }

  /**
   * Blocks its loop (a blocking call on a task: the subject) until the watchdog has reported it, so
   * the sampled stack is this await.
   */
  private Void block() throws InterruptedException {
    awaitReport(log.blockerReported);
    return null;
  }

  /** Waits for the watchdog's report; a bounded wait, so a missing report fails, not hangs. */
  private static void awaitReport(CountDownLatch reported) throws InterruptedException {
    if (!reported.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the watchdog did not report the slow step within 30 s");
    }
  }

  @Test
  void aSlowStepIsLoggedWithTheStackWhereItBlocks() {
    try (Runner runner = Runner.builder().debug(true).build()) {
      DebugMode.setSlowStepThreshold(runner.loop(), Duration.ofMillis(20));
      runner.run(() -> Async.spawn("blocker", this::block).await());
    }
    LogRecord r = log.matching("task 'blocker'").get(0);
    assertThat(r.getLevel()).isEqualTo(Level.WARNING);
    assertThat(r.getMessage())
        .containsPattern("task 'blocker' \\(#2 of loop \\d+\\) has been running for \\d+ ms")
        .contains("without suspending (slow-step threshold 20 ms)")
        .contains("\tat java.util.concurrent.CountDownLatch.await(")
        .contains("\tat io.jasyncio.tools.DebugLoggingTest.block(DebugLoggingTest.java:")
        .doesNotContain("io.jasyncio.internal.LoopImpl$Carrier.run");
    assertThat(log.matching("task 'blocker'")).hasSize(1); // once per slow step
  }

  /** Blocks a callback (the subject) until the watchdog has reported it. */
  private void blockInCallback() {
    try {
      awaitReport(log.callbackReported);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** As asyncio's debug mode reports slow callbacks ("Executing <Handle ...> took 0.2 seconds"). */
  @Test
  void aSlowCallbackIsLoggedWithTheStackWhereItBlocks() {
    try (Runner runner = Runner.builder().debug(true).build()) {
      DebugMode.setSlowStepThreshold(runner.loop(), Duration.ofMillis(20));
      runner.run(
          () -> {
            Promise<Void> done = Async.promise();
            Async.currentLoop()
                .callSoon(
                    () -> {
                      blockInCallback();
                      done.complete(null);
                    });
            done.await();
          });
    }
    LogRecord r = log.matching("callback ").get(0);
    assertThat(r.getLevel()).isEqualTo(Level.WARNING);
    assertThat(r.getMessage())
        .containsPattern("^callback .*DebugLoggingTest.* \\(of loop \\d+\\) has been running for")
        .contains("without suspending (slow-step threshold 20 ms)")
        .contains("\tat io.jasyncio.tools.DebugLoggingTest.blockInCallback(DebugLoggingTest.java:")
        .doesNotContain("io.jasyncio.internal.LoopImpl.runHandle");
    assertThat(log.matching("callback ")).hasSize(1); // once per slow callback
  }

  @Test
  void withoutDebugModeSlowStepsAreNotTimed() {
    try (Runner runner = Runner.builder().debug(false).build()) {
      DebugMode.setSlowStepThreshold(runner.loop(), Duration.ofMillis(1));
      runner.run(
          () ->
              Async.spawn(
                      "blocker",
                      () -> {
                        Thread.sleep(20); // the subject: slow, but nobody is timing
                        return null;
                      })
                  .await());
    }
    assertThat(log.matching("without suspending")).isEmpty();
  }

  private static Void forgotten() {
    Async.sleep(Duration.ofHours(1));
    return null;
  }

  @Test
  void aLoopClosedWithPendingTasksSaysWhichAndWhereTheyWait() {
    try (Runner runner = Runner.builder().debug(true).build()) {
      runner.run(
          () -> {
            Async.spawn("forgotten", DebugLoggingTest::forgotten);
            Async.yieldNow(); // it starts and waits
          });
    }
    assertThat(log.matching("still pending"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getLevel()).isEqualTo(Level.WARNING);
              assertThat(r.getMessage())
                  .containsPattern(
                      "loop \\d+ is closing with 1 task still pending; cancelling them:")
                  .contains("\n  task 'forgotten' #2 waiting\n")
                  .contains("\n    at io.jasyncio.Async.sleep(")
                  .contains("\n    at io.jasyncio.tools.DebugLoggingTest.forgotten(");
            });
  }

  @Test
  void withoutDebugModeClosingIsQuiet() {
    try (Runner runner = Runner.builder().debug(false).build()) {
      runner.run(
          () -> {
            Async.spawn("forgotten", DebugLoggingTest::forgotten);
            Async.yieldNow();
          });
    }
    assertThat(log.matching("still pending")).isEmpty();
  }
}
