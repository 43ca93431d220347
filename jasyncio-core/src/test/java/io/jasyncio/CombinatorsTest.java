package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The combinators on virtual time ({@link VirtualTime}): sleeps of different lengths end in
 * deadline order however loaded the machine is, and every time asserted is exact.
 */
class CombinatorsTest {
  static Duration ms(long n) {
    return Duration.ofMillis(n);
  }

  static String after(Duration d, String v, Recorder r) {
    r.add("start " + v);
    Async.sleep(d);
    r.add("end " + v);
    return v;
  }

  @Test
  void gatherRunsBodiesSideBySideAndReturnsResultsInArgumentOrder() {
    Recorder r = new Recorder();
    List<String> out =
        VirtualTime.run(
            () -> {
              List<String> res =
                  Async.gather(() -> after(ms(20), "slow", r), () -> after(ms(1), "fast", r));
              assertThat(VirtualTime.now()).isEqualTo(ms(20)); // side by side: not 21
              return res;
            });
    assertThat(out).containsExactly("slow", "fast");
    assertThat(r.events()).containsExactly("start slow", "start fast", "end fast", "end slow");
  }

  @Test
  void gatherThrowsTheFirstFailureAndLeavesTheOthersRunningLikeAsyncio() {
    Recorder r = new Recorder();
    VirtualTime.run(
        () -> {
          Task<String> slow = Async.spawn(() -> after(ms(10), "slow", r));
          Task<String> bad =
              Async.spawn(
                  () -> {
                    throw new IllegalStateException("bad");
                  });
          assertThatThrownBy(() -> Async.gather(slow, bad)).hasMessage("bad");
          assertThat(slow.isDone()).isFalse();
          assertThat(VirtualTime.now()).isZero();
          assertThat(slow.await()).isEqualTo("slow");
          assertThat(VirtualTime.now()).isEqualTo(ms(10));
        });
  }

  @Test
  void gatherSettledReturnsEveryOutcomeIncludingFailuresAndCancellations() {
    Async.run(
        () -> {
          List<Outcome<Object>> out =
              Async.gatherSettled(
                  () -> 1,
                  () -> {
                    throw new IllegalArgumentException("no");
                  },
                  () -> {
                    Async.currentTask().cancel();
                    Async.yieldNow();
                    return 3;
                  });
          assertThat(out.get(0)).isEqualTo(new Outcome.Success<>(1));
          assertThat(((Outcome.Failure<Object>) out.get(1)).error()).hasMessage("no");
          assertThat(((Outcome.Failure<Object>) out.get(2)).error())
              .isInstanceOf(CancelledError.class);
          assertThat(out.get(0).getOrThrow()).isEqualTo(1);
        });
  }

  @Test
  void cancellingAGatherCancelsEveryChild() {
    Recorder r = new Recorder();
    VirtualTime.run(
        () -> {
          Task<List<Object>> g =
              Async.spawn(
                  () ->
                      Async.gather(
                          () -> after(Duration.ofHours(1), "a", r),
                          () -> after(Duration.ofHours(1), "b", r)));
          Async.sleep(Duration.ofMillis(1));
          g.cancel();
          assertThatThrownBy(g::await).isInstanceOf(CancelledError.class);
          Async.yieldNow();
          assertThat(Async.allTasks()).containsExactly(Async.currentTask());
        });
    assertThat(r.events()).containsExactly("start a", "start b");
  }

  @Test
  void gatherSettledUnderCancellationCancelsChildrenAndThenRaisesCancelledError() {
    VirtualTime.run(
        () -> {
          Task<List<Outcome<String>>> g =
              Async.spawn(
                  () ->
                      Async.gatherSettled(
                          () -> {
                            Async.sleep(Duration.ofHours(1));
                            return "x";
                          }));
          Async.sleep(Duration.ofMillis(1));
          g.cancel();
          assertThatThrownBy(g::await).isInstanceOf(CancelledError.class);
        });
  }

  @Test
  void waitReturnsAtFirstCompletedFirstExceptionOrAllCompletedWithoutCancelling() {
    VirtualTime.run(
        () -> {
          Recorder r = new Recorder();
          Task<String> fast = Async.spawn(() -> after(ms(1), "fast", r));
          Task<String> slow = Async.spawn(() -> after(ms(30), "slow", r));
          WaitResult<String> first = Async.wait(List.of(fast, slow), WaitMode.FIRST_COMPLETED);
          assertThat(first.done()).containsExactly(fast);
          assertThat(first.pending()).containsExactly(slow);
          assertThat(VirtualTime.now()).isEqualTo(ms(1));
          Task<String> bad =
              Async.spawn(
                  () -> {
                    Async.sleep(ms(1));
                    throw new IllegalStateException("x");
                  });
          WaitResult<String> fe = Async.wait(List.of(slow, bad), WaitMode.FIRST_EXCEPTION);
          assertThat(fe.done()).containsExactly(bad);
          assertThat(fe.pending()).containsExactly(slow);
          assertThat(VirtualTime.now()).isEqualTo(ms(2));
          WaitResult<String> timedOut = Async.wait(List.of(slow), WaitMode.ALL_COMPLETED, ms(1));
          assertThat(timedOut.done()).isEmpty();
          assertThat(timedOut.pending()).containsExactly(slow);
          assertThat(VirtualTime.now()).isEqualTo(ms(3)); // the timeout, long before slow ends
          assertThat(slow.isCancelled()).isFalse();
          WaitResult<String> all = Async.wait(List.of(fast, slow), WaitMode.ALL_COMPLETED);
          assertThat(all.done()).containsExactly(fast, slow);
          assertThat(VirtualTime.now()).isEqualTo(ms(30));
          assertThat(bad.exception()).hasMessage("x");
          assertThatThrownBy(() -> Async.wait(List.<Task<String>>of(), WaitMode.ALL_COMPLETED))
              .isInstanceOf(IllegalArgumentException.class);
          assertThatThrownBy(() -> Async.wait(List.of(fast), WaitMode.ALL_COMPLETED, ms(-1)))
              .isInstanceOf(IllegalArgumentException.class);
        });
  }

