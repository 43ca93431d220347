package io.jasyncio.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionTest {
  @Test
  void signalWakesOneWaiterInArrivalOrderAndSignalAllTheRest() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var cond = new Condition();
              Async.taskGroup(
                  g -> {
                    for (int i = 1; i <= 3; i++) {
                      String name = "t" + i;
                      g.spawn(
                          () -> {
                            try (var held = cond.lock()) {
                              cond.await();
                              trace.add(name + " locked=" + cond.isLocked());
                            }
                          });
                    }
                    Async.yieldNow();
                    try (var held = cond.lock()) {
                      cond.signal();
                    }
                    Async.yieldNow();
                    try (var held = cond.lock()) {
                      trace.add("signalAll");
                      cond.signalAll();
                    }
                  });
              return trace;
            });
    assertThat(log)
        .containsExactly("t1 locked=true", "signalAll", "t2 locked=true", "t3 locked=true");
  }

  @Test
  void awaitUntilWaitsForThePredicateUnderTheLock() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var cond = new Condition();
              var items = new ArrayDeque<String>();
              Task<?> consumer =
                  Async.spawn(
                      () -> {
                        try (var held = cond.lock()) {
                          cond.awaitUntil(() -> items.size() >= 2);
                          trace.add("got " + items);
                        }
                      });
              for (String s : List.of("a", "b")) {
                Async.yieldNow();
                try (var held = cond.lock()) {
                  items.add(s);
                  trace.add("added " + s);
                  cond.signalAll();
                }
              }
              consumer.await();
              return trace;
            });
    assertThat(log).containsExactly("added a", "added b", "got [a, b]");
  }

  @Test
  void aCancelledAwaitReacquiresTheLockBeforeThrowing() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var cond = new Condition();
              Task<?> t =
                  Async.spawn(
                      () -> {
                        cond.acquire();
                        try {
                          cond.await();
                        } catch (CancelledError e) {
                          trace.add("cancelled, locked=" + cond.isLocked());
                          cond.release();
                          throw e;
                        }
                      });
              Async.yieldNow();
              cond.acquire(); // the waiter must wait for this before it can throw
              t.cancel();
              Async.yieldNow();
              trace.add("main releases");
              cond.release();
              Async.yieldNow();
              Async.yieldNow();
              trace.add("t cancelled=" + t.isCancelled() + ", locked=" + cond.isLocked());
              return trace;
            });
    assertThat(log)
        .containsExactly(
            "main releases", "cancelled, locked=true", "t cancelled=true, locked=false");
  }

  @Test
  void aSignalledWaiterCancelledBeforeItRunsPassesTheSignalOn() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var cond = new Condition();
              Task<?> t1 = Async.spawn(() -> awaitAndLog(cond, trace, "t1"));
              Task<?> t2 = Async.spawn(() -> awaitAndLog(cond, trace, "t2"));
              Async.yieldNow();
              try (var held = cond.lock()) {
                cond.signal();
                t1.cancel();
              }
              t2.await();
              trace.add("t1 cancelled=" + t1.isCancelled());
              return trace;
            });
    assertThat(log).containsExactly("t2", "t1 cancelled=true");
  }

  @Test
  void awaitingOrSignallingWithoutTheLockThrows() {
    Async.run(
        () -> {
          var cond = new Condition(new Lock());
          assertThatThrownBy(cond::await)
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("un-acquired lock");
          assertThatThrownBy(cond::signal)
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("un-acquired lock");
          assertThatThrownBy(() -> cond.signal(-1))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("n must not be negative");
          assertThatThrownBy(() -> cond.awaitUntil(null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("predicate");
        });
    assertThatThrownBy(() -> new Condition(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("lock");
  }

  static void awaitAndLog(Condition cond, List<String> trace, String name) {
    try (var held = cond.lock()) {
      cond.await();
      trace.add(name);
    }
  }
}
