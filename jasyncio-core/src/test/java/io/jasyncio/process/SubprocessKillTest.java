package io.jasyncio.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import io.jasyncio.TimeoutExpiredException;
import io.jasyncio.net.StreamWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Killing a child while a pump is inside a write never blocks the loop, and a cancelled or
 * timed-out {@code communicate} leaves nothing behind to report. The children here are {@code sh -c
 * "echo start; sleep 15"}: dash forks {@code sleep}, a grandchild that keeps the pipes open after
 * the kill, so the stdin pump stays blocked in its write.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SubprocessKillTest {
  static final int INPUT = 1 << 20;

  /** Waits (suspending) until {@code cond} holds; the test's timeout bounds it. */
  static void until(BooleanSupplier cond) {
    while (!cond.getAsBoolean()) {
      Async.sleep(Duration.ofMillis(1));
    }
  }

  /** Until the stdin pump has filled the pipe and is blocked writing the next chunk. */
  static void untilTheStdinPumpIsBlocked(StreamWriter w) {
    until(() -> w.bufferedBytes() > 0 && w.bufferedBytes() <= INPUT - 128 * 1024);
  }

  @Test
  void closeFromATaskWhileTheStdinPumpIsBlockedInAWriteDoesNotBlockTheLoop() {
    Async.run(
        () -> {
          Subprocess p = Subprocess.start(List.of("sh", "-c", "echo start; sleep 15"));
          assertThat(new String(p.stdout().readLine(), UTF_8)).isEqualTo("start\n");
          StreamWriter w = p.stdin();
          Task<Void> writer =
              Async.spawn(
                  () -> {
                    w.write(new byte[INPUT]);
                    return null;
                  });
          untilTheStdinPumpIsBlocked(w);
          p.close(); // before: Process.destroyForcibly closed stdin, waiting for the pump's lock
          assertThatThrownBy(writer::await)
              .rootCause()
              .isInstanceOf(io.jasyncio.net.StreamClosedException.class)
              .hasMessageMatching("the stream was aborted with \\d+ bytes not yet sent");
        });
  }

  @Test
  void cancellingACommunicateWhoseInputIsStuckEndsAtOnce() {
    Async.run(
        () -> {
          Subprocess p = Subprocess.start(List.of("sh", "-c", "echo start; sleep 15"));
          assertThat(new String(p.stdout().readLine(), UTF_8)).isEqualTo("start\n");
          Task<Subprocess.Result> t = Async.spawn(() -> p.communicate(new byte[INPUT]));
          untilTheStdinPumpIsBlocked(p.stdin());
          t.cancel();
          assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
        });
  }

  @Test
  void aTimedOutCommunicateLeavesNoFailureNobodyRetrieved() {
    List<String> reported = new CopyOnWriteArrayList<>();
    Async.run(
        () -> {
          Async.currentLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx.message()));
          Subprocess p = Subprocess.start(List.of("sleep", "60"));
          assertThatThrownBy(() -> p.communicate(null, Duration.ofMillis(50)))
              .isInstanceOf(TimeoutExpiredException.class);
        });
    assertThat(reported).isEmpty(); // checked at the loop's close, after every task ended
  }

  @Test
  void aCancelledCommunicateLeavesNoFailureNobodyRetrieved() {
    List<String> reported = new CopyOnWriteArrayList<>();
    Async.run(
        () -> {
          Async.currentLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx.message()));
          Subprocess p = Subprocess.start(List.of("sh", "-c", "exec sleep 60"));
          Task<Subprocess.Result> t = Async.spawn(() -> p.communicate(null));
          until(() -> p.stdin().isClosing()); // communicate fed (closed) stdin and now reads
          t.cancel();
          assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
        });
    assertThat(reported).isEmpty();
  }

  @Test
  void waitForWithAZeroTimeoutOnAnExitedProcessReturnsItsCode() {
    Async.run(
        () -> {
          Subprocess p = Subprocess.start(List.of("sh", "-c", "exit 5"));
          assertThat(p.waitFor()).isEqualTo(5);
          assertThat(p.waitFor(Duration.ZERO)).isEqualTo(5);
        });
  }
}
