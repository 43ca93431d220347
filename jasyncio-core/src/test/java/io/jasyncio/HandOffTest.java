package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.sync.AsyncQueue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-offs between carriers, including the ones that skip the unpark because the waiting carrier
 * still spins for the baton (BatonSpinner). A lost wake-up would hang these tests (Surefire's
 * timeout ends them); a doubled one would break the order checks.
 */
class HandOffTest {

  /** Busy work of a few microseconds, so that some spins time out and the waiter parks. */
  private static long burn(int rounds) {
    long x = rounds;
    for (int i = 0; i < rounds * 200; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    return x;
  }

  @Test
  void twoTasksThatWakeEachOtherLoseNoWakeUpWhetherTheWaiterSpinsOrParks() {
    int n = 50_000;
    long[] sink = {0};
    int done =
        Async.run(
            () -> {
              AsyncQueue<Integer> there = AsyncQueue.fifo(1);
              AsyncQueue<Integer> back = AsyncQueue.fifo(1);
              Task<Integer> ping =
                  Async.spawn(
                      () -> {
                        for (int i = 0; i < n; i++) {
                          there.put(i);
                          if (back.get() != i) {
                            throw new AssertionError("out of order at " + i);
                          }
                          if (i % 1000 == 0) {
                            sink[0] += burn(i % 7000 / 100); // up to tens of microseconds
                          }
                        }
                        return n;
                      });
              Task<Void> pong =
                  Async.spawn(
                      () -> {
                        for (int i = 0; i < n; i++) {
                          back.put(there.get());
                        }
                        return null;
                      });
              pong.await();
              return ping.await();
            });
    assertThat(done).isEqualTo(n);
  }

  @Test
  void aRingOfTasksPassesATokenInOrderWhileCarriersSpinAndPark() {
    int tasks = 5;
    int laps = 5_000;
    List<Integer> seen = new ArrayList<>();
    Async.run(
        () -> {
          List<AsyncQueue<Integer>> links = new ArrayList<>();
          for (int i = 0; i < tasks; i++) {
            links.add(AsyncQueue.fifo(1));
          }
          List<Task<Void>> ring = new ArrayList<>();
          for (int k = 0; k < tasks; k++) {
            int me = k;
            ring.add(
                Async.spawn(
                    () -> {
                      for (int lap = 0; lap < laps; lap++) {
                        int token = links.get(me).get();
                        if (me == 0) {
                          seen.add(token);
                        }
                        if (token % 997 == 0) {
                          Async.sleep(java.time.Duration.ZERO);
                        }
                        links.get((me + 1) % tasks).put(token + 1);
                      }
                      return null;
                    }));
          }
          links.get(0).put(0);
          for (Task<Void> t : ring) {
            t.await();
          }
        });
    assertThat(seen).hasSize(laps);
    for (int lap = 0; lap < laps; lap++) {
      assertThat(seen.get(lap)).isEqualTo(lap * tasks);
    }
  }

  @Test
  void aThreadJobStillRunsWhileTwoTasksKeepTradingTheBaton() {
    // Two spinning carriers could hold both scheduler threads of a 2-core machine for as long as
    // the exchange lasts; the spinner parks once every 256 hops so that other virtual threads run.
    // (A liveness check: scheduling noise often lets the job in even without that rule.)
    int maxHops = 2_000_000;
    java.util.concurrent.atomic.AtomicBoolean jobRan =
        new java.util.concurrent.atomic.AtomicBoolean();
    int hops =
        Async.run(
            () -> {
              Task<Void> job =
                  Async.spawn(
                      () -> {
                        Async.toThread(() -> jobRan.getAndSet(true));
                      });
              AsyncQueue<Integer> there = AsyncQueue.fifo(1);
              AsyncQueue<Integer> back = AsyncQueue.fifo(1);
              Task<Void> pong =
                  Async.spawn(
                      () -> {
                        for (int v = there.get(); v >= 0; v = there.get()) {
                          back.put(v);
                        }
                      });
              int i = 0;
              while (!jobRan.get() && i < maxHops) {
                there.put(i);
                back.get();
                i += 2;
              }
              there.put(-1);
              pong.await();
              job.await();
              return i;
            });
    assertThat(jobRan).isTrue();
    assertThat(hops).isLessThan(maxHops);
  }
}
