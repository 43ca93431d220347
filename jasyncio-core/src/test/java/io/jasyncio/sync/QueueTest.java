package io.jasyncio.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QueueTest {
  /** Every queue kind, with a bound, and the order it returns 1, 3, 2 in. */
  static Stream<Arguments> kinds() {
    IntFunction<AsyncQueue<Integer>> fifo = AsyncQueue::fifo;
    IntFunction<AsyncQueue<Integer>> lifo = AsyncQueue::lifo;
    IntFunction<AsyncQueue<Integer>> prio = AsyncQueue::priority;
    IntFunction<AsyncQueue<Integer>> desc = n -> AsyncQueue.priority(n, Comparator.reverseOrder());
    return Stream.of(
        Arguments.of("fifo", fifo, List.of(1, 3, 2)),
        Arguments.of("lifo", lifo, List.of(2, 3, 1)),
        Arguments.of("priority", prio, List.of(1, 2, 3)),
        Arguments.of("priority reversed", desc, List.of(3, 2, 1)));
  }

  // ---- contract: every kind ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void itemsComeOutInTheKindsOrder(
      String kind, IntFunction<AsyncQueue<Integer>> make, List<Integer> expected) {
    List<Integer> out =
        Async.run(
            () -> {
              var q = make.apply(0);
              for (int i : List.of(1, 3, 2)) {
                q.put(i);
              }
              var got = new ArrayList<Integer>();
              while (!q.isEmpty()) {
                got.add(q.get());
              }
              return got;
            });
    assertThat(out).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aFullQueueSuspendsPutUntilAGetMakesRoom(
      String kind, IntFunction<AsyncQueue<Integer>> make, List<Integer> unused) {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var q = make.apply(1);
              q.put(1);
              trace.add("full=" + q.isFull() + ", tryPut=" + q.tryPut(2));
              assertThatThrownBy(() -> q.putNow(2)).isInstanceOf(QueueFullException.class);
              Task<?> p =
                  Async.spawn(
                      () -> {
                        q.put(2);
                        trace.add("put 2");
                      });
              Async.yieldNow();
              trace.add("got " + q.get());
              p.await();
              trace.add("got " + q.get());
              return trace;
            });
    assertThat(log).containsExactly("full=true, tryPut=false", "got 1", "put 2", "got 2");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void anEmptyQueueSuspendsGetUntilAPut(
      String kind, IntFunction<AsyncQueue<Integer>> make, List<Integer> unused) {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var q = make.apply(0);
              trace.add("tryGet=" + q.tryGet());
              assertThatThrownBy(q::getNow).isInstanceOf(QueueEmptyException.class);
              Task<Integer> c = Async.spawn(q::get);
              Async.yieldNow();
              trace.add("putNow 7");
              q.putNow(7);
              trace.add("got " + c.await());
              return trace;
            });
    assertThat(log).containsExactly("tryGet=Optional.empty", "putNow 7", "got 7");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aGetterHandedAnItemAndCancelledBeforeItRunsLeavesItForTheNextGetter(
      String kind, IntFunction<AsyncQueue<Integer>> make, List<Integer> unused) {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var q = make.apply(0);
              Task<Integer> g1 = Async.spawn(q::get);
              Task<Integer> g2 = Async.spawn(q::get);
              Async.yieldNow();
              q.put(5);
              g1.cancel();
              trace.add("g2 got " + g2.await() + ", g1 cancelled=" + g1.isCancelled());
              Task<Integer> g3 = Async.spawn(q::get);
              Async.yieldNow();
              q.put(6);
              g3.cancel();
              Async.yieldNow();
              trace.add("after lone getter cancelled: " + q.tryGet());
              return trace;
            });
    assertThat(log)
        .containsExactly("g2 got 5, g1 cancelled=true", "after lone getter cancelled: Optional[6]");
  }

  // ---- FIFO queue specifics ----

  @Test
  void waitingGettersAndPuttersAreServedInArrivalOrder() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              AsyncQueue<String> q = AsyncQueue.fifo(1);
              Async.taskGroup(
                  g -> {
                    for (int i = 1; i <= 3; i++) {
                      String name = "g" + i;
                      g.spawn(() -> trace.add(name + " got " + q.get()));
                    }
                    Async.yieldNow();
                    for (String s : List.of("a", "b", "c")) {
                      q.put(s);
                    }
                  });
              q.put("x");
              Async.taskGroup(
                  g -> {
                    for (int i = 1; i <= 3; i++) {
                      String item = "p" + i;
                      g.spawn(
                          () -> {
                            q.put(item);
                            trace.add("put " + item);
                          });
                    }
                    Async.yieldNow();
                    for (int i = 0; i < 4; i++) {
                      trace.add("took " + q.get());
                    }
                  });
              return trace;
            });
    assertThat(log)
        .containsExactly(
            "g1 got a",
            "g2 got b",
            "g3 got c",
            "took x",
            "put p1",
            "took p1",
            "put p2",
            "took p2",
            "put p3",
            "took p3");
  }

  @Test
  void aTaskArrivingAfterAPutCannotTakeTheItemPromisedToAWaiter() {
    List<String> log =
        Async.run(
            () -> {
              AsyncQueue<String> q = AsyncQueue.fifo();
              Task<String> waiter = Async.spawn(q::get);
              Async.yieldNow();
              q.put("a");
              Optional<String> barged = q.tryGet();
              return List.of("barged=" + barged, "waiter got " + waiter.await());
            });
    assertThat(log).containsExactly("barged=Optional.empty", "waiter got a");
  }

  @Test
  void aPutterGrantedASlotAndCancelledBeforeItRunsPassesTheSlotOn() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              AsyncQueue<String> q = AsyncQueue.fifo(1);
              q.put("x");
              Task<?> p1 = Async.spawn(() -> q.put("p1"));
              Task<?> p2 = Async.spawn(() -> q.put("p2"));
              Async.yieldNow();
              trace.add("took " + q.get());
              p1.cancel();
              p2.await();
              trace.add(
                  "took " + q.get() + ", p1 cancelled=" + p1.isCancelled() + ", size=" + q.size());
              return trace;
            });
    assertThat(log).containsExactly("took x", "took p2, p1 cancelled=true, size=0");
  }

  @Test
  void priorityQueueKeepsInsertionOrderAmongEqualItems() {
    List<String> out =
        Async.run(
            () -> {
              AsyncQueue<String> q =
                  AsyncQueue.priority(0, Comparator.comparing((String s) -> s.charAt(0)));
              for (String s : List.of("b1", "a1", "b2", "a2", "a3")) {
                q.putNow(s);
              }
              var got = new ArrayList<String>();
              while (!q.isEmpty()) {
                got.add(q.getNow());
              }
              return got;
            });
    assertThat(out).containsExactly("a1", "a2", "a3", "b1", "b2");
  }

  // ---- task accounting ----

  @Test
  void joinWaitsUntilEveryItemIsMarkedDone() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              AsyncQueue<String> q = AsyncQueue.fifo();
              q.put("a");
              q.put("b");
              Task<?> worker =
                  Async.spawn(
                      () -> {
                        while (true) {
                          String s = q.get();
                          Async.yieldNow();
                          trace.add("done " + s);
                          q.taskDone();
                        }
                      });
              q.join();
              trace.add("joined, unfinished=" + q.unfinished());
              worker.cancel();
              return trace;
            });
    assertThat(log).containsExactly("done a", "done b", "joined, unfinished=0");
  }

  @Test
  void taskDoneCalledTooOftenThrows() {
    Async.run(
        () -> {
          AsyncQueue<String> q = AsyncQueue.fifo();
          q.put("a");
          q.get();
          q.taskDone();
          assertThatThrownBy(q::taskDone)
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("taskDone");
        });
  }

  // ---- shutdown ----

  @Test
  void gracefulShutdownRejectsPutsLetsTheRestBeTakenAndThenFailsGets() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              AsyncQueue<String> q = AsyncQueue.fifo(1);
              q.put("a");
              Task<?> putter = Async.spawn(() -> q.put("b"));
              Async.yieldNow();
              q.shutdown();
              assertThatThrownBy(putter::await).isInstanceOf(QueueShutDownException.class);
              assertThatThrownBy(() -> q.put("c")).isInstanceOf(QueueShutDownException.class);
              assertThatThrownBy(() -> q.tryPut("c")).isInstanceOf(QueueShutDownException.class);
              trace.add("got " + q.get());
              assertThatThrownBy(q::get)
                  .isInstanceOf(QueueShutDownException.class)
                  .hasMessageContaining("shut down and empty");
              assertThatThrownBy(q::getNow).isInstanceOf(QueueShutDownException.class);
              trace.add("shut down=" + q.isShutDown());
              return trace;
            });
    assertThat(log).containsExactly("got a", "shut down=true");
  }

  @Test
  void gracefulShutdownWakesWaitingGettersWithTheException() {
    Async.run(
        () -> {
          AsyncQueue<String> q = AsyncQueue.fifo();
          Task<String> getter = Async.spawn(q::get);
          Async.yieldNow();
          q.shutdown();
          assertThatThrownBy(getter::await).isInstanceOf(QueueShutDownException.class);
        });
  }

  @Test
  void immediateShutdownDiscardsItemsReleasesJoinAndFailsGettersAlreadyHandedAnItem() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              AsyncQueue<String> q = AsyncQueue.fifo();
              q.put("a");
              Task<?> joiner =
                  Async.spawn(
                      () -> {
                        q.join();
                        trace.add("join released");
                      });
              Async.yieldNow();
              trace.add("took " + q.getNow());
              Task<String> getter = Async.spawn(q::get);
              Async.yieldNow();
              q.put("b"); // promised to the getter, which has not run yet
              q.put("c");
              trace.add("discarded " + q.shutdownNow() + ", unfinished=" + q.unfinished());
              assertThatThrownBy(getter::await).isInstanceOf(QueueShutDownException.class);
              trace.add("joiner done=" + joiner.isDone());
              q.taskDone(); // for "a"
              joiner.await();
              trace.add("size=" + q.size() + ", unfinished=" + q.unfinished());
              return trace;
            });
    assertThat(log)
        .containsExactly(
            "took a",
            "discarded [b, c], unfinished=1",
            "joiner done=false",
            "join released",
            "size=0, unfinished=0");
  }

  // ---- bad input ----

  @Test
  void nullItemsAndComparatorsAreRejectedNamingTheArgument() {
    assertThatThrownBy(() -> AsyncQueue.priority(0, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("order");
    Async.run(
        () -> {
          AsyncQueue<String> q = AsyncQueue.fifo();
          assertThatThrownBy(() -> q.put(null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("item");
          assertThatThrownBy(() -> q.putNow(null))
              .isInstanceOf(NullPointerException.class)
              .hasMessageContaining("item");
        });
  }

  @Test
  void aNonPositiveMaxsizeMeansUnbounded() {
    Async.run(
        () -> {
          AsyncQueue<Integer> q = AsyncQueue.fifo(-1);
          for (int i = 0; i < 100; i++) {
            q.putNow(i);
          }
          assertThat(q.maxsize()).isZero();
          assertThat(q.isFull()).isFalse();
        });
  }
}
