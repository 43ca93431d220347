package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bugs found in review, each pinned by the scenario that showed it. */
class RegressionTest {

  @Test
  void asCompletedReturnsInputsThatWereAlreadyDone() {
    List<String> out = new ArrayList<>();
    Async.run(
        () -> {
          Promise<String> done = Async.promise();
          done.complete("early");
          Task<String> later =
              Async.spawn(
                  () -> {
                    Async.sleep(Duration.ofMillis(1));
                    return "later";
                  });
          for (Awaitable<String> a : Async.asCompleted(List.of(later, done), null)) {
            out.add(a.result());
          }
        });
    assertThat(out).containsExactly("early", "later");
  }

  @Test
  void aWaitThatEndedDoesNotResumeItsTaskLater() {
    Recorder r = new Recorder();
    VirtualTime.run( // the sleep's length is then exact: a stale wake-up would shorten it
        () -> {
          Promise<Integer> p = Async.promise();
          Task<Void> t =
              Async.spawn(
                  () -> {
                    try {
                      Async.wait(List.of(p), WaitMode.FIRST_COMPLETED);
                    } catch (CancelledError e) {
                      Async.currentTask().uncancel();
                    }
                    long before = Async.currentLoop().time();
                    Async.sleep(Duration.ofMillis(20));
                    r.add("slept " + Duration.ofNanos(Async.currentLoop().time() - before));
                  });
          Async.yieldNow();
          t.cancel();
          p.complete(1); // its completion callback is queued behind the cancellation
          t.await();
        });
    assertThat(r.events()).containsExactly("slept PT0.02S");
  }

  @Test
  void aTaskThatLeavesItsInterruptStatusSetDoesNotBreakTheLoop() {
    boolean stillInterrupted =
        Async.run(
            () -> {
              Thread.currentThread().interrupt();
              Async.sleep(Duration.ofMillis(1));
              Async.yieldNow();
              return Thread.currentThread().isInterrupted();
            });
    assertThat(stillInterrupted)
        .isFalse(); // cleared at suspension points, see LoopImpl.parkCarrier
  }

  @Test
  void failuresNobodyRetrievedAreReportedInTheOrderTheyHappened() {
    List<String> seen = new ArrayList<>();
    try (Runner runner =
        Runner.builder().exceptionHandler((l, c) -> seen.add(c.exception().getMessage())).build()) {
      runner.run(
          () -> {
            for (int i = 0; i < 8; i++) {
              String msg = "e" + i;
              Async.spawn(
                  () -> {
                    throw new IllegalStateException(msg);
                  });
            }
            Async.yieldNow();
          });
    }
    assertThat(seen).containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7");
  }

  @Test
  void aSleepOnANegativeClockStillWakesUp() {
    long d = io.jasyncio.internal.LoopImpl.deadline(Long.MIN_VALUE / 2, 1_000);
    assertThat(d).isEqualTo(Long.MIN_VALUE / 2 + 1_000);
    assertThat(io.jasyncio.internal.LoopImpl.deadline(Long.MAX_VALUE - 5, 100))
        .isEqualTo(Long.MAX_VALUE - 1);
  }
}
