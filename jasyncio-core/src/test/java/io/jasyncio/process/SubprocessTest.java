package io.jasyncio.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import io.jasyncio.TimeoutExpiredException;
import io.jasyncio.net.FdCount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubprocessTest {
  @TempDir Path dir;

  @Test
  void communicateWithArgsEnvCwdAndLargeOutput() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  try (Subprocess p =
                      Subprocess.start(
                          List.of(
                              "sh",
                              "-c",
                              "cat; echo \"$GREETING\" >&2; pwd >&2; head -c 3000000 /dev/zero"),
                          Map.of("GREETING", "hello"),
                          dir)) {
                    Subprocess.Result r = p.communicate("input!".getBytes(StandardCharsets.UTF_8));
                    assertThat(r.exitCode()).isZero();
                    assertThat(r.stdout()).hasSize(6 + 3_000_000);
                    assertThat(new String(r.stderr(), StandardCharsets.UTF_8))
                        .isEqualTo("hello\n" + dir.toRealPath() + "\n");
                  }
                }));
  }

  @Test
  void exitCodeAndTerminate() {
    Async.run(
        () -> {
          try (Subprocess p = Subprocess.start(List.of("sh", "-c", "exit 3"))) {
            assertThat(p.waitFor()).isEqualTo(3);
          }
          try (Subprocess p = Subprocess.start(List.of("sleep", "60"))) {
            p.terminate();
            assertThat(p.waitFor()).isEqualTo(143);
          }
        });
  }

  @Test
  void timeoutKillsTheProcess() {
    Async.run(
        () -> {
          Subprocess p = Subprocess.start(List.of("sleep", "60"));
          assertThatThrownBy(() -> p.waitFor(Duration.ofMillis(100)))
              .isInstanceOf(TimeoutExpiredException.class);
          assertThat(p.isAlive()).isFalse();
        });
  }

  @Test
  void cancellingTheWaiterDestroysTheProcess() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  Subprocess p = Subprocess.start(List.of("sleep", "60"));
                  Task<Integer> t =
                      Async.spawn(
                          () -> {
                            return p.waitFor();
                          });
                  Async.yieldNow();
                  t.cancel();
                  assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                  assertThat(p.isAlive()).isFalse();
                  Task<Subprocess.Result> c =
                      Async.spawn(() -> Subprocess.start(List.of("cat")).communicate(null));
                  Async.yieldNow();
                  c.cancel();
                  assertThatThrownBy(c::await).isInstanceOf(CancelledError.class);
                }));
  }

  @Test
  void badArguments() {
    Async.run(
        () -> {
          assertThatThrownBy(() -> Subprocess.start(List.of()))
              .isInstanceOf(IllegalArgumentException.class);
          assertThatThrownBy(() -> Subprocess.start(List.of("/no/such/program")))
              .isInstanceOf(java.io.IOException.class);
        });
  }
}
