package io.jasyncio.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.Runner;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockTest {
  @Test
  void aFreeLockIsTakenWithoutSuspendingAndTryAcquireFailsWhileHeld() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var lock = new Lock();
              Async.spawn(() -> trace.add("other task ran"));
              lock.acquire();
              trace.add("acquired, locked=" + lock.isLocked());
              trace.add("tryAcquire=" + lock.tryAcquire());
              lock.release();
              trace.add("tryAcquire=" + lock.tryAcquire());
              Async.yieldNow();
              return trace;
            });
    assertThat(log)
        .containsExactly(
            "acquired, locked=true", "tryAcquire=false", "tryAcquire=true", "other task ran");
  }

  @Test
  void waitersGetTheLockInTheOrderTheyAskedForIt() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var lock = new Lock();
              lock.acquire();
              Async.taskGroup(
                  g -> {
                    for (int i = 1; i <= 3; i++) {
                      String name = "t" + i;
                      g.spawn(
                          () -> {
                            try (var held = lock.lock()) {
                              trace.add(name);
                              Async.yieldNow();
                            }
                          });
                    }
                    Async.yieldNow();
                    trace.add("waiting=" + lock.waiting());
                    lock.release();
                  });
              trace.add("locked=" + lock.isLocked());
              return trace;
            });
    assertThat(log).containsExactly("waiting=3", "t1", "t2", "t3", "locked=false");
  }

  @Test
  void aTaskArrivingAfterAReleaseCannotBargePastTheWokenWaiter() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var lock = new Lock();
              lock.acquire();
              Task<?> waiter =
                  Async.spawn(
                      () -> {
                        lock.acquire();
                        trace.add("waiter");
                        lock.release();
                      });
              Async.yieldNow();
              lock.release();
              trace.add("tryAcquire after release=" + lock.tryAcquire());
              waiter.await();
              return trace;
            });
    assertThat(log).containsExactly("tryAcquire after release=false", "waiter");
  }

  @Test
  void aWaiterCancelledWhileWaitingNeverGetsTheLock() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var lock = new Lock();
              lock.acquire();
              Task<?> t1 = Async.spawn(() -> acquireAndLog(lock, trace, "t1"));
              Task<?> t2 = Async.spawn(() -> acquireAndLog(lock, trace, "t2"));
              Async.yieldNow();
              t1.cancel();
              Async.yieldNow();
              trace.add("waiting=" + lock.waiting());
              lock.release();
              t2.await();
              trace.add("t1 cancelled=" + t1.isCancelled() + ", locked=" + lock.isLocked());
              return trace;
            });
    assertThat(log).containsExactly("waiting=1", "t2", "t1 cancelled=true, locked=false");
  }

  @Test
  void aWaiterHandedTheLockAndCancelledBeforeItRunsPassesItToTheNextWaiter() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var lock = new Lock();
              lock.acquire();
              Task<?> t1 = Async.spawn(() -> acquireAndLog(lock, trace, "t1"));
              Task<?> t2 = Async.spawn(() -> acquireAndLog(lock, trace, "t2"));
              Async.yieldNow();
              lock.release(); // hands the lock to t1 ...
              t1.cancel(); // ... which is cancelled before it runs
              t2.await();
              trace.add("t1 cancelled=" + t1.isCancelled() + ", locked=" + lock.isLocked());
              return trace;
            });
    assertThat(log).containsExactly("t2", "t1 cancelled=true, locked=false");
  }

  @Test
  void theLockIsReleasedWhenTheBodyOfTryWithResourcesThrows() {
    boolean locked =
        Async.run(
            () -> {
              var lock = new Lock();
              try (var held = lock.lock()) {
                throw new IllegalArgumentException("boom");
              } catch (IllegalArgumentException e) {
                return lock.isLocked();
              }
            });
    assertThat(locked).isFalse();
  }

  @Test
  void closingAPermitTwiceReleasesOnce() {
    List<String> log =
        Async.run(
            () -> {
              var lock = new Lock();
              Permit p = lock.lock();
              p.close();
              lock.acquire(); // someone else's hold
              p.close();
              return List.of("released=" + p.isReleased(), "locked=" + lock.isLocked());
            });
    assertThat(log).containsExactly("released=true", "locked=true");
  }

  @Test
  void releasingAnUnlockedLockThrows() {
    Async.run(
        () -> {
          var lock = new Lock();
          assertThatThrownBy(lock::release)
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("not locked");
        });
  }

  @Test
  void acquiringOutsideALoopThrowsAndSaysWhatToDo() {
    var lock = new Lock();
    assertThatThrownBy(lock::acquire)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Lock.acquire")
        .hasMessageContaining("Async.run");
    assertThatThrownBy(lock::release)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Lock.release");
  }

  @Test
  void usingALockFromAnotherLoopThrowsNamingBothLoops() {
    var lock = new Lock();
    try (Runner r1 = Runner.create();
        Runner r2 = Runner.create()) {
      r1.run(lock::acquire);
      r2.run(
          () ->
              assertThatThrownBy(lock::tryAcquire)
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessageContaining(r1.loop().toString())
                  .hasMessageContaining(r2.loop().toString()));
      assertThatThrownBy(() -> r2.run(lock::acquire))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("bound to " + r1.loop());
    }
  }

  static void acquireAndLog(Lock lock, List<String> trace, String name) {
    try (var held = lock.lock()) {
      trace.add(name);
    } catch (CancelledError e) {
      throw e;
    }
  }
}
