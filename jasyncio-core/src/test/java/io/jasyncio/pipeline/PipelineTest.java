package io.jasyncio.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.AsyncException;
import io.jasyncio.AsyncFunction;
import io.jasyncio.CancelledError;
import io.jasyncio.ExceptionGroup;
import io.jasyncio.Outcome;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PipelineTest {

  @Test
  void aCancellationThatArrivesWhileAFailureCleansUpReachesTheCallerAfterTheFailure() {
    List<String> trace = new ArrayList<>();
    Async.run(
        () -> {
          io.jasyncio.sync.Event cleanupStarted = new io.jasyncio.sync.Event();
          io.jasyncio.sync.Event finishCleanup = new io.jasyncio.sync.Event();
          Promise<Void> never = Async.promise();
          Task<String> caller =
              Async.spawn(
                  () -> {
                    try {
                      Pipeline.map(
                          List.of(1, 2),
                          2,
                          i -> {
                            if (i == 2) {
                              throw new IllegalArgumentException("item 2");
                            }
                            try {
                              never.await();
                            } finally {
                              cleanupStarted.set();
                              finishCleanup.await();
                            }
                            return i;
                          });
                    } catch (IllegalArgumentException e) {
                      trace.add("caught " + e.getMessage());
                    }
                    Async.yieldNow(); // the cancellation is delivered here
                    trace.add("went on");
                    return "finished";
                  });
          cleanupStarted.await();
          trace.add("cancel() " + caller.cancel());
          finishCleanup.set();
          assertThatThrownBy(caller::await).isInstanceOf(CancelledError.class);
        });
    assertThat(trace).containsExactly("cancel() true", "caught item 2");
  }

  /** Suspends {@code n} times: a deterministic stand-in for latency. */
  static void yieldTimes(int n) {
    for (int i = 0; i < n; i++) {
      Async.yieldNow();
    }
  }

  static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  /** Counts items in fn at once. */
  static final class Gauge {
    int now;
    int max;

    void enter() {
      now++;
      max = Math.max(max, now);
    }

    void exit() {
      now--;
    }
  }

  @Test
  void aCollectionIsPulledByTheCallerItselfAndAnIteratorByAFeederTask() {
    List<Boolean> feederSeen = new ArrayList<>();
    Async.run(
        () -> {
          AsyncFunction<Integer, Integer> probe =
              i -> {
                feederSeen.add(
                    Async.allTasks().stream().anyMatch(t -> t.name().endsWith("feeder")));
                return i;
              };
          Pipeline.map(List.of(1, 2, 3), 2, probe); // never suspends in hasNext: no feeder
          Pipeline.map(List.of(4, 5, 6).iterator(), 2, probe); // might suspend: a feeder
          return null;
        });
    // (the feeder may have returned, the source exhausted, before the last item runs)
    assertThat(feederSeen.subList(0, 3)).containsExactly(false, false, false);
    assertThat(feederSeen.get(3)).isTrue();
  }

  @Test
  void mapReturnsResultsInInputOrderWhateverTheCompletionOrder() {
    List<Integer> completed = new ArrayList<>();
    List<String> out =
        Async.run(
            () ->
                Pipeline.map(
                    range(4),
                    4,
                    i -> {
                      yieldTimes(4 - i); // later items finish first
                      completed.add(i);
                      return "r" + i;
                    }));
    assertThat(completed).containsExactly(3, 2, 1, 0);
    assertThat(out).containsExactly("r0", "r1", "r2", "r3");
  }

  @Test
  void atMostConcurrencyItemsAreInFlightAndTheLimitIsReached() {
    Gauge g = new Gauge();
    Async.run(
        () ->
            Pipeline.map(
                range(100),
                8,
                i -> {
                  g.enter();
                  try {
                    yieldTimes(1 + i % 3);
                    return i;
                  } finally {
                    g.exit();
                  }
                }));
    assertThat(g.max).isEqualTo(8);
    assertThat(g.now).isZero();
  }

  @Test
  void theSourceIsPulledLazilyOneItemPerFreeSlot() {
    int[] pulled = new int[1];
    int[] finished = new int[1];
    List<Integer> aheadAtStart = new ArrayList<>();
    Iterator<Integer> source =
        new Iterator<>() {
          int next;

          @Override
          public boolean hasNext() {
            return next < 100_000;
          }

          @Override
          public Integer next() {
            pulled[0]++;
            return next++;
          }
        };
    Async.run(
        () ->
            Pipeline.forEach(
                source,
                64,
                ErrorPolicy.FAIL_FAST,
                i -> {
                  aheadAtStart.add(pulled[0] - finished[0]);
                  Async.yieldNow();
                  finished[0]++;
                }));
    assertThat(pulled[0]).isEqualTo(100_000);
    assertThat(aheadAtStart).hasSize(100_000);
    assertThat(aheadAtStart.stream().mapToInt(Integer::intValue).max().getAsInt()).isEqualTo(64);
  }

  @Test
  void theFirstFailureCancelsTheItemsInFlightStartsNoMoreAndIsThrownAsItself() {
    List<String> events = new ArrayList<>();
    IllegalStateException boom = new IllegalStateException("item 2 failed");
    assertThatThrownBy(
            () ->
                Async.run(
                    () ->
                        Pipeline.map(
                            range(10),
                            3,
                            i -> {
                              events.add("start " + i);
                              try {
                                if (i == 2) {
                                  Async.yieldNow();
                                  throw boom;
                                }
                                Async.promise().await(); // never completes
                                return i;
                              } catch (CancelledError e) {
                                events.add("cancelled " + i);
                                throw e;
                              }
                            })))
        .isSameAs(boom);
    assertThat(events)
        .containsExactly("start 0", "start 1", "start 2", "cancelled 0", "cancelled 1");
  }

  @Test
  void aCheckedFailureIsWrappedInAsyncException() {
    assertThatThrownBy(
            () ->
                Async.run(
                    () ->
                        Pipeline.map(
                            range(3),
                            2,
                            i -> {
                              throw new IOException("io " + i);
                            })))
        .isInstanceOf(AsyncException.class)
        .cause()
        .isInstanceOf(IOException.class)
        .hasMessage("io 0");
  }

  @Test
  void cancellingTheCallerCancelsEveryItemInFlight() {
    List<String> events = new ArrayList<>();
    Async.run(
        () -> {
          Task<List<Integer>> caller =
              Async.spawn(
                  () ->
                      Pipeline.map(
                          range(10),
                          3,
                          i -> {
                            try {
                              Async.promise().await();
                              return i;
                            } catch (CancelledError e) {
                              events.add("cancelled " + i);
                              throw e;
                            }
                          }));
          yieldTimes(3);
          caller.cancel();
          assertThatThrownBy(caller::await).isInstanceOf(CancelledError.class);
          events.add("caller done");
        });
    assertThat(events).containsExactly("cancelled 0", "cancelled 1", "cancelled 2", "caller done");
  }

  @Test
  void collectRunsEveryItemAndThrowsTheFailuresInInputOrder() {
    List<Integer> ran = new ArrayList<>();
    Throwable thrown =
        Async.run(
            () -> {
              try {
                Pipeline.map(
                    range(6),
                    2,
                    ErrorPolicy.COLLECT,
                    i -> {
                      yieldTimes(6 - i);
                      ran.add(i);
                      if (i % 2 == 1) {
                        throw new IllegalArgumentException("odd " + i);
                      }
                      return i;
                    });
                return null;
              } catch (ExceptionGroup e) {
                return e;
              }
            });
    assertThat(ran).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    assertThat(thrown).isInstanceOf(ExceptionGroup.class).hasMessageContaining("3 of 6 items");
    assertThat(((ExceptionGroup) thrown).exceptions())
        .extracting(Throwable::getMessage)
        .containsExactly("odd 1", "odd 3", "odd 5");
  }

  @Test
  void mapSettledReturnsEveryOutcomeInInputOrder() {
    List<Outcome<Integer>> out =
        Async.run(
            () ->
                Pipeline.mapSettled(
                    range(4),
                    2,
                    i -> {
                      Async.yieldNow();
                      if (i == 1) {
                        throw new IllegalStateException("one");
                      }
                      return i * 10;
                    }));
    assertThat(out).hasSize(4);
    assertThat(out.get(0).getOrThrow()).isEqualTo(0);
    assertThat(out.get(1)).isInstanceOf(Outcome.Failure.class);
    assertThat(((Outcome.Failure<Integer>) out.get(1)).error()).hasMessage("one");
    assertThat(out.get(2).getOrThrow()).isEqualTo(20);
    assertThat(out.get(3).getOrThrow()).isEqualTo(30);
  }

  @Test
  void anItemThatSeesAnotherTasksCancellationFailsInsteadOfBeingDropped() {
    List<Outcome<Integer>> out =
        Async.run(
            () ->
                Pipeline.mapSettled(
                    range(2),
                    2,
                    i -> {
                      if (i == 0) {
                        Promise<Integer> p = Async.promise();
                        p.cancel();
                        return p.await();
                      }
                      return i;
                    }));
    assertThat(out.get(0)).isInstanceOf(Outcome.Failure.class);
    assertThat(((Outcome.Failure<Integer>) out.get(0)).error()).isInstanceOf(CancelledError.class);
    assertThat(out.get(1).getOrThrow()).isEqualTo(1);
  }

  @Test
  void mapUnorderedHandsResultsToTheSinkInCompletionOrderAndCountsUnsunkResultsAsInFlight() {
    List<Integer> sunk = new ArrayList<>();
    Gauge g = new Gauge();
    int[] waitingForSink = new int[1];
    Async.run(
        () ->
            Pipeline.mapUnordered(
                range(6),
                3,
                i -> {
                  g.enter();
                  yieldTimes(6 - i);
                  g.exit();
                  waitingForSink[0]++;
                  assertThat(g.now + waitingForSink[0]).isLessThanOrEqualTo(3);
                  return i;
                },
                r -> {
                  waitingForSink[0]--;
                  sunk.add(r);
                  Async.yieldNow(); // a slow sink
                }));
    assertThat(sunk).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    assertThat(sunk.subList(0, 3)).containsExactly(2, 1, 0);
  }

  @Test
  void mapUnorderedCollectGivesTheSinkTheSuccessesAndThrowsTheFailures() {
    List<Integer> sunk = new ArrayList<>();
    assertThatThrownBy(
            () ->
                Async.run(
                    () ->
                        Pipeline.mapUnordered(
                            range(4).iterator(),
                            2,
                            ErrorPolicy.COLLECT,
                            i -> {
                              if (i == 2) {
                                throw new IllegalStateException("two");
                              }
                              return i;
                            },
                            sunk::add)))
        .isInstanceOf(ExceptionGroup.class)
        .hasMessageContaining("1 of 4 items");
    assertThat(sunk).containsExactly(0, 1, 3);
  }

  @Test
  void aFailingSinkStopsEverything() {
    IllegalStateException sinkFailed = new IllegalStateException("sink");
    assertThatThrownBy(
            () ->
                Async.run(
                    () ->
                        Pipeline.mapUnordered(
                            range(100),
                            4,
                            i -> i,
                            r -> {
                              throw sinkFailed;
                            })))
        .isSameAs(sinkFailed);
  }

  @Test
  void aSourceWhoseNextSuspendsWorksAndASourceThatThrowsFailsTheCall() {
    Iterator<Integer> suspending =
        new Iterator<>() {
          int next;

          @Override
          public boolean hasNext() {
            Async.yieldNow(); // like a channel's receive
            return next < 5;
          }

          @Override
          public Integer next() {
            if (next >= 5) {
              throw new NoSuchElementException();
            }
            return next++;
          }
        };
    assertThat(Async.run(() -> Pipeline.map(suspending, 2, i -> i * i)))
        .containsExactly(0, 1, 4, 9, 16);
    IllegalStateException broken = new IllegalStateException("source broke");
    Iterator<Integer> failing =
        new Iterator<>() {
          int n;

          @Override
          public boolean hasNext() {
            if (n == 3) {
              throw broken;
            }
            return true;
          }

          @Override
          public Integer next() {
            return n++;
          }
        };
    assertThatThrownBy(() -> Async.run(() -> Pipeline.map(failing, 2, i -> i))).isSameAs(broken);
  }

  @Test
  void aSourceThatSeesAnotherTasksCancellationFailsTheCallInsteadOfHanging() {
    Iterator<Integer> source =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            Promise<Boolean> p = Async.promise();
            p.cancel();
            return p.await();
          }

          @Override
          public Integer next() {
            throw new NoSuchElementException();
          }
        };
    assertThatThrownBy(() -> Async.run(() -> Pipeline.map(source, 2, i -> i)))
        .isInstanceOf(CancelledError.class);
  }

  @Test
  void forEachCollectRunsEveryItemAndNullResultsAreKeptByMap() {
    List<Integer> seen = new ArrayList<>();
    assertThatThrownBy(
            () ->
                Async.run(
                    () ->
                        Pipeline.forEach(
                            range(3).iterator(),
                            1,
                            ErrorPolicy.COLLECT,
                            i -> {
                              seen.add(i);
                              if (i == 0) {
                                throw new IllegalStateException("zero");
                              }
                            })))
        .isInstanceOf(ExceptionGroup.class);
    assertThat(seen).containsExactly(0, 1, 2);
    assertThat(Async.run(() -> Pipeline.map(range(2), 1, i -> (String) null)))
        .containsExactly(null, null);
    assertThat(Async.run(() -> Pipeline.map(List.<Integer>of(), 4, i -> i))).isEmpty();
  }

  @Test
  void badArgumentsAreRejectedWithTheirNameAndRule() {
    assertThatThrownBy(() -> Pipeline.map(range(1), 1, i -> i))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Pipeline.map must be called from a task");
    Async.run(
        () -> {
          assertThatThrownBy(() -> Pipeline.map(range(1), 0, i -> i))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessage("concurrency must be at least 1: 0");
          assertThatThrownBy(() -> Pipeline.forEach(range(1), -1, i -> {}))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessage("concurrency must be at least 1: -1");
          assertThatThrownBy(() -> Pipeline.map((Iterable<Integer>) null, 1, i -> i))
              .isInstanceOf(NullPointerException.class)
              .hasMessage("items");
          assertThatThrownBy(() -> Pipeline.map(range(1), 1, null))
              .isInstanceOf(NullPointerException.class)
              .hasMessage("fn");
          assertThatThrownBy(() -> Pipeline.map(range(1), 1, (ErrorPolicy) null, i -> i))
              .isInstanceOf(NullPointerException.class)
              .hasMessage("policy");
          assertThatThrownBy(() -> Pipeline.mapUnordered(range(1), 1, i -> i, null))
              .isInstanceOf(NullPointerException.class)
              .hasMessage("sink");
          assertThatThrownBy(() -> Pipeline.forEach(range(1), 1, null))
              .isInstanceOf(NullPointerException.class)
              .hasMessage("action");
        });
  }
}
