package io.jasyncio.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Async;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTest {
  @Test
  void setWakesEveryWaiterInTheOrderTheyStartedWaiting() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var event = new Event();
              Async.taskGroup(
                  g -> {
                    for (int i = 1; i <= 3; i++) {
                      String name = "t" + i;
                      g.spawn(
                          () -> {
                            event.await();
                            trace.add(name);
                          });
                    }
                    Async.yieldNow();
                    trace.add("set");
                    event.set();
                  });
              return trace;
            });
    assertThat(log).containsExactly("set", "t1", "t2", "t3");
  }

  @Test
  void awaitReturnsAtOnceWhileSetAndWaitsAgainAfterClear() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var event = new Event();
              event.set();
              event.await();
              trace.add("passed, isSet=" + event.isSet());
              event.clear();
              Task<?> t =
                  Async.spawn(
                      () -> {
                        event.await();
                        trace.add("woken");
                      });
              Async.yieldNow();
              trace.add("still waiting=" + !t.isDone());
              event.set();
              t.await();
              return trace;
            });
    assertThat(log).containsExactly("passed, isSet=true", "still waiting=true", "woken");
  }

  @Test
  void aCancelledWaiterDoesNotAffectTheOthers() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var event = new Event();
              Task<?> t1 = Async.spawn(event::await);
              Task<?> t2 =
                  Async.spawn(
                      () -> {
                        event.await();
                        trace.add("t2");
                      });
              Async.yieldNow();
              event.set();
              t1.cancel(); // woken and cancelled in the same step
              t2.await();
              Async.yieldNow();
              trace.add("t1 cancelled=" + t1.isCancelled() + ", isSet=" + event.isSet());
              return trace;
            });
    assertThat(log).containsExactly("t2", "t1 cancelled=true, isSet=true");
  }
}
