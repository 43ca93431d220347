package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** On virtual time ({@link VirtualTime}): a deadline fires exactly when it is due. */
class CancelScopeTest {

  @Test
  void aTimeoutThatExpiresCancelsTheBodyAndThrowsTimeoutExpired() {
    Recorder r = new Recorder();
    VirtualTime.run(
        () -> {
          assertThatThrownBy(
                  () ->
                      Async.timeout(
                          Duration.ofMillis(1),
                          () -> {
                            try {
                              Async.sleep(Duration.ofHours(1));
                              return "no";
                            } finally {
                              r.add("body unwound");
                            }
                          }))
              .isInstanceOf(TimeoutExpiredException.class)
              .hasCauseInstanceOf(CancelledError.class);
          assertThat(VirtualTime.now()).isEqualTo(Duration.ofMillis(1));
          assertThat(Async.currentTask().cancelling()).isZero();
          Async.yieldNow();
          r.add("caller continues");
        });
    assertThat(r.events()).containsExactly("body unwound", "caller continues");
  }

  @Test
  void aTimeoutThatDoesNotExpireReturnsTheBodysValue() {
    String v = VirtualTime.run(() -> Async.timeout(Duration.ofHours(1), () -> "fine"));
    assertThat(v).isEqualTo("fine");
  }

  @Test
  void whenTheInnerTimeoutExpiresFirstOnlyTheInnerScopeConverts() {
    Recorder r = new Recorder();
    VirtualTime.run(
        () ->
            Async.timeout(
                Duration.ofHours(1),
                outer -> {
                  try {
                    Async.timeout(
                        Duration.ofMillis(1),
                        () -> {
                          Async.sleep(Duration.ofHours(1));
                          return null;
                        });
                  } catch (TimeoutExpiredException e) {
                    r.add("inner timed out at " + VirtualTime.now().toMillis());
                  }
                  r.add("outer expired=" + outer.expired());
                  return null;
                }));
    assertThat(r.events()).containsExactly("inner timed out at 1", "outer expired=false");
  }

  @Test
  void whenTheOuterTimeoutExpiresTheInnerScopeLetsTheCancellationThrough() {
    Recorder r = new Recorder();
    VirtualTime.run(
        () -> {
          assertThatThrownBy(
                  () ->
                      Async.timeout(
                          Duration.ofMillis(1),
                          outer -> {
                            try {
                              return Async.timeout(
                                  Duration.ofHours(1),
                                  inner -> {
                                    Async.sleep(Duration.ofHours(2));
                                    return null;
                                  });
                            } catch (CancelledError e) {
                              r.add(
                                  "inner passed the cancellation through at "
                                      + VirtualTime.now().toMillis());
                              throw e;
                            }
                          }))
              .isInstanceOf(TimeoutExpiredException.class);
        });
    assertThat(r.events()).containsExactly("inner passed the cancellation through at 1");
  }

  @Test
  void anOutsideCancellationIsNotTurnedIntoATimeout() {
    VirtualTime.run(
        () -> {
          Task<Object> t =
              Async.spawn(
                  () ->
                      Async.timeout(
                          Duration.ofHours(1),
                          () -> {
                            Async.sleep(Duration.ofHours(2));
                            return null;
                          }));
          Async.yieldNow();
          t.cancel();
          assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
        });
  }

  @Test
  void rescheduleMovesTheDeadlineAndIsRejectedWhenTheScopeIsNotActive() {
    Recorder r = new Recorder();
    VirtualTime.run(
        () -> {
          CancelScope[] kept = new CancelScope[1];
          String v =
              Async.timeout(
                  Duration.ofMillis(1),
                  s -> {
                    kept[0] = s;
                    s.reschedule(Long.MAX_VALUE);
                    Async.sleep(Duration.ofMillis(5)); // past the first deadline
                    assertThat(VirtualTime.now()).isEqualTo(Duration.ofMillis(5));
                    s.rescheduleAfter(Duration.ofHours(1));
                    assertThat(s.deadline()).isGreaterThan(Async.currentLoop().time());
                    return "survived";
                  });
          r.add(v);
          assertThatThrownBy(() -> kept[0].reschedule(0))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("exited");
          assertThatThrownBy(
                  () ->
                      Async.timeout(
                          Duration.ofHours(1),
                          s -> {
                            s.reschedule(Async.currentLoop().time() - 1);
                            Async.sleep(Duration.ofHours(1));
                            return null;
                          }))
              .isInstanceOf(TimeoutExpiredException.class);
        });
    assertThat(r.events()).containsExactly("survived");
  }

  @Test
  void moveOnAfterEndsTheBodyQuietly() {
    Recorder r = new Recorder();
    VirtualTime.run(
        () -> {
          boolean finished =
              Async.moveOnAfter(
                  Duration.ofMillis(1),
                  () -> {
                    Async.sleep(Duration.ofHours(1));
                    r.add("not reached");
                  });
          r.add("finished=" + finished + " at " + VirtualTime.now().toMillis());
          boolean quick = Async.moveOnAfter(Duration.ofHours(1), () -> r.add("quick body"));
          r.add("quick finished=" + quick);
          boolean manual =
              Async.moveOnAfter(
                  Duration.ofHours(1),
                  (CancelScope s) -> {
                    s.cancel();
                    r.add("cancel() requested, expired=" + s.expired());
                    Async.yieldNow();
                    r.add("not reached either");
                  });
          r.add("manual finished=" + manual);
          assertThat(Async.currentTask().cancelling()).isZero();
        });
    assertThat(r.events())
        .containsExactly(
            "finished=false at 1",
            "quick body",
            "quick finished=true",
            "cancel() requested, expired=true",
            "manual finished=false");
  }

  @Test
  void aScopeOutsideATaskFailsClearly() {
    assertThatThrownBy(() -> Async.timeout(Duration.ofSeconds(1), () -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Async.run");
  }

  @Test
  void aTimeoutAroundABodyThatReturnsNothing() {
    VirtualTime.run(
        () -> {
          Async.timeout(Duration.ofHours(1), () -> Async.sleep(Duration.ZERO)); // finishes
          assertThatThrownBy(
                  () -> Async.timeout(Duration.ZERO, () -> Async.sleep(Duration.ofHours(1))))
              .isInstanceOf(TimeoutExpiredException.class);
          // a value-returning body still picks the Callable form
          assertThat(Async.timeout(Duration.ofHours(1), () -> 42)).isEqualTo(42);
        });
  }
}
