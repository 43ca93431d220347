package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class TaskTest {

  /** Runs {@code main} on a debug-mode runner whose exception handler adds to {@code seen}. */
  static void inDebugMode(List<ExceptionContext> seen, AsyncRunnable main) {
    try (Runner runner =
        Runner.builder().debug(true).exceptionHandler((l, c) -> seen.add(c)).build()) {
      runner.run(main);
    }
  }

  @Test
  void aSpawnedTaskReturnsItsResultThroughAwait() {
    int v =
        Async.run(
            () -> {
              Task<Integer> t =
                  Async.spawn(
                      () -> {
                        Async.sleep(Duration.ofMillis(1));
                        return 41;
                      });
              return t.await() + 1;
            });
    assertThat(v).isEqualTo(42);
  }

  @Test
  void tasksAreNamedTaskNByDefaultAndCanBeRenamed() {
    Async.run(
        () -> {
          Task<?> a = Async.spawn(() -> 1);
          Task<?> b = Async.spawn("worker", () -> 2);
          assertThat(a.name()).matches("Task-\\d+");
          assertThat(b.name()).isEqualTo("worker");
          a.setName("renamed");
          assertThat(a.name()).isEqualTo("renamed");
          assertThat(a.parent()).isSameAs(Async.currentTask());
          assertThatThrownBy(() -> a.setName(null)).isInstanceOf(NullPointerException.class);
          Async.gather(a, b);
        });
  }

  @Test
  void cancellationIsDeliveredAtTheSuspensionPointAndFinallyBlocksRun() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          Task<Void> t =
              Async.spawn(
                  () -> {
                    try (AutoCloseable res = () -> r.add("resource closed")) {
                      r.add("sleeping");
                      Async.sleep(Duration.ofHours(1));
                      r.add("woke up");
                    } catch (CancelledError e) {
                      r.add("cancelled at sleep: " + e.getMessage());
                      throw e;
                    } finally {
                      r.add("finally");
                    }
                  });
          Async.yieldNow();
          assertThat(t.cancel("stop now")).isTrue();
          assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
          assertThat(t.isCancelled()).isTrue();
          assertThat(t.cancel()).isFalse();
        });
    assertThat(r.events())
        .containsExactly("sleeping", "resource closed", "cancelled at sleep: stop now", "finally");
  }

  @Test
  void aTaskCancelledBeforeItStartsNeverRunsItsBody() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          Task<Void> t = Async.spawn(() -> r.add("ran"));
          t.cancel();
          assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
        });
    assertThat(r.events()).isEmpty();
  }

  @Test
  void aTaskThatCancelsItselfIsCancelledAtItsNextSuspension() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          Task<Void> t =
              Async.spawn(
                  () -> {
                    Async.currentTask().cancel();
                    r.add("still running after cancel()");
                    try {
                      Async.yieldNow();
                    } catch (CancelledError e) {
                      r.add("cancelled at yield");
                      throw e;
                    }
                  });
          assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
        });
    assertThat(r.events()).containsExactly("still running after cancel()", "cancelled at yield");
  }

  @Test
  void cancelRequestsAreCountedAndUncancelWithdrawsThem() {
    Async.run(
        () -> {
          Task<String> t =
              Async.spawn(
                  () -> {
                    try {
                      Async.sleep(Duration.ofHours(1));
                    } catch (CancelledError e) {
                      Task<?> me = Async.currentTask();
                      int before = me.cancelling();
                      int after = me.uncancel();
                      return before + "->" + after;
                    }
                    return "not cancelled";
                  });
          Async.yieldNow();
          t.cancel();
          t.cancel();
          assertThat(t.cancelling()).isEqualTo(2);
          assertThat(t.await()).isEqualTo("2->1");
        });
  }

  @Test
  void aTaskThatSwallowsCancellationKeepsRunningAndDebugModeReportsIt() {
    List<ExceptionContext> seen = new ArrayList<>();
    Recorder r = new Recorder();
    inDebugMode(
        seen,
        () -> {
          Task<String> t =
              Async.spawn(
                  "stubborn",
                  () -> {
                    try {
                      Async.sleep(Duration.ofHours(1));
                    } catch (CancelledError e) {
                      r.add("swallowed");
                    }
                    Async.yieldNow(); // not cancelled again: the request was delivered once
                    r.add("kept running");
                    return "finished anyway";
                  });
          Async.yieldNow();
          t.cancel();
          assertThat(t.await()).isEqualTo("finished anyway");
          assertThat(t.isCancelled()).isFalse();
        });
    assertThat(r.events()).containsExactly("swallowed", "kept running");
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).message()).contains("stubborn").contains("returned normally");
  }

  @Test
  void debugModeDoesNotBlameATaskWhoseCancellationTheTaskItAwaitedAbsorbed() {
    // outer is cancelled while it awaits inner; inner handles it (uncancel) and returns a value,
    // so outer never sees a CancelledError: nothing was swallowed (asyncio says nothing either)
    List<ExceptionContext> seen = new ArrayList<>();
    inDebugMode(
        seen,
        () -> {
          Task<String> inner =
              Async.spawn(
                  () -> {
                    try {
                      Async.sleep(Duration.ofHours(1));
                    } catch (CancelledError e) {
                      Async.currentTask().uncancel();
                    }
                    return "handled";
                  });
          Task<String> outer = Async.spawn("outer", inner::await);
          Async.yieldNow();
          outer.cancel();
          assertThat(outer.await()).isEqualTo("handled");
        });
    assertThat(seen).isEmpty();
  }

  @Test
  void aTaskCancelledAfterItsLastSuspensionEndsCancelledLikeAsyncio() {
    Async.run(
        () -> {
          Task<String> t =
              Async.spawn(
                  () -> {
                    Async.currentTask().cancel();
                    return "value";
                  });
          assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
          assertThat(t.isCancelled()).isTrue();
        });
  }

  @Test
  void awaitingATaskPassesTheAwaitersCancellationOnToIt() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          Task<Void> inner =
              Async.spawn(
                  () -> {
                    try {
                      Async.sleep(Duration.ofHours(1));
                    } finally {
                      r.add("inner unwound");
                    }
                  });
          Task<Void> outer = Async.spawn(() -> inner.await());
          Async.yieldNow();
          outer.cancel();
          assertThatThrownBy(outer::await).isInstanceOf(CancelledError.class);
          assertThat(inner.isCancelled()).isTrue();
        });
    assertThat(r.events()).containsExactly("inner unwound");
  }

  @Test
  void doneCallbacksRunInRegistrationOrderAfterCompletion() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          Task<Integer> t = Async.spawn(() -> 5);
          t.addDoneCallback(x -> r.add("first " + x.result()));
          java.util.function.Consumer<Awaitable<Integer>> removed = x -> r.add("removed");
          t.addDoneCallback(removed);
          t.addDoneCallback(x -> r.add("second"));
          assertThat(t.removeDoneCallback(removed)).isEqualTo(1);
          t.await();
          Async.yieldNow();
          t.addDoneCallback(x -> r.add("added after done"));
          Async.yieldNow();
        });
    assertThat(r.events()).containsExactly("first 5", "second", "added after done");
  }

  @Test
  void resultAndExceptionAccessorsDoNotSuspend() {
    Async.run(
        () -> {
          Task<Integer> ok = Async.spawn(() -> 1);
          Task<Integer> bad =
              Async.spawn(
                  () -> {
                    throw new IllegalArgumentException("bad");
                  });
          assertThatThrownBy(ok::result)
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("not done");
          assertThatThrownBy(ok::exception).isInstanceOf(IllegalStateException.class);
          Async.yieldNow();
          assertThat(ok.result()).isEqualTo(1);
          assertThat(ok.exception()).isNull();
          assertThat(bad.exception()).hasMessage("bad");
          assertThatThrownBy(bad::result).isInstanceOf(IllegalArgumentException.class);
        });
  }

  @Test
  void checkedExceptionsAreWrappedAndUncheckedOnesPassUnchanged() {
    Async.run(
        () -> {
          Task<Object> checked =
              Async.spawn(
                  () -> {
                    throw new java.io.IOException("disk");
                  });
          assertThatThrownBy(checked::await)
              .isInstanceOf(AsyncException.class)
              .hasRootCauseMessage("disk");
          IllegalStateException ise = new IllegalStateException("same");
          Task<Object> unchecked =
              Async.spawn(
                  () -> {
                    throw ise;
                  });
          assertThatThrownBy(unchecked::await).isSameAs(ise);
        });
  }

  @Test
  void anEagerTaskRunsBeforeTheSpawnerContinues() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          Async.currentLoop().callSoon(() -> r.add("other ready work"));
          Task<Integer> t =
              Async.spawnEager(
                  () -> {
                    r.add("eager body");
                    return 3;
                  });
          r.add("spawner continues, task done=" + t.isDone());
          Task<Void> lazy = Async.spawn(() -> r.add("lazy body"));
          r.add("spawner continues, lazy done=" + lazy.isDone());
          lazy.await();
        });
    assertThat(r.events())
        .containsExactly(
            "eager body",
            "spawner continues, task done=true",
            "spawner continues, lazy done=false",
            "other ready work",
            "lazy body");
  }

  @Test
  void aNamedEagerTaskRunsAtOnceAndCarriesItsName() {
    Async.run(
        () -> {
          Task<Integer> t = Async.spawnEager("eager-one", () -> 4);
          assertThat(t.isDone()).isTrue();
          assertThat(t.name()).isEqualTo("eager-one");
          assertThat(t.result()).isEqualTo(4);
        });
  }

  @Test
  void aTaskCannotAwaitItselfAndAwaitingAnotherLoopsTaskFails() throws Exception {
    Async.run(
        () -> {
          Task<?>[] self = new Task<?>[1];
          Task<Object> t =
              Async.spawn(
                  () -> {
                    return self[0].await();
                  });
          self[0] = t;
          assertThatThrownBy(t::await)
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("itself");
        });
    try (Runner a = Runner.create();
        Runner b = Runner.create()) {
      Task<?> fromA = a.run(() -> Async.spawn(() -> 1));
      assertThatThrownBy(() -> b.run(() -> fromA.await()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another event loop");
      a.run(() -> fromA.await());
    }
  }

  @Test
  void currentTaskAndAllTasksDescribeTheLoop() {
    Async.run(
        () -> {
          Task<?> main = Async.currentTask();
          Task<Void> t = Async.spawn(() -> Async.sleep(Duration.ofMillis(1)));
          assertThat(Async.allTasks()).containsExactly(main, t);
          t.await();
          assertThat(Async.allTasks()).containsExactly(main);
        });
  }

  @Test
  void aTaskAwaitsACompletionStageCompletedByAnotherThread() {
    String v =
        Async.run(
            () -> {
              CompletableFuture<String> f = new CompletableFuture<>();
              Thread.ofPlatform().start(() -> f.complete("from another thread"));
              return Async.await(f);
            });
    assertThat(v).isEqualTo("from another thread");
    assertThatThrownBy(
            () ->
                Async.run(
                    () ->
                        Async.await(CompletableFuture.failedFuture(new java.io.IOException("io")))))
        .isInstanceOf(AsyncException.class)
        .hasRootCauseMessage("io");
  }

  @Test
  void cancellingATaskThatAwaitsAFutureCancelsTheFuture() {
    CompletableFuture<String> f = new CompletableFuture<>();
    Async.run(
        () -> {
          Task<String> t = Async.spawn(() -> Async.await(f));
          Async.yieldNow();
          t.cancel();
          assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
        });
    assertThat(f.isCancelled()).isTrue();
  }

  @Test
  void cancelledErrorIsNotCaughtByCatchException() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          Task<Void> t =
              Async.spawn(
                  () -> {
                    try {
                      Async.sleep(Duration.ofHours(1));
                    } catch (Exception e) {
                      r.add("caught by catch (Exception)");
                    }
                  });
          Async.yieldNow();
          t.cancel();
          assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
        });
    assertThat(r.events()).isEmpty();
    assertThat(Exception.class.isAssignableFrom(CancelledError.class)).isFalse();
  }

  @Test
  void theCancelMessageReachesTheTaskBeingAwaited() {
    Async.run(
        () -> {
          Task<Void> inner = Async.spawn(() -> Async.sleep(Duration.ofHours(1)));
          Task<String> outer =
              Async.spawn(
                  () -> {
                    inner.await();
                    return "not cancelled";
                  });
          Async.yieldNow();
          outer.cancel("shutting down");
          // awaiting a cancelled task chains its CancelledError as the cause
          assertThatThrownBy(outer::await).hasRootCauseMessage("shutting down");
          // as asyncio's Task.cancel(msg): the awaited task was cancelled with the same message
          assertThatThrownBy(inner::await).hasRootCauseMessage("shutting down");
        });
  }

  @Test
  void aLaterCancellationWithoutAMessageDoesNotReuseAnEarlierOnesMessage() {
    Async.run(
        () -> {
          Task<String> t =
              Async.spawn(
                  () -> {
                    try {
                      Async.sleep(Duration.ofHours(1));
                    } catch (CancelledError e) {
                      Async.currentTask().uncancel(); // handled: goes on
                    }
                    try {
                      Async.sleep(Duration.ofHours(1));
                      return "not cancelled";
                    } catch (CancelledError e) {
                      return e.getMessage();
                    }
                  });
          Async.yieldNow();
          t.cancel("first reason");
          Async.yieldNow();
          t.cancel();
          assertThat(t.await()).isNotEqualTo("first reason").contains("was cancelled");
        });
  }

  @Test
  void debugModeReportsASwallowedCancellationThatCameThroughGather() {
    List<ExceptionContext> seen = new ArrayList<>();
    inDebugMode(
        seen,
        () -> {
          Task<String> t =
              Async.spawn(
                  "swallower",
                  () -> {
                    try {
                      Async.gather(Async.spawn(() -> Async.sleep(Duration.ofHours(1))));
                    } catch (CancelledError e) {
                      // swallowed, no uncancel()
                    }
                    return "done";
                  });
          Async.yieldNow();
          t.cancel();
          assertThat(t.await()).isEqualTo("done");
        });
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).message()).contains("swallower").contains("returned normally");
  }

  @Test
  void debugModeForgetsACancellationHandledEarlierWhenJudgingALaterOne() {
    // an earlier timeout (a cancellation seen and withdrawn) must not make a later, absorbed one
    // look swallowed
    List<ExceptionContext> seen = new ArrayList<>();
    inDebugMode(
        seen,
        () -> {
          Task<String> inner =
              Async.spawn(
                  () -> {
                    try {
                      Async.sleep(Duration.ofHours(1));
                    } catch (CancelledError e) {
                      Async.currentTask().uncancel();
                    }
                    return "handled";
                  });
          io.jasyncio.sync.Event awaiting = new io.jasyncio.sync.Event();
          Task<String> outer =
              Async.spawn(
                  "outer",
                  () -> {
                    Async.moveOnAfter(Duration.ZERO, () -> Async.sleep(Duration.ofHours(1)));
                    awaiting.set();
                    return inner.await();
                  });
          awaiting.await(); // outer now waits in inner.await()
          outer.cancel();
          assertThat(outer.await()).isEqualTo("handled");
        });
    assertThat(seen).isEmpty();
  }
}
