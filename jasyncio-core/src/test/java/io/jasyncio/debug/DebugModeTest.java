package io.jasyncio.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.ExceptionContext;
import io.jasyncio.Runner;
import io.jasyncio.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Debug mode's reports that go to the loop's exception handler. The ones that go to the {@code
 * io.jasyncio} System.Logger (slow steps, pending tasks at close) are tested in jasyncio-tools'
 * DebugLoggingTest, which runs on the class path where a test can attach a JUL handler.
 */
class DebugModeTest {
  private final List<ExceptionContext> reported = new ArrayList<>();

  private Runner runner(boolean debug) {
    return Runner.builder().debug(debug).exceptionHandler((loop, c) -> reported.add(c)).build();
  }

  private static Void swallowCancellation() {
    try {
      Async.sleep(Duration.ofHours(1));
    } catch (CancelledError e) {
      // swallowed: the pitfall debug mode reports
    }
    return null;
  }

  @Test
  void aTaskThatSwallowsCancellationIsReportedInDebugMode() {
    try (Runner runner = runner(true)) {
      runner.run(
          () -> {
            Task<Void> t = Async.spawn("swallower", DebugModeTest::swallowCancellation);
            Async.yieldNow();
            t.cancel();
            t.await(); // returns normally: the task swallowed it
          });
    }
    assertThat(reported)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.message())
                  .contains("task 'swallower'", "was cancelled but returned normally");
              assertThat(c.task().name()).isEqualTo("swallower");
            });
  }

  @Test
  void swallowedCancellationIsNotReportedOutsideDebugMode() {
    try (Runner runner = runner(false)) {
      runner.run(
          () -> {
            Task<Void> t = Async.spawn("swallower", DebugModeTest::swallowCancellation);
            Async.yieldNow();
            t.cancel();
            t.await();
          });
    }
    assertThat(reported).isEmpty();
  }

  @Test
  void uncancelIsNotSwallowing() {
    try (Runner runner = runner(true)) {
      runner.run(
          () -> {
            Task<Void> t =
                Async.spawn(
                    "uncanceller",
                    () -> {
                      try {
                        Async.sleep(Duration.ofHours(1));
                      } catch (CancelledError e) {
                        Async.currentTask().uncancel();
                      }
                      return null;
                    });
            Async.yieldNow();
            t.cancel();
            t.await();
          });
    }
    assertThat(reported).isEmpty();
  }

  private static Task<Void> spawnDoomed() {
    return Async.spawn(
        "doomed",
        () -> {
          throw new IllegalStateException("boom");
        });
  }

  @Test
  void anUnretrievedFailureSaysWhereItsTaskWasSpawned() {
    try (Runner runner = runner(true)) {
      runner.run(
          () -> {
            spawnDoomed();
            Async.yieldNow(); // doomed runs and fails; nobody looks
          });
    }
    assertThat(reported)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.message()).contains("never retrieved", "task 'doomed'");
              assertThat(c.exception())
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessage("boom");
              Throwable site = c.exception().getSuppressed()[0];
              assertThat(site).hasMessage("task 'doomed' spawned here");
              assertThat(site.getStackTrace())
                  .anyMatch(f -> f.getMethodName().equals("spawnDoomed"));
            });
  }

  @Test
  void withoutDebugModeTheSpawnSiteIsNotRecorded() {
    try (Runner runner = runner(false)) {
      runner.run(
          () -> {
            spawnDoomed();
            Async.yieldNow();
          });
    }
    assertThat(reported)
        .singleElement()
        .satisfies(c -> assertThat(c.exception().getSuppressed()).isEmpty());
  }

  /** Each time it is cancelled it spawns its successor: close can never finish them all. */
  private static Void phoenix() {
    try {
      Async.sleep(Duration.ofHours(1));
    } catch (CancelledError e) {
      Async.spawn("phoenix", DebugModeTest::phoenix);
      throw e;
    }
    return null;
  }

  @Test
  void tasksThatOutliveCloseAreNamed() {
    try (Runner runner = runner(false)) {
      runner.run(
          () -> {
            Async.spawn("phoenix", DebugModeTest::phoenix);
          });
    }
    assertThat(reported)
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.message())
                    .startsWith("loop closed with tasks still pending")
                    .contains("phoenix"));
  }

  @Test
  void slowStepThresholdIsPerLoopAndValidated() {
    try (Runner runner = runner(true)) {
      assertThat(DebugMode.slowStepThreshold(runner.loop()))
          .isEqualTo(DebugMode.defaultSlowStepThreshold());
      DebugMode.setSlowStepThreshold(runner.loop(), Duration.ofMillis(5));
      assertThat(DebugMode.slowStepThreshold(runner.loop())).isEqualTo(Duration.ofMillis(5));
      assertThatThrownBy(() -> DebugMode.setSlowStepThreshold(runner.loop(), Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("threshold must be positive");
      assertThatThrownBy(() -> DebugMode.setSlowStepThreshold(runner.loop(), null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("threshold");
      assertThatThrownBy(() -> DebugMode.slowStepThreshold(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("loop");
    }
  }

  @Test
  void theDefaultThresholdComesFromTheSystemProperty() {
    String old = System.getProperty(DebugMode.SLOW_STEP_PROPERTY);
    try {
      System.setProperty(DebugMode.SLOW_STEP_PROPERTY, "250");
      assertThat(DebugMode.defaultSlowStepThreshold()).isEqualTo(Duration.ofMillis(250));
      try (Runner runner = runner(true)) {
        assertThat(DebugMode.slowStepThreshold(runner.loop())).isEqualTo(Duration.ofMillis(250));
      }
      // Milliseconds beyond the nanosecond range: "never", not a wrapped (here negative) threshold
      // that made every step slow.
      System.setProperty(DebugMode.SLOW_STEP_PROPERTY, "10000000000000");
      assertThat(DebugMode.defaultSlowStepThreshold()).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
      System.setProperty(DebugMode.SLOW_STEP_PROPERTY, "soon");
      assertThat(DebugMode.defaultSlowStepThreshold())
          .isEqualTo(DebugMode.DEFAULT_SLOW_STEP_THRESHOLD);
    } finally {
      if (old == null) {
        System.clearProperty(DebugMode.SLOW_STEP_PROPERTY);
      } else {
        System.setProperty(DebugMode.SLOW_STEP_PROPERTY, old);
      }
    }
  }

  @Test
  void debugModeFollowsTheSystemProperty() {
    String old = System.getProperty("jasyncio.debug");
    try {
      System.setProperty("jasyncio.debug", "true");
      try (Runner runner = Runner.create()) {
        assertThat(runner.loop().isDebug()).isTrue();
        runner.loop().setDebug(false);
        assertThat(runner.loop().isDebug()).isFalse();
      }
      System.clearProperty("jasyncio.debug");
      try (Runner runner = Runner.builder().debug(true).build()) {
        assertThat(runner.loop().isDebug()).isTrue();
      }
    } finally {
      if (old == null) {
        System.clearProperty("jasyncio.debug");
      } else {
        System.setProperty("jasyncio.debug", old);
      }
    }
  }
}
