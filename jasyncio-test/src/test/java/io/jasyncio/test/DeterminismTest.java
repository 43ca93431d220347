package io.jasyncio.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Contract point 2: the same program on virtual time interleaves identically every run. */
class DeterminismTest {
  /** Several tasks, sleeps with ties, yields, a task group, a timeout, a shared queue of events. */
  static List<String> program() {
    List<String> trace = new ArrayList<>();
    Supplier<String> now = () -> Duration.ofNanos(Async.currentLoop().time()).toMillis() + "ms ";
    Async.taskGroup(
        g -> {
          for (int i = 0; i < 4; i++) {
            int id = i;
            g.spawn(
                "worker-" + id,
                () -> {
                  for (int step = 0; step < 3; step++) {
                    trace.add(now.get() + "w" + id + " step " + step);
                    if ((id + step) % 2 == 0) {
                      Async.yieldNow();
                    } else {
                      Async.sleep(Duration.ofMillis(10L * (id % 2 + 1)));
                    }
                  }
                  return null;
                });
          }
          g.spawn(
              "nested",
              () -> {
                Async.taskGroup(
                    inner -> {
                      inner.spawn(() -> trace.add(now.get() + "inner a"));
                      inner.spawn(
                          () -> {
                            Async.sleep(Duration.ofMillis(10));
                            trace.add(now.get() + "inner b");
                          });
                    });
                return null;
              });
          g.spawn(
              "timed",
              () -> {
                boolean done =
                    Async.moveOnAfter(
                        Duration.ofMillis(15), () -> Async.sleep(Duration.ofHours(1)));
                trace.add(now.get() + "timed out=" + !done);
                return null;
              });
          trace.add(now.get() + "body done");
        });
    trace.add(Duration.ofNanos(Async.currentLoop().time()).toMillis() + "ms end");
    return trace;
  }

  private static List<String> traceOn(TestLoop.Builder b) {
    try (TestLoop loop = b.recordSchedule(true).build()) {
      List<String> trace = new ArrayList<>(loop.run(DeterminismTest::program));
      trace.add("schedule " + loop.schedule());
      return trace;
    }
  }

  @Test
  void theSameProgramTracesIdenticallyTwice() {
    List<String> first = traceOn(TestLoop.builder());
    List<String> second = traceOn(TestLoop.builder());
    assertEquals(first, second);
    assertTrue(first.size() > 15, first.toString());
  }

  @Test
  void theSameSeedTracesIdenticallyTwice() {
    List<String> first = traceOn(TestLoop.builder().seed(42));
    List<String> second = traceOn(TestLoop.builder().seed(42));
    assertEquals(first, second);
  }

  @Test
  void differentSeedsGiveDifferentInterleavingsOfTheSameSteps() {
    Set<List<String>> traces = new HashSet<>();
    List<String> fifo = traceOn(TestLoop.builder());
    for (long seed = 0; seed < 10; seed++) {
      List<String> t = traceOn(TestLoop.builder().seed(seed));
      // same set of events, each at the same virtual instant, only the order within an instant
      // moves
      assertEquals(sorted(fifo.subList(0, fifo.size() - 1)), sorted(t.subList(0, t.size() - 1)));
      traces.add(t);
    }
    assertTrue(traces.size() > 1);
  }

  private static List<String> sorted(List<String> l) {
    return l.stream().sorted().toList();
  }
}