  @Test
  void asCompletedYieldsAwaitablesInCompletionOrder() {
    List<String> order = new ArrayList<>();
    VirtualTime.run(
        () -> {
          Recorder r = new Recorder();
          List<Task<String>> ts =
              List.of(
                  Async.spawn(() -> after(ms(30), "c", r)),
                  Async.spawn(() -> after(ms(1), "a", r)),
                  Async.spawn(() -> after(ms(10), "b", r)));
          for (Awaitable<String> t : Async.asCompleted(ts, null)) {
            order.add(t.result() + " at " + VirtualTime.now().toMillis());
          }
        });
    assertThat(order).containsExactly("a at 1", "b at 10", "c at 30");
  }

  @Test
  void asCompletedCanBeIteratedOnceASecondIteratorThrowsInsteadOfHanging() {
    Async.run(
        () -> {
          List<Task<Integer>> ts = List.of(Async.spawn(() -> 1), Async.spawn(() -> 2));
          Iterable<Awaitable<Integer>> it = Async.asCompleted(ts, null);
          int sum = 0;
          for (Awaitable<Integer> a : it) {
            sum += a.result();
          }
          assertThat(sum).isEqualTo(3);
          assertThatThrownBy(it::iterator)
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("iterated once");
        });
  }

  @Test
  void asCompletedWithATimeoutThrowsWhenTimeRunsOut() {
    VirtualTime.run(
        () -> {
          Task<Void> never = Async.spawn(() -> Async.sleep(Duration.ofHours(1)));
          var it = Async.asCompleted(List.of(never), ms(2)).iterator();
          assertThatThrownBy(it::next).isInstanceOf(TimeoutExpiredException.class);
          assertThat(VirtualTime.now()).isEqualTo(ms(2));
          never.cancel();
        });
  }

  @Test
  void waitForCancelsTheAwaitedTaskAndThrowsTimeoutExpired() {
    Recorder r = new Recorder();
    VirtualTime.run(
        () -> {
          Task<String> t = Async.spawn(() -> after(Duration.ofHours(1), "t", r));
          assertThatThrownBy(() -> Async.waitFor(t, ms(2)))
              .isInstanceOf(TimeoutExpiredException.class)
              .hasCauseInstanceOf(CancelledError.class);
          assertThat(VirtualTime.now()).isEqualTo(ms(2));
          assertThat(t.isCancelled()).isTrue();
          assertThat(Async.currentTask().cancelling()).isZero();
          assertThat(Async.waitFor(() -> "quick", Duration.ofSeconds(1))).isEqualTo("quick");
        });
  }

  @Test
  void shieldKeepsTheInnerWorkRunningWhenTheCallerIsCancelled() {
    Recorder r = new Recorder();
    VirtualTime.run(
        () -> {
          Task<String> inner = Async.spawn(() -> after(ms(5), "inner", r));
          Task<String> outer = Async.spawn(() -> Async.shield(inner));
          Async.yieldNow();
          outer.cancel();
          assertThatThrownBy(outer::await).isInstanceOf(CancelledError.class);
          assertThat(inner.isCancelled()).isFalse();
          assertThat(VirtualTime.now()).isZero();
          assertThat(inner.await()).isEqualTo("inner");
          assertThat(VirtualTime.now()).isEqualTo(ms(5));
        });
    assertThat(r.events()).containsExactly("start inner", "end inner");
  }

  @Test
  void sleepZeroLetsEveryReadyTaskRunOnce() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          Async.spawn(() -> r.add("other"));
          r.add("before");
          Async.sleep(Duration.ZERO);
          r.add("after");
        });
    assertThat(r.events()).containsExactly("before", "other", "after");
  }

  @Test
  void combinatorsRejectBadArguments() {
    Async.run(
        () -> {
          assertThatThrownBy(() -> Async.gather((List<java.util.concurrent.Callable<Object>>) null))
              .isInstanceOf(NullPointerException.class);
          List<java.util.concurrent.Callable<Object>> withNull = new ArrayList<>();
          withNull.add(null);
          assertThatThrownBy(() -> Async.gather(withNull)).isInstanceOf(NullPointerException.class);
          assertThatThrownBy(() -> Async.waitFor((Task<Object>) null, Duration.ofSeconds(1)))
              .isInstanceOf(NullPointerException.class);
          assertThatThrownBy(() -> Async.timeout(Duration.ofSeconds(-1), () -> 1))
              .isInstanceOf(IllegalArgumentException.class);
          assertThatThrownBy(() -> Async.await((java.util.concurrent.CompletionStage<Object>) null))
              .isInstanceOf(NullPointerException.class);
        });
  }

  @Test
  void gatherReportsACancelledChildWithItsOwnCancellationAsTheCause() {
    Async.run(
        () -> {
          Task<Void> child = Async.spawn(() -> Async.sleep(Duration.ofHours(1)));
          Task<List<Object>> g = Async.spawn(() -> Async.gather(child));
          Async.yieldNow();
          child.cancel("child stopped");
          Throwable e = org.assertj.core.api.Assertions.catchThrowable(g::await);
          // awaiting g chains g's own error: "a gathered task ... was cancelled", whose cause is
          // the child's CancelledError with the message it was cancelled with
          assertThat(e).isInstanceOf(CancelledError.class).hasRootCauseMessage("child stopped");
          assertThat(e.getCause()).hasMessageStartingWith("a gathered task");
        });
  }
}
