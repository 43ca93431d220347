package io.jasyncio.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BarrierTest {
  @Test
  void partiesPassTogetherWithArrivalIndexesAndTheBarrierIsReusable() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var barrier = new Barrier(3);
              Async.taskGroup(
                  g -> {
                    for (int i = 1; i <= 3; i++) {
                      String name = "t" + i;
                      g.spawn(
                          () -> {
                            for (int round = 0; round < 2; round++) {
                              trace.add(name + " arrives");
                              int index = barrier.await();
                              trace.add(name + " passes #" + index);
                            }
                          });
                    }
                  });
              return trace;
            });
    assertThat(log)
        .containsExactly(
            "t1 arrives",
            "t2 arrives",
            "t3 arrives",
            "t3 passes #2",
            "t3 arrives",
            "t1 passes #0",
            "t1 arrives",
            "t2 passes #1",
            "t2 arrives",
            "t2 passes #2",
            "t3 passes #0",
            "t1 passes #1");
  }

  @Test
  void aWaiterCancelledWhileWaitingFreesItsSlot() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var barrier = new Barrier(2);
              Task<?> t1 = Async.spawn(barrier::await);
              Async.yieldNow();
              t1.cancel();
              Async.yieldNow();
              trace.add("waiting=" + barrier.waiting());
              Task<Integer> t2 = Async.spawn(barrier::await);
              Async.yieldNow();
              trace.add("main passes #" + barrier.await());
              trace.add("t2 passed #" + t2.await());
              return trace;
            });
    assertThat(log).containsExactly("waiting=0", "main passes #1", "t2 passed #0");
  }

  @Test
  void abortBreaksWaitersAndLaterCallsUntilReset() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var barrier = new Barrier(2);
              Task<Integer> t = Async.spawn(barrier::await);
              Async.yieldNow();
              barrier.abort();
              assertThatThrownBy(t::await)
                  .isInstanceOf(BarrierBrokenException.class)
                  .hasMessageContaining("aborted");
              assertThatThrownBy(barrier::await).isInstanceOf(BarrierBrokenException.class);
              trace.add("broken=" + barrier.isBroken());
              barrier.reset();
              trace.add("broken=" + barrier.isBroken());
              Task<Integer> u = Async.spawn(barrier::await);
              Async.yieldNow();
              trace.add("passes #" + barrier.await() + " and #" + u.await());
              return trace;
            });
    assertThat(log).containsExactly("broken=true", "broken=false", "passes #1 and #0");
  }

  @Test
  void resetReleasesWaitersWithBarrierBrokenException() {
    Async.run(
        () -> {
          var barrier = new Barrier(3);
          Task<Integer> t = Async.spawn(barrier::await);
          Async.yieldNow();
          barrier.reset();
          assertThatThrownBy(t::await)
              .isInstanceOf(BarrierBrokenException.class)
              .hasMessageContaining("reset");
          assertThat(barrier.isBroken()).isFalse();
          assertThat(barrier.waiting()).isZero();
        });
  }

  @Test
  void fewerThanOnePartyIsRejected() {
    assertThatThrownBy(() -> new Barrier(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parties");
  }
}
