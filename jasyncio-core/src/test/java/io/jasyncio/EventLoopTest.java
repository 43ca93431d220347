package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.internal.LoopImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EventLoopTest {

  @Test
  void readyWorkRunsFirstInFirstOutInTheOrderItBecameReady() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          EventLoop loop = Async.currentLoop();
          loop.callSoon(() -> r.add("callback 1"));
          Task<Void> t = Async.spawn(() -> r.add("task A"));
          loop.callSoon(() -> r.add("callback 2"));
          Async.spawn(() -> r.add("task B"));
          Async.yieldNow();
          r.add("main after yield");
          t.await();
        });
    assertThat(r.events())
        .containsExactly("callback 1", "task A", "callback 2", "task B", "main after yield");
  }

  @Test
  void timerTiesFireInSchedulingOrderAndTimersInDeadlineOrder() {
    Recorder r = new Recorder();
    VirtualTime.run( // each deadline is reached on its own: "earlier" fires alone, then the ties
        () -> {
          EventLoop loop = Async.currentLoop();
          long at = loop.time() + Duration.ofMillis(20).toNanos();
          loop.callAt(at + 1, () -> r.add("later at " + (loop.time() - at)));
          loop.callAt(at, () -> r.add("tie 1 at " + (loop.time() - at)));
          loop.callAt(at, () -> r.add("tie 2"));
          loop.callAt(at - 1, () -> r.add("earlier at " + (loop.time() - at)));
          loop.callAt(at, () -> r.add("tie 3"));
          Async.sleep(Duration.ofMillis(40));
        });
    assertThat(r.events())
        .containsExactly("earlier at -1", "tie 1 at 0", "tie 2", "tie 3", "later at 1");
  }

  @Test
  void aCancelledHandleNeverRuns() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          EventLoop loop = Async.currentLoop();
          Handle h = loop.callSoon(() -> r.add("soon"));
          TimerHandle th = loop.callLater(Duration.ofMillis(1), () -> r.add("later"));
          h.cancel();
          th.cancel();
          assertThat(h.isCancelled()).isTrue();
          Async.sleep(Duration.ofMillis(5));
        });
    assertThat(r.events()).isEmpty();
  }

  @Test
  void callSoonThreadsafeRunsWorkFromAnotherThreadOnTheLoop() throws Exception {
    AtomicReference<Boolean> onLoop = new AtomicReference<>();
    Async.run(
        () -> {
          EventLoop loop = Async.currentLoop();
          Promise<String> p = Async.promise();
          Thread other =
              Thread.ofPlatform()
                  .start(
                      () ->
                          loop.callSoonThreadsafe(
                              () -> {
                                onLoop.set(((LoopImpl) loop).inLoopThread());
                                p.complete("from thread");
                              }));
          assertThat(p.await()).isEqualTo("from thread");
          other.join();
        });
    assertThat(onLoop.get()).isTrue();
  }

  @Test
  void submitRunsATaskFromAnyThreadAndCompletesAFuture() throws Exception {
    try (Runner runner = Runner.create()) {
      EventLoop loop = runner.loop();
      CompletableFuture<Integer>[] f = new CompletableFuture[1];
      CompletableFuture<Void> submitted = new CompletableFuture<>();
      runner.run(
          () -> {
            Thread.ofPlatform()
                .start(
                    () -> {
                      f[0] =
                          loop.submit(
                              () -> {
                                Async.sleep(Duration.ofMillis(1));
                                return 42;
                              });
                      submitted.complete(null);
                    });
            Async.await(submitted); // the loop runs on meanwhile: the submission is served
            return Async.await(f[0]);
          });
      assertThat(f[0].get(5, TimeUnit.SECONDS)).isEqualTo(42);
    }
  }

  @Test
  void aSuspendingCallOutsideAnyLoopFailsAtOnceSayingWhatToDo() {
    assertThatThrownBy(() -> Async.sleep(Duration.ofMillis(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Async.run");
    assertThatThrownBy(Async::yieldNow).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Async.spawn(() -> 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(Async::currentTask).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aSuspendingCallInALoopCallbackFailsAndReachesTheHandler() {
    List<ExceptionContext> seen = new ArrayList<>();
    try (Runner runner = Runner.builder().exceptionHandler((l, c) -> seen.add(c)).build()) {
      runner.run(
          () -> {
            Async.currentLoop().callSoon(() -> Async.sleep(Duration.ofMillis(1)));
            Async.sleep(Duration.ofMillis(2));
          });
    }
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).exception())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("callback");
  }

  @Test
  void anExceptionInACallbackReachesTheHandlerAndTheLoopGoesOn() {
    List<ExceptionContext> seen = new ArrayList<>();
    Recorder r = new Recorder();
    try (Runner runner = Runner.builder().exceptionHandler((l, c) -> seen.add(c)).build()) {
      runner.run(
          () -> {
            Async.currentLoop()
                .callSoon(
                    () -> {
                      throw new IllegalArgumentException("boom");
                    });
            Async.currentLoop().callSoon(() -> r.add("next callback"));
            Async.yieldNow();
          });
    }
    assertThat(seen).extracting(ExceptionContext::exception).hasSize(1);
    assertThat(seen.get(0).exception()).hasMessage("boom");
    assertThat(r.events()).containsExactly("next callback");
  }

  @Test
  void aRunnerRunsSeveralMainsAndTasksLeftPendingContinueInTheNextRun() {
    Recorder r = new Recorder();
    try (Runner runner = Runner.create()) {
      Task<?>[] background = new Task<?>[1];
      runner.run(
          () -> {
            background[0] =
                Async.spawn(
                    () -> {
                      r.add("background started");
                      Async.sleep(Duration.ofMillis(1));
                      r.add("background finished");
                    });
          });
      r.add("between runs");
      runner.run(() -> background[0].await());
      assertThat(background[0].isDone()).isTrue();
    }
    assertThat(r.events())
        .containsExactly("background started", "between runs", "background finished");
  }

  @Test
  void closeCancelsPendingTasksLetsTheirFinallyBlocksAwaitAndReleasesThreads() {
    Recorder r = new Recorder();
    Runner runner = Runner.create();
    runner.run(
        () -> {
          Async.spawn(
              () -> {
                try {
                  Async.sleep(Duration.ofHours(1));
                } finally {
                  r.add("finally");
                  Async.sleep(Duration.ofMillis(1)); // cleanup may still wait
                  r.add("cleanup done");
                }
              });
          Async.yieldNow();
        });
    runner.close();
    assertThat(r.events()).containsExactly("finally", "cleanup done");
    assertThat(runner.loop().isClosed()).isTrue();
    assertThat(((LoopImpl) runner.loop()).liveCarrierCount()).isZero();
    runner.close(); // idempotent
  }

  @Test
  void anUnretrievedTaskExceptionReachesTheHandlerWithTheTaskNameAtCloseAtTheLatest() {
    List<ExceptionContext> seen = new ArrayList<>();
    try (Runner runner = Runner.builder().exceptionHandler((l, c) -> seen.add(c)).build()) {
      runner.run(
          () -> {
            Async.spawn(
                "doomed",
                () -> {
                  throw new IllegalStateException("nobody looks at me");
                });
            Async.yieldNow();
            Async.yieldNow();
            return null;
          });
    }
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).message()).contains("never retrieved").contains("doomed");
    assertThat(seen.get(0).exception()).hasMessage("nobody looks at me");
  }

  @Test
  void aRetrievedTaskExceptionIsNotReported() {
    List<ExceptionContext> seen = new ArrayList<>();
    try (Runner runner = Runner.builder().exceptionHandler((l, c) -> seen.add(c)).build()) {
      runner.run(
          () -> {
            Task<Object> t =
                Async.spawn(
                    () -> {
                      throw new IllegalStateException("seen");
                    });
            assertThatThrownBy(t::await).hasMessage("seen");
          });
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void theMainTasksFailureIsRethrownByRun() {
    assertThatThrownBy(
            () ->
                Async.run(
                    () -> {
                      throw new UnsupportedOperationException("main failed");
                    }))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("main failed");
    assertThatThrownBy(
            () ->
                Async.run(
                    () -> {
                      throw new java.io.IOException("checked");
                    }))
        .isInstanceOf(AsyncException.class)
        .hasCauseInstanceOf(java.io.IOException.class);
  }

  @Test
  void timeIsMonotonicAndCallLaterWaitsAtLeastTheDelay() {
    Async.run(
        () -> {
          EventLoop loop = Async.currentLoop();
          long t0 = loop.time();
          Promise<Long> p = Async.promise();
          loop.callLater(Duration.ofMillis(5), () -> p.complete(loop.time()));
          assertThat(p.await() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(5).toNanos());
        });
  }

  @Test
  void theSameProgramProducesTheSameTraceEveryRun() {
    assertThat(DeterminismProgram.trace()).isEqualTo(DeterminismProgram.trace());
    assertThat(DeterminismProgram.trace()).hasSize(15);
  }

  @Test
  void badArgumentsAreRejectedWithMessagesNamingThem() {
    Async.run(
        () -> {
          EventLoop loop = Async.currentLoop();
          assertThatThrownBy(() -> loop.callSoon(null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("callback");
          assertThatThrownBy(() -> loop.callLater(Duration.ofMillis(-1), () -> {}))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("delay");
          assertThatThrownBy(() -> loop.callLater(null, () -> {}))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("delay");
          assertThatThrownBy(() -> loop.spawn(null)).isInstanceOf(NullPointerException.class);
          assertThatThrownBy(() -> Async.sleep(Duration.ofSeconds(-1)))
              .isInstanceOf(IllegalArgumentException.class);
          assertThatThrownBy(() -> Async.sleep(null)).isInstanceOf(NullPointerException.class);
          assertThatThrownBy(() -> Async.spawn("x", null)).isInstanceOf(NullPointerException.class);
          assertThatThrownBy(() -> Async.run((java.util.concurrent.Callable<Object>) () -> 1))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("inside a running one");
        });
    assertThatThrownBy(() -> Async.run((java.util.concurrent.Callable<Object>) null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aClosedLoopRejectsWork() {
    Runner runner = Runner.create();
    runner.run(() -> 1);
    runner.close();
    assertThatThrownBy(() -> runner.run(() -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> runner.loop().callSoonThreadsafe(() -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void loopMethodsFromAForeignThreadFailClearly() throws Exception {
    try (Runner runner = Runner.create()) {
      runner.run(() -> 1);
      assertThatThrownBy(() -> runner.loop().callSoon(() -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("callSoonThreadsafe");
      CompletableFuture<Integer> f = runner.loop().submit(() -> 7);
      assertThat(runner.run(() -> Async.await(f))).isEqualTo(7);
      assertThat(f.get()).isEqualTo(7);
    } catch (ExecutionException e) {
      throw e;
    }
  }

  @Test
  void interruptingTheThreadThatRunsTheLoopCancelsTheMainTaskAndLetsItCleanUp() throws Exception {
    CountDownLatch sleeping = new CountDownLatch(1);
    List<String> events = new ArrayList<>();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
    Thread runner =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    Async.run(
                        () -> {
                          try {
                            sleeping.countDown();
                            Async.sleep(Duration.ofDays(1));
                          } finally {
                            Async.sleep(Duration.ofMillis(1)); // clean-up may still await
                            events.add("cleaned up");
                          }
                          return null;
                        });
                  } catch (Throwable t) {
                    outcome.set(t);
                  }
                  interruptedAfter.set(Thread.currentThread().isInterrupted());
                });
    assertThat(sleeping.await(10, TimeUnit.SECONDS)).isTrue();
    runner.interrupt();
    runner.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(runner.isAlive()).isFalse();
    assertThat(events).containsExactly("cleaned up");
    assertThat(outcome.get())
        .isInstanceOf(CancelledError.class)
        .hasMessageContaining("interrupted");
    assertThat(interruptedAfter.get()).isTrue();
  }

  @Test
  void aSubmissionToALoopThatClosesWithoutEverRunningEndsCancelled() throws Exception {
    Runner r = Runner.create();
    CompletableFuture<Integer> f = r.loop().submit(() -> 1);
    r.close(); // "close cancels what remains": the caller must not wait for good
    assertThat(f.isCancelled()).isTrue();
    assertThatThrownBy(() -> r.loop().submit(() -> 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void submissionsRacingWithCloseAllEnd() throws Exception {
    for (int round = 0; round < 5; round++) {
      Runner r = Runner.create();
      r.run(() -> null); // the loop has run: close cancels tasks, then stops
      EventLoop loop = r.loop();
      List<CompletableFuture<Integer>> futures = new java.util.concurrent.CopyOnWriteArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        go.await();
                        for (int i = 0; i < 200; i++) {
                          futures.add(loop.submit(() -> 1));
                        }
                      } catch (IllegalStateException closed) {
                        // refused: the loop is closed
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
      }
      go.countDown();
      r.close();
      for (Thread th : threads) {
        th.join();
      }
      // each ran, failed ("closing"), or was cancelled: none is left pending
      assertThat(futures).allSatisfy(f -> assertThat(f).isDone());
    }
  }
}
