package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PromiseTest {

  @Test
  void aPromiseWakesItsWaitersWithTheValue() {
    String v =
        Async.run(
            () -> {
              Promise<String> p = Async.promise();
              Async.currentLoop().callSoon(() -> p.complete("set"));
              return p.await();
            });
    assertThat(v).isEqualTo("set");
  }

  @Test
  void aFailedPromiseRethrowsAndACancelledOneThrowsCancelledError() {
    Async.run(
        () -> {
          Promise<String> failed = Async.promise();
          failed.fail(new IllegalStateException("nope"));
          assertThatThrownBy(failed::await).hasMessage("nope");
          Promise<String> cancelled = Async.promise();
          assertThat(cancelled.cancel()).isTrue();
          assertThat(cancelled.cancel()).isFalse();
          assertThatThrownBy(cancelled::await).isInstanceOf(CancelledError.class);
          assertThatThrownBy(cancelled::result).isInstanceOf(CancelledError.class);
        });
  }

  @Test
  void aPromiseIsSetOnceAndRejectsBadInput() {
    Async.run(
        () -> {
          Promise<String> p = Async.promise();
          p.complete("a");
          assertThatThrownBy(() -> p.complete("b"))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("already done");
          Promise<String> q = Async.promise();
          assertThatThrownBy(() -> q.fail(null)).isInstanceOf(NullPointerException.class);
          assertThatThrownBy(() -> q.fail(new CancelledError("x")))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("cancel()");
          assertThatThrownBy(() -> q.addDoneCallback(null))
              .isInstanceOf(NullPointerException.class);
          q.cancel();
        });
  }

  @Test
  void cancellingTheWaiterCancelsThePromise() {
    Async.run(
        () -> {
          Promise<String> p = Async.promise();
          Task<String> t = Async.spawn(p::await);
          Async.yieldNow();
          t.cancel();
          assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
          assertThat(p.isCancelled()).isTrue();
        });
  }

  @Test
  void toCompletableFutureMirrorsTheOutcomeForOtherThreads() throws Exception {
    try (Runner runner = Runner.create()) {
      var cf =
          runner.run(
              () -> {
                Promise<Integer> p = Async.promise();
                var f = p.toCompletableFuture();
                p.complete(9);
                Async.yieldNow();
                return f;
              });
      assertThat(cf.get(5, TimeUnit.SECONDS)).isEqualTo(9);
    }
  }
}
