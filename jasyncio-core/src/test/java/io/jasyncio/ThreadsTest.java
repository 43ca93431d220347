package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ThreadsTest {
  private static final ContextVar<String> USER = ContextVar.newInstance("user");

  @Test
  void toThreadSuspendsOnlyTheCallingTaskWhileOtherTasksRun() {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    String result =
        Async.run(
            () -> {
              CountDownLatch release = new CountDownLatch(1);
              CompletableFuture<Void> started = new CompletableFuture<>();
              Task<String> blocking =
                  Async.spawn(
                      () ->
                          Threads.toThread(
                              () -> {
                                events.add("worker started");
                                started.complete(null);
                                release.await();
                                events.add("worker done");
                                return "from " + Thread.currentThread().getName();
                              }));
              Async.await(started);
              events.add("loop still runs tasks");
              release.countDown();
              return blocking.await();
            });
    assertThat(events).containsExactly("worker started", "loop still runs tasks", "worker done");
    assertThat(result).startsWith("from jasyncio-to-thread-");
  }

  @Test
  void toThreadRunsOnAGivenExecutorAndRethrowsFailures() {
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "my-pool"));
    try {
      Async.run(
          () -> {
            assertThat(Threads.toThread(pool, () -> Thread.currentThread().getName()))
                .isEqualTo("my-pool");
            IllegalStateException boom = new IllegalStateException("boom");
            assertThatThrownBy(
                    () ->
                        Threads.toThread(
                            pool,
                            () -> {
                              throw boom;
                            }))
                .isSameAs(boom);
            assertThatThrownBy(
                    () ->
                        Threads.toThread(
                            () -> {
                              throw new IOException("disk");
                            }))
                .isInstanceOf(AsyncException.class)
                .hasCauseInstanceOf(IOException.class);
          });
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void cancellingTheAwaitingTaskInterruptsTheWorkerAndRaisesCancelledError() {
    Async.run(
        () -> {
          CompletableFuture<Void> started = new CompletableFuture<>();
          CompletableFuture<String> workerSaw = new CompletableFuture<>();
          Task<String> t =
              Async.spawn(
                  () ->
                      Threads.toThread(
                          () -> {
                            started.complete(null);
                            try {
                              new CountDownLatch(1).await();
                              return "not reached";
                            } catch (InterruptedException e) {
                              workerSaw.complete("interrupted");
                              throw e;
                            }
                          }));
          Async.await(started);
          t.cancel();
          assertThat(Async.await(workerSaw)).isEqualTo("interrupted");
          assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
          assertThat(t.isCancelled()).isTrue();
        });
  }

  @Test
  void workCancelledBeforeItStartsNeverRuns() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    CountDownLatch gate = new CountDownLatch(1);
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    try {
      pool.execute(
          () -> {
            try {
              gate.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      Async.run(
          () -> {
            Task<String> t = Async.spawn(() -> Threads.toThread(pool, () -> ran.add("x") + ""));
            Async.yieldNow(); // t is now waiting behind the blocked pool thread
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
            gate.countDown();
          });
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(ran).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theContextTravelsToTheWorkerAndSetsThereStayThere() {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Async.run(
          () -> {
            USER.set("alice");
            assertThat(Threads.toThread(() -> USER.get())).isEqualTo("alice");
            String inWorker =
                Threads.toThread(
                    pool,
                    () -> {
                      USER.set("bob");
                      return USER.get();
                    });
            assertThat(inWorker).isEqualTo("bob");
            assertThat(USER.get()).isEqualTo("alice");
            // the pool thread's own context is restored after each call
            USER.set("carol");
            assertThat(Threads.toThread(pool, () -> USER.get())).isEqualTo("carol");
          });
      assertThat(CompletableFuture.supplyAsync(() -> USER.get("none"), pool).join())
          .isEqualTo("none");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void toThreadRejectsBadArgumentsAndCallsOutsideATask() {
    assertThatThrownBy(() -> Threads.toThread(() -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("toThread must be called from a task");
    Async.run(
        () -> {
          assertThatThrownBy(() -> Threads.toThread(null))
              .isInstanceOf(NullPointerException.class)
              .hasMessage("work");
          assertThatThrownBy(() -> Threads.toThread(null, () -> 1))
              .isInstanceOf(NullPointerException.class)
              .hasMessage("executor");
          ExecutorService dead = Executors.newSingleThreadExecutor();
          dead.shutdown();
          assertThatThrownBy(() -> Threads.toThread(dead, () -> 1))
              .isInstanceOf(RejectedExecutionException.class);
          // the task was not left suspended: it goes on
          Async.yieldNow();
        });
  }

  // ---- the other direction: threads submitting to a loop ----

  @Test
  void submitFromAPlatformThreadRunsATaskAndCarriesTheThreadsContext() throws Exception {
    try (LoopGroup group = LoopGroup.create(1)) {
      EventLoop loop = group.loop(0);
      CompletableFuture<String> f =
          CompletableFuture.supplyAsync(
                  () -> {
                    USER.set("submitter");
                    return loop.submit(
                        () -> {
                          Async.yieldNow();
                          return USER.get() + " on " + (Async.currentLoop() == loop);
                        });
                  },
                  r -> Thread.ofPlatform().start(r))
              .thenCompose(x -> x);
      assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("submitter on true");
    }
  }

  @Test
  void cancellingTheFutureOfSubmitCancelsTheTask() throws Exception {
    try (LoopGroup group = LoopGroup.create(1)) {
      EventLoop loop = group.loop(0);
      CompletableFuture<Void> started = new CompletableFuture<>();
      CompletableFuture<String> cleanup = new CompletableFuture<>();
      CompletableFuture<String> f =
          loop.submit(
              () -> {
                Promise<String> never = Async.promise();
                started.complete(null);
                try {
                  return never.await();
                } catch (CancelledError e) {
                  cleanup.complete("task cancelled");
                  throw e;
                }
              });
      started.get(30, TimeUnit.SECONDS);
      assertThat(f.cancel(true)).isTrue();
      assertThat(cleanup.get(30, TimeUnit.SECONDS)).isEqualTo("task cancelled");
      assertThat(f.isCancelled()).isTrue();
    }
  }

  @Test
  @Tag("stress")
  @Timeout(120)
  void eightPlatformThreadsHammeringCallSoonThreadsafeAndSubmitRunEachOfTwentyThousandOnce()
      throws Exception {
    int threads = 8;
    int perThread = 2_500;
    int[] runs = new int[threads * perThread]; // touched on the loop only
    try (LoopGroup group = LoopGroup.create(1)) {
      EventLoop loop = group.loop(0);
      CountDownLatch go = new CountDownLatch(1);
      List<List<CompletableFuture<Integer>>> futures = new ArrayList<>();
      List<Thread> ts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<CompletableFuture<Integer>> mine = new ArrayList<>();
        futures.add(mine);
        int base = t * perThread;
        ts.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        go.await();
                      } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                      for (int i = 0; i < perThread; i++) {
                        int id = base + i;
                        if (i % 2 == 0) {
                          loop.callSoonThreadsafe(() -> runs[id]++);
                        } else {
                          mine.add(
                              loop.submit(
                                  () -> {
                                    runs[id]++;
                                    return id;
                                  }));
                        }
                      }
                    }));
      }
      go.countDown();
      for (Thread t : ts) {
        t.join();
      }
      long sum = 0;
      for (List<CompletableFuture<Integer>> mine : futures) {
        assertThat(mine).hasSize(perThread / 2);
        for (CompletableFuture<Integer> f : mine) {
          sum += f.get(60, TimeUnit.SECONDS);
        }
      }
      // Every thread's callbacks were queued before its last submit; one more round trip
      // through the inbox reads the counts on the loop.
      int[] snapshot = loop.submit(() -> runs.clone()).get(60, TimeUnit.SECONDS);
      for (int id = 0; id < snapshot.length; id++) {
        assertThat(snapshot[id]).as("runs of %d", id).isEqualTo(1);
      }
      long expected = 0;
      for (int t = 0; t < threads; t++) {
        for (int i = 1; i < perThread; i += 2) {
          expected += t * perThread + i;
        }
      }
      assertThat(sum).isEqualTo(expected);
    }
  }

  static final ContextVar<String> WHERE = ContextVar.newInstance("where", "-");

  @Test
  void anExecutorThatRunsTheWorkOnTheLoopItselfIsAClearErrorAndTheWorkDoesNotRun() {
    List<String> ran = new ArrayList<>();
    Async.run(
        () -> {
          WHERE.set("task");
          assertThatThrownBy(
                  () ->
                      Threads.toThread(
                          Runnable::run, // a direct executor: runs inline, on the loop
                          () -> {
                            ran.add("work");
                            WHERE.set("work");
                            return null;
                          }))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("on an event loop's thread");
          assertThat(WHERE.get()).isEqualTo("task");
          return null;
        });
    assertThat(ran).isEmpty();
  }
}
