package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CombinatorsTest {

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
        Async.run(
            () ->
                Async.gather(
                    () -> after(Duration.ofMillis(20), "slow", r),
                    () -> after(Duration.ofMillis(1), "fast", r)));
    assertThat(out).containsExactly("slow", "fast");
    assertThat(r.events()).containsExactly("start slow", "start fast", "end fast", "end slow");
  }

  @Test
  void gatherThrowsTheFirstFailureAndLeavesTheOthersRunningLikeAsyncio() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          Task<String> slow = Async.spawn(() -> after(Duration.ofMillis(10), "slow", r));
          Task<String> bad =
              Async.spawn(
                  () -> {
                    throw new IllegalStateException("bad");
                  });
          assertThatThrownBy(() -> Async.gather(slow, bad)).hasMessage("bad");
          assertThat(slow.isDone()).isFalse();
          assertThat(slow.await()).isEqualTo("slow");
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
    Async.run(
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
    Async.run(
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
    Async.run(
        () -> {
          Recorder r = new Recorder();
          Task<String> fast = Async.spawn(() -> after(Duration.ofMillis(1), "fast", r));
          Task<String> slow = Async.spawn(() -> after(Duration.ofMillis(30), "slow", r));
          WaitResult<String> first = Async.wait(List.of(fast, slow), WaitMode.FIRST_COMPLETED);
          assertThat(first.done()).containsExactly(fast);
          assertThat(first.pending()).containsExactly(slow);
          Task<String> bad =
              Async.spawn(
                  () -> {
                    Async.sleep(Duration.ofMillis(1));
                    throw new IllegalStateException("x");
                  });
          WaitResult<String> fe = Async.wait(List.of(slow, bad), WaitMode.FIRST_EXCEPTION);
          assertThat(fe.done()).containsExactly(bad);
          WaitResult<String> timedOut =
              Async.wait(List.of(slow), WaitMode.ALL_COMPLETED, Duration.ofMillis(1));
          assertThat(timedOut.pending()).containsExactly(slow);
          assertThat(slow.isCancelled()).isFalse();
          WaitResult<String> all = Async.wait(List.of(fast, slow), WaitMode.ALL_COMPLETED);
          assertThat(all.done()).containsExactly(fast, slow);
          assertThat(bad.exception()).hasMessage("x");
          assertThatThrownBy(() -> Async.wait(List.<Task<String>>of(), WaitMode.ALL_COMPLETED))
              .isInstanceOf(IllegalArgumentException.class);
          assertThatThrownBy(
                  () -> Async.wait(List.of(fast), WaitMode.ALL_COMPLETED, Duration.ofMillis(-1)))
              .isInstanceOf(IllegalArgumentException.class);
        });
  }

  @Test
  void asCompletedYieldsAwaitablesInCompletionOrder() {
    List<String> order = new ArrayList<>();
    Async.run(
        () -> {
          Recorder r = new Recorder();
          List<Task<String>> ts =
              List.of(
                  Async.spawn(() -> after(Duration.ofMillis(30), "c", r)),
                  Async.spawn(() -> after(Duration.ofMillis(1), "a", r)),
                  Async.spawn(() -> after(Duration.ofMillis(10), "b", r)));
          for (Awaitable<String> t : Async.asCompleted(ts, null)) {
            order.add(t.result());
          }
        });
    assertThat(order).containsExactly("a", "b", "c");
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
    Async.run(
        () -> {
          Task<Void> never = Async.spawn(() -> Async.sleep(Duration.ofHours(1)));
          var it = Async.asCompleted(List.of(never), Duration.ofMillis(2)).iterator();
          assertThatThrownBy(it::next).isInstanceOf(TimeoutExpiredException.class);
          never.cancel();
        });
  }

  @Test
  void waitForCancelsTheAwaitedTaskAndThrowsTimeoutExpired() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          Task<String> t = Async.spawn(() -> after(Duration.ofHours(1), "t", r));
          assertThatThrownBy(() -> Async.waitFor(t, Duration.ofMillis(2)))
              .isInstanceOf(TimeoutExpiredException.class)
              .hasCauseInstanceOf(CancelledError.class);
          assertThat(t.isCancelled()).isTrue();
          assertThat(Async.currentTask().cancelling()).isZero();
          assertThat(Async.waitFor(() -> "quick", Duration.ofSeconds(1))).isEqualTo("quick");
        });
  }

  @Test
  void shieldKeepsTheInnerWorkRunningWhenTheCallerIsCancelled() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          Task<String> inner = Async.spawn(() -> after(Duration.ofMillis(5), "inner", r));
          Task<String> outer = Async.spawn(() -> Async.shield(inner));
          Async.yieldNow();
          outer.cancel();
          assertThatThrownBy(outer::await).isInstanceOf(CancelledError.class);
          assertThat(inner.isCancelled()).isFalse();
          assertThat(inner.await()).isEqualTo("inner");
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
