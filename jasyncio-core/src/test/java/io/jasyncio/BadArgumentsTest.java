package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** Every public entry point rejects bad input with an exception that names what was wrong. */
class BadArgumentsTest {

  @Test
  void nullBodiesAndNamesAreRejectedByName() {
    Async.run(
        () -> {
          assertThatThrownBy(() -> Async.spawn((Callable<Object>) null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("body");
          assertThatThrownBy(() -> Async.spawn((AsyncRunnable) null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("body");
          assertThatThrownBy(() -> Async.spawn(null, () -> 1))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("name");
          assertThatThrownBy(() -> Async.spawnEager(null)).isInstanceOf(NullPointerException.class);
          assertThatThrownBy(() -> Async.shield((Awaitable<Object>) null))
              .isInstanceOf(NullPointerException.class);
          assertThatThrownBy(() -> Async.taskGroupResult(null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("body");
          assertThatThrownBy(() -> Async.timeout(Duration.ofSeconds(1), (Callable<Object>) null))
              .isInstanceOf(NullPointerException.class);
          assertThatThrownBy(() -> Async.moveOnAfter(null, () -> {}))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("delay");
          assertThatThrownBy(() -> Async.moveOnAfter(Duration.ofSeconds(-1), () -> {}))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("delay");
          assertThatThrownBy(() -> Async.wait(null, WaitMode.ALL_COMPLETED))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("awaitables");
          Task<Integer> t = Async.spawn(() -> 1);
          assertThatThrownBy(() -> Async.wait(List.of(t), null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("mode");
          assertThatThrownBy(() -> Async.asCompleted(null, null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("awaitables");
          List<Task<Integer>> withNull = Arrays.asList(t, null);
          assertThatThrownBy(() -> Async.wait(withNull, WaitMode.ALL_COMPLETED))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("awaitables must not contain null")
              .hasMessageContaining("element 1");
          assertThatThrownBy(() -> Async.asCompleted(withNull, null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("awaitables must not contain null");
          assertThatThrownBy(() -> Async.spawnEager(null, () -> 1))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("name");
          assertThatThrownBy(() -> Async.spawnEager("n", null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("body");
          assertThatThrownBy(() -> Async.asCompleted(List.of(t), Duration.ofMillis(-5)))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("timeout");
          t.await();
        });
  }

  @Test
  void builderAndRunnerRejectNulls() {
    assertThatThrownBy(() -> Runner.builder().exceptionHandler(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("exceptionHandler");
    try (Runner r = Runner.create()) {
      assertThatThrownBy(() -> r.run((Callable<Object>) null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("main");
      assertThatThrownBy(() -> r.run((AsyncRunnable) null))
          .isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> r.loop().submit(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> r.loop().callSoonThreadsafe(null))
          .isInstanceOf(NullPointerException.class);
    }
  }

  @Test
  void taskAndPromiseMethodsFromAForeignThreadFailClearly() {
    try (Runner r = Runner.create()) {
      Task<Integer> t =
          r.run(
              () -> {
                return Async.spawn(() -> 1);
              });
      Promise<Integer> p =
          r.run(
              () -> {
                return Async.<Integer>promise();
              });
      assertThatThrownBy(t::cancel)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("event loop's thread");
      assertThatThrownBy(() -> p.complete(1)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(t::result).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(t::await)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Async.run");
      r.run(
          () -> {
            return t.await();
          });
      p.toCompletableFuture(); // thread-safe
    }
  }

  @Test
  void aTaskGroupOrScopeUsedOutsideItsTaskFails() {
    Async.run(
        () -> {
          CancelScope[] scope = new CancelScope[1];
          Async.timeout(
              Duration.ofSeconds(1),
              s -> {
                scope[0] = s;
                return null;
              });
          assertThatThrownBy(() -> scope[0].rescheduleAfter(Duration.ofSeconds(1)))
              .isInstanceOf(IllegalStateException.class);
          assertThatThrownBy(() -> scope[0].rescheduleAfter(null))
              .isInstanceOf(NullPointerException.class);
        });
  }
}
