package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskGroupTest {

  static void sleepRecording(Recorder r, String name, Duration d) {
    try {
      Async.sleep(d);
      r.add(name + " done");
    } catch (CancelledError e) {
      r.add(name + " cancelled");
      throw e;
    }
  }

  @Test
  void theGroupDoesNotEndBeforeAllOfItsChildrenEnd() {
    Recorder r = new Recorder();
    int v =
        VirtualTime.run( // on real time, a stall between the two spawns could reorder a and b
            () -> {
              int res =
                  Async.taskGroupResult(
                      g -> {
                        g.spawn(() -> sleepRecording(r, "a", Duration.ofMillis(5)));
                        g.spawn(() -> sleepRecording(r, "b", Duration.ofMillis(1)));
                        return 7;
                      });
              r.add("group ended at " + VirtualTime.now().toMillis());
              return res;
            });
    assertThat(v).isEqualTo(7);
    assertThat(r.events()).containsExactly("b done", "a done", "group ended at 5");
  }

  @Test
  void anEagerChildRunsBeforeSpawnEagerReturnsAndBelongsToTheGroup() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          Async.taskGroup(
              g -> {
                Task<Integer> t =
                    g.spawnEager(
                        "eager",
                        () -> {
                          r.add("eager runs");
                          Async.sleep(Duration.ofMillis(1));
                          r.add("eager done");
                          return 1;
                        });
                r.add("spawnEager returned, " + t.name());
                assertThat(g.tasks()).contains(t);
              });
          r.add("group ended");
        });
    assertThat(r.events())
        .containsExactly("eager runs", "spawnEager returned, eager", "eager done", "group ended");
  }

  @Test
  void anEagerChildThatFailsAtOnceFailsTheGroupAndCancelsTheBody() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          ExceptionGroup eg =
              catchThrowableOfType(
                  ExceptionGroup.class,
                  () ->
                      Async.taskGroup(
                          g -> {
                            g.spawnEager(
                                () -> {
                                  throw new IllegalStateException("eager failed");
                                });
                            sleepRecording(r, "body", Duration.ofHours(1));
                          }));
          assertThat(eg.exceptions()).singleElement().isInstanceOf(IllegalStateException.class);
        });
    assertThat(r.events()).containsExactly("body cancelled");
  }

  @Test
  void theFirstFailureCancelsTheSiblingsAndTheBody() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          ExceptionGroup eg =
              catchThrowableOfType(
                  ExceptionGroup.class,
                  () ->
                      Async.taskGroup(
                          g -> {
                            g.spawn(() -> sleepRecording(r, "sibling", Duration.ofHours(1)));
                            g.spawn(
                                () -> {
                                  Async.sleep(Duration.ofMillis(1));
                                  throw new IllegalStateException("child failed");
                                });
                            sleepRecording(r, "body", Duration.ofHours(1));
                          }));
          assertThat(eg.exceptions()).hasSize(1);
          assertThat(eg.exceptions().get(0)).hasMessage("child failed");
          // The group cancelled its parent to stop the body, and withdrew that request.
          assertThat(Async.currentTask().cancelling()).isZero();
          Async.yieldNow(); // the caller is not left cancelled
          r.add("caller continues");
        });
    assertThat(r.events())
        .containsExactly("sibling cancelled", "body cancelled", "caller continues");
  }

  @Test
  void allFailuresLeaveTogetherTheBodysOwnIncluded() {
    Async.run(
        () -> {
          ExceptionGroup eg =
              catchThrowableOfType(
                  ExceptionGroup.class,
                  () ->
                      Async.taskGroup(
                          g -> {
                            g.spawn(
                                () -> {
                                  throw new IllegalArgumentException("child 1");
                                });
                            g.spawn(
                                () -> {
                                  throw new UnsupportedOperationException("child 2");
                                });
                            Async.yieldNow();
                            Async.yieldNow();
                            throw new IllegalStateException("body");
                          }));
          assertThat(eg.exceptions())
              .extracting(Throwable::getMessage)
              .containsExactly("child 1", "child 2");
        });
    Async.run(
        () -> {
          ExceptionGroup eg =
              catchThrowableOfType(
                  ExceptionGroup.class,
                  () ->
                      Async.taskGroup(
                          g -> {
                            g.spawn(
                                () -> {
                                  Async.sleep(Duration.ofMillis(1));
                                  throw new IllegalArgumentException("child");
                                });
                            throw new IllegalStateException("body first");
                          }));
          // the body failed first: the child was cancelled before it could fail
          assertThat(eg.exceptions())
              .extracting(Throwable::getMessage)
              .containsExactly("body first");
        });
  }

  @Test
  void cancellingTheParentCancelsTheChildrenAndComesBackOutAsCancellation() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          Task<Void> parent =
              Async.spawn(
                  () ->
                      Async.taskGroup(
                          g -> {
                            g.spawn(() -> sleepRecording(r, "child 1", Duration.ofHours(1)));
                            g.spawn(() -> sleepRecording(r, "child 2", Duration.ofHours(1)));
                          }));
          Async.sleep(Duration.ofMillis(1));
          parent.cancel();
          assertThatThrownBy(parent::await).isInstanceOf(CancelledError.class);
          assertThat(parent.isCancelled()).isTrue();
        });
    assertThat(r.events()).containsExactly("child 1 cancelled", "child 2 cancelled");
  }

  @Test
  void aCancellationFromOutsideWhileTheGroupAbortsIsDeliveredAfterTheFailures() {
    // asyncio 3.13: the failures still leave as the ExceptionGroup, but cancel() returned true, so
    // the parent's next suspension throws CancelledError instead of the request being lost.
    Recorder r = new Recorder();
    Async.run(
        () -> {
          io.jasyncio.sync.Event cleanupStarted = new io.jasyncio.sync.Event();
          io.jasyncio.sync.Event finishCleanup = new io.jasyncio.sync.Event();
          Task<String> parent =
              Async.spawn(
                  () -> {
                    try {
                      Async.taskGroup(
                          g -> {
                            g.spawn(
                                () -> {
                                  try {
                                    Async.sleep(Duration.ofHours(1));
                                  } finally {
                                    cleanupStarted.set();
                                    finishCleanup.await(); // a clean-up that takes a while
                                  }
                                });
                            g.spawn(
                                () -> {
                                  throw new IllegalArgumentException("child failed");
                                });
                            Async.sleep(Duration.ofHours(1));
                          });
                    } catch (ExceptionGroup eg) {
                      r.add(
                          "caught "
                              + eg.exceptions().get(0).getMessage()
                              + ", cancelling "
                              + Async.currentTask().cancelling());
                    }
                    Async.yieldNow(); // the next suspension
                    r.add("went on");
                    return "finished";
                  });
          cleanupStarted.await(); // the group is aborting, waiting for the clean-up
          r.add("cancel() " + parent.cancel());
          finishCleanup.set();
          assertThatThrownBy(parent::await).isInstanceOf(CancelledError.class);
          assertThat(parent.isCancelled()).isTrue();
        });
    assertThat(r.events()).containsExactly("cancel() true", "caught child failed, cancelling 1");
  }

  @Test
  void aGroupThatFailsWithoutAnOutsideCancellationLeavesNoneBehind() {
    Async.run(
        () -> {
          Task<String> parent =
              Async.spawn(
                  () -> {
                    try {
                      Async.taskGroup(
                          g -> {
                            g.spawn(() -> sleepRecording(new Recorder(), "c", Duration.ofHours(1)));
                            g.spawn(
                                () -> {
                                  throw new IllegalArgumentException("child failed");
                                });
                            Async.sleep(Duration.ofHours(1));
                          });
                    } catch (ExceptionGroup eg) {
                      assertThat(Async.currentTask().cancelling()).isZero();
                    }
                    Async.yieldNow();
                    return "finished";
                  });
          assertThat(parent.await()).isEqualTo("finished");
        });
  }

  @Test
  void failuresWinOverTheParentsCancellation() {
    Async.run(
        () -> {
          Task<Void> parent =
              Async.spawn(
                  () ->
                      Async.taskGroup(
                          g -> {
                            g.spawn(
                                () -> {
                                  try {
                                    Async.sleep(Duration.ofHours(1));
                                  } finally {
                                    throw new IllegalStateException("failed while cancelled");
                                  }
                                });
                          }));
          Async.sleep(Duration.ofMillis(1));
          parent.cancel();
          assertThatThrownBy(parent::await).isInstanceOf(ExceptionGroup.class);
        });
  }

  @Test
  void aFinishedGroupRejectsNewTasks() {
    Async.run(
        () -> {
          TaskGroup[] kept = new TaskGroup[1];
          Async.taskGroup(
              g -> {
                kept[0] = g;
              });
          assertThatThrownBy(() -> kept[0].spawn(() -> 1))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("finished");
          assertThatThrownBy(() -> Async.taskGroup((AsyncConsumer<TaskGroup>) null))
              .isInstanceOf(NullPointerException.class);
        });
  }

  @Test
  void aGroupShuttingDownAfterAFailureRejectsNewTasks() {
    Async.run(
        () -> {
          assertThatThrownBy(
                  () ->
                      Async.taskGroup(
                          g -> {
                            g.spawn(
                                () -> {
                                  throw new IllegalStateException("x");
                                });
                            try {
                              Async.sleep(Duration.ofHours(1));
                            } catch (CancelledError e) {
                              assertThatThrownBy(() -> g.spawn(() -> 1))
                                  .isInstanceOf(IllegalStateException.class)
                                  .hasMessageContaining("shutting down");
                              throw e;
                            }
                          }))
              .isInstanceOf(ExceptionGroup.class);
        });
  }

  @Test
  void groupsNestAndAnInnerFailureTravelsUpAsANestedGroup() {
    Async.run(
        () -> {
          ExceptionGroup outer =
              catchThrowableOfType(
                  ExceptionGroup.class,
                  () ->
                      Async.taskGroup(
                          g ->
                              g.spawn(
                                  () ->
                                      Async.taskGroup(
                                          inner ->
                                              inner.spawn(
                                                  () -> {
                                                    throw new IllegalStateException("deep");
                                                  })))));
          assertThat(outer.exceptions().get(0)).isInstanceOf(ExceptionGroup.class);
          assertThat(outer.find(IllegalStateException.class)).get().hasFieldOrProperty("message");
          assertThat(outer.leaves()).extracting(Throwable::getMessage).containsExactly("deep");
        });
  }
}
