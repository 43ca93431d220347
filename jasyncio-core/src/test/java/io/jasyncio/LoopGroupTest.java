package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopGroupTest {
  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  @Test
  void submitPlacesTasksRoundRobinAndSubmitWithAnIndexPlacesThemOnThatLoop() throws Exception {
    try (LoopGroup group = LoopGroup.create(2)) {
      assertThat(group.size()).isEqualTo(2);
      List<EventLoop> seen = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        seen.add(get(group.submit(Async::currentLoop)));
      }
      assertThat(seen.get(0)).isNotSameAs(seen.get(1));
      assertThat(seen.get(2)).isSameAs(seen.get(0));
      assertThat(seen.get(3)).isSameAs(seen.get(1));
      assertThat(group.loops()).containsExactlyInAnyOrder(seen.get(0), seen.get(1));
      assertThat(get(group.submit(1, Async::currentLoop))).isSameAs(group.loop(1));
    }
  }

  @Test
  void runOnAllRunsTheBodyOnceOnEveryLoopAndReturnsResultsInLoopOrder() throws Exception {
    try (LoopGroup group = LoopGroup.create(2)) {
      assertThat(get(group.runOnAll(Async::currentLoop))).isEqualTo(group.loops());
      CompletableFuture<List<Object>> failing =
          group.runOnAll(
              () -> {
                throw new IllegalStateException("on " + Async.currentLoop());
              });
      assertThatThrownBy(() -> get(failing))
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseInstanceOf(IllegalStateException.class)
          .hasRootCauseMessage("on " + group.loop(0));
    }
  }

  @Test
  void aTaskAwaitsWorkOnAnotherLoopThroughTheFutureSubmitReturns() throws Exception {
    try (LoopGroup group = LoopGroup.create(2)) {
      String r =
          get(
              group.submit(
                  0,
                  () -> {
                    CompletableFuture<String> other =
                        group.submit(
                            1,
                            () -> {
                              Async.yieldNow();
                              return "from loop 1";
                            });
                    return Async.await(other)
                        + ", awaited on "
                        + (Async.currentLoop() == group.loop(0));
                  }));
      assertThat(r).isEqualTo("from loop 1, awaited on true");
    }
  }

  @Test
  void awaitingAPromiseOfLoopAFromATaskOfLoopBFailsWithAClearError() throws Exception {
    try (LoopGroup group = LoopGroup.create(2)) {
      Promise<String> onA = get(group.submit(0, Async::<String>promise));
      CompletableFuture<String> fromB = group.submit(1, onA::await);
      assertThatThrownBy(() -> get(fromB))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("belongs to another event loop")
          .hasMessageContaining("EventLoop.submit");
      Task<?> taskOnA = get(group.submit(0, () -> Async.spawn(() -> Async.promise().await())));
      assertThatThrownBy(() -> get(group.submit(1, taskOnA::await)))
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("belongs to another event loop");
    }
  }

  @Test
  void closeCancelsPendingTasksClosesEveryLoopAndRejectsLaterSubmissions() throws Exception {
    LoopGroup group = LoopGroup.create(2);
    CompletableFuture<Void> started = new CompletableFuture<>();
    CompletableFuture<String> cleanup = new CompletableFuture<>();
    CompletableFuture<Object> pending =
        group.submit(
            1,
            () -> {
              started.complete(null);
              try {
                return Async.promise().await();
              } finally {
                cleanup.complete("finally ran");
              }
            });
    get(started);
    group.close();
    assertThat(group.isClosed()).isTrue();
    assertThat(group.loops()).allMatch(EventLoop::isClosed);
    assertThat(cleanup.getNow(null)).isEqualTo("finally ran");
    assertThat(pending.isCancelled()).isTrue();
    assertThatThrownBy(() -> group.submit(() -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the loop group is closed");
    assertThatThrownBy(() -> group.runOnAll(() -> 1)).isInstanceOf(IllegalStateException.class);
    group.close(); // idempotent
    assertThat(group.toString()).contains("closed");
  }

  @Test
  void badArgumentsAreRejected() throws Exception {
    assertThatThrownBy(() -> LoopGroup.create(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loops must be at least 1: 0");
    try (LoopGroup group = LoopGroup.create(1)) {
      assertThatThrownBy(() -> group.submit(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> group.submit(0, null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> group.runOnAll(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> group.submit(1, () -> 1))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> group.loop(-1)).isInstanceOf(IndexOutOfBoundsException.class);
      CompletableFuture<Void> inside =
          group.submit(
              () -> {
                group.close();
                return null;
              });
      assertThatThrownBy(() -> get(inside))
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot be closed from one of its own loops");
    }
  }

  @Test
  void combinatorsGivenAnotherLoopsTaskNameBothLoopsAndTheWayAcross() throws Exception {
    try (LoopGroup g = LoopGroup.create(2)) {
      Promise<String> never = get(g.submit(0, () -> Async.<String>promise()));
      for (int i = 0; i < 3; i++) {
        int which = i;
        CompletableFuture<Object> f =
            g.submit(
                1,
                () ->
                    switch (which) {
                      case 0 -> Async.gather(never);
                      case 1 -> Async.wait(List.of(never), WaitMode.ALL_COMPLETED);
                      default -> Async.shield(never);
                    });
        Throwable e =
            org.assertj.core.api.Assertions.catchThrowableOfType(
                    ExecutionException.class, () -> get(f))
                .getCause();
        assertThat(e)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("(loop " + ((io.jasyncio.internal.LoopImpl) g.loop(0)).id() + ")")
            .hasMessageContaining("(loop " + ((io.jasyncio.internal.LoopImpl) g.loop(1)).id() + ")")
            .hasMessageContaining("EventLoop.submit(...)");
      }
    }
  }
}
