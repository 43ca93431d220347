package io.jasyncio.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.Runner;
import io.jasyncio.internal.LoopImpl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How an idle loop with channels waits: on a platform thread of its own (internal.io.SelectThread)
 * while its carrier parks. The build runs this in both carrier modes.
 */
@Timeout(30)
class SelectThreadTest {
  static List<Thread> selectThreadsOf(int loopId) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("jasyncio-select-" + loopId) && t.isAlive())
        .toList();
  }

  @Test
  void anIdleLoopSelectsOnItsOwnThreadAndCloseEndsIt() {
    Runner r = Runner.create();
    int id;
    try {
      id =
          r.run(
              () -> {
                try (Server server = Streams.startServer("127.0.0.1", 0, c -> {})) {
                  Async.sleep(Duration.ofMillis(5)); // idle with a channel: a blocking select
                  assertThat(server.isClosed()).isFalse();
                }
                return ((LoopImpl) Async.currentLoop()).id();
              });
      assertThat(selectThreadsOf(id)).hasSize(1);
    } finally {
      r.close();
    }
    assertThat(selectThreadsOf(id)).as("no thread of a closed loop is left").isEmpty();
  }

  @Test
  void aWakeupFromAnotherThreadEndsASelectWithoutDeadline() {
    // No timer is pending while the task awaits, so the loop selects with no time limit; only
    // the completing thread's wakeup can end that select.
    String got =
        Async.run(
            () -> {
              try (Server server = Streams.startServer("127.0.0.1", 0, c -> {})) {
                CompletableFuture<String> cf = new CompletableFuture<>();
                Thread.ofPlatform()
                    .start(
                        () -> {
                          try {
                            Thread.sleep(20);
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          cf.complete("woken");
                        });
                return Async.await(cf);
              }
            });
    assertThat(got).isEqualTo("woken");
  }

  @Test
  void aTaskThatInterruptedItselfStillSleepsWithChannelsOpen() {
    // The interrupt flag sits on the carrier that may next wait for the loop; the wait must
    // neither return early for good nor throw. The sleep ending by its timer is the assertion.
    String got =
        Async.run(
            () -> {
              try (Server server = Streams.startServer("127.0.0.1", 0, c -> {})) {
                Thread.currentThread().interrupt();
                Async.sleep(Duration.ofMillis(20));
                Thread.interrupted();
                return "slept";
              }
            });
    assertThat(got).isEqualTo("slept");
  }

  /**
   * Async.run on a thread that gets interrupted (JUnit's @Timeout, shutdownNow) with a socket open:
   * the main task is cancelled, and the close that follows still releases everything. It used to be
   * cancelled itself by the pending interrupt and skip the sockets and this thread.
   */
  @Test
  void anInterruptedRunStillReleasesItsSocketsAndSelectThread() {
    AtomicInteger loopId = new AtomicInteger();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    AtomicBoolean interruptedAfter = new AtomicBoolean();
    CountDownLatch serving = new CountDownLatch(1);
    FdCount.assertNoLeak(
        () -> {
          Thread runner =
              Thread.ofPlatform()
                  .start(
                      () -> {
                        try {
                          Async.run(
                              () -> {
                                loopId.set(((LoopImpl) Async.currentLoop()).id());
                                Server server =
                                    Streams.startServer(
                                        "127.0.0.1", 0, c -> Async.sleep(Duration.ofDays(1)));
                                Connection c = Streams.openConnection("127.0.0.1", server.port());
                                serving.countDown();
                                c.reader().read(1); // nothing comes: waits until cancelled
                                return null;
                              });
                        } catch (Throwable t) {
                          outcome.set(t);
                        }
                        interruptedAfter.set(Thread.currentThread().isInterrupted());
                      });
          try {
            assertThat(serving.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(20); // the loop is idle in its select now, or soon
            runner.interrupt();
            runner.join(TimeUnit.SECONDS.toMillis(20));
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
          assertThat(runner.isAlive()).isFalse();
        });
    assertThat(outcome.get()).isInstanceOf(CancelledError.class);
    assertThat(interruptedAfter.get()).as("the interrupt status is kept").isTrue();
    assertThat(selectThreadsOf(loopId.get())).isEmpty();
  }
}
