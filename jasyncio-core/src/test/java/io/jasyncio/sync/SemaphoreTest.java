package io.jasyncio.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SemaphoreTest {
  @Test
  void atMostNTasksHoldAPermitAndTheRestAreServedInArrivalOrder() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var sem = new Semaphore(2);
              Async.taskGroup(
                  g -> {
                    for (int i = 1; i <= 4; i++) {
                      String name = "t" + i;
                      g.spawn(
                          () -> {
                            try (var p = sem.permit()) {
                              trace.add(name + " in");
                              Async.yieldNow();
                              trace.add(name + " out");
                            }
                          });
                    }
                  });
              trace.add("available=" + sem.available());
              return trace;
            });
    assertThat(log)
        .containsExactly(
            "t1 in",
            "t2 in",
            "t1 out",
            "t2 out",
            "t3 in",
            "t4 in",
            "t3 out",
            "t4 out",
            "available=2");
  }

  @Test
  void tryAcquireTakesAPermitOnlyWhenOneIsAvailable() {
    List<String> log =
        Async.run(
            () -> {
              var sem = new Semaphore(1);
              boolean first = sem.tryAcquire();
              boolean second = sem.tryAcquire();
              return List.of(first + " " + second + " locked=" + sem.isLocked());
            });
    assertThat(log).containsExactly("true false locked=true");
  }

  @Test
  void aWaiterCancelledWhileWaitingTakesNoPermit() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var sem = new Semaphore(0);
              Task<?> t1 = Async.spawn(() -> acquireAndLog(sem, trace, "t1"));
              Task<?> t2 = Async.spawn(() -> acquireAndLog(sem, trace, "t2"));
              Async.yieldNow();
              t1.cancel();
              Async.yieldNow();
              sem.release();
              t2.await();
              trace.add("t1 cancelled=" + t1.isCancelled() + ", available=" + sem.available());
              return trace;
            });
    assertThat(log).containsExactly("t2", "t1 cancelled=true, available=1");
  }

  @Test
  void aWaiterHandedAPermitAndCancelledBeforeItRunsPassesItToTheNextWaiter() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var sem = new Semaphore(0);
              Task<?> t1 = Async.spawn(() -> acquireAndLog(sem, trace, "t1"));
              Task<?> t2 = Async.spawn(() -> acquireAndLog(sem, trace, "t2"));
              Async.yieldNow();
              sem.release();
              t1.cancel();
              t2.await();
              trace.add("t1 cancelled=" + t1.isCancelled() + ", available=" + sem.available());
              return trace;
            });
    assertThat(log).containsExactly("t2", "t1 cancelled=true, available=1");
  }

  @Test
  void aPermitHandedToACancelledLastWaiterGoesBackToTheCount() {
    int available =
        Async.run(
            () -> {
              var sem = new Semaphore(0);
              Task<?> t1 = Async.spawn(sem::acquire);
              Async.yieldNow();
              sem.release();
              t1.cancel();
              Async.yieldNow();
              Async.yieldNow();
              return sem.available();
            });
    assertThat(available).isEqualTo(1);
  }

  @Test
  void aPlainSemaphoreMayBeReleasedMoreOftenThanAcquired() {
    int available =
        Async.run(
            () -> {
              var sem = new Semaphore(1);
              sem.release();
              return sem.available();
            });
    assertThat(available).isEqualTo(2);
  }

  @Test
  void aBoundedSemaphoreReleasedTooOftenThrowsAndKeepsItsCount() {
    Async.run(
        () -> {
          var sem = new BoundedSemaphore(1);
          try (var p = sem.permit()) {
            assertThat(sem.available()).isZero();
          }
          assertThatThrownBy(sem::release)
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("released too many times");
          assertThat(sem.available()).isEqualTo(1);
          assertThat(sem.bound()).isEqualTo(1);
        });
  }

  @Test
  void negativePermitsAreRejectedNamingTheArgument() {
    assertThatThrownBy(() -> new Semaphore(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("permits");
    assertThatThrownBy(() -> new BoundedSemaphore(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("permits");
  }

  static void acquireAndLog(Semaphore sem, List<String> trace, String name) {
    try (var p = sem.permit()) {
      trace.add(name);
    }
  }
}
