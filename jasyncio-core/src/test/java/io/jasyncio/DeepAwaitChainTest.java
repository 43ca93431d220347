package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a task cancels what it awaits, which cancels what that awaits, and so on: a chain
 * thousands of tasks deep must not overflow the stack of whoever cancels (it used to: four frames
 * per level); the deliveries keep asyncio's depth-first order, and one hook that throws loses none
 * of the others.
 */
class DeepAwaitChainTest {
  static final int DEPTH = 5_000;

  /** Spawns a chain of {@code depth} tasks, each awaiting the next; the last waits for good. */
  static Task<Void> chain(int depth, List<Task<Void>> all, boolean viaGather) {
    Task<Void> t =
        Async.spawn(
            () -> {
              if (depth == 1) {
                Async.<Void>promise().await();
              } else if (viaGather) {
                Async.gather(chain(depth - 1, all, true));
              } else {
                chain(depth - 1, all, false).await();
              }
            });
    all.add(t);
    return t;
  }

  /** Builds a chain, lets every level start waiting, cancels the top; every level is cancelled. */
  static void cancelTheTop(boolean viaGather) {
    Async.run(
        () -> {
          List<Task<Void>> all = new ArrayList<>();
          Task<Void> top = chain(DEPTH, all, viaGather);
          while (all.size() < DEPTH) {
            Async.yieldNow();
          }
          Async.yieldNow();
          assertThat(top.cancel()).isTrue();
          assertThatThrownBy(top::await).isInstanceOf(CancelledError.class);
          assertThat(all).allMatch(Task::isCancelled);
        });
  }

  @Test
  void cancellingTheTopOfADeepAwaitChainCancelsEveryLevel() {
    cancelTheTop(false);
  }

  @Test
  void cancellingTheTopOfADeepGatherChainCancelsEveryLevel() {
    cancelTheTop(true);
  }

  /** Closing the loop cancels the chain too (from the loop's own close path). */
  @Test
  void closingALoopWithADeepChainCancelsItAll() {
    List<Task<Void>> all = new ArrayList<>();
    try (Runner r = Runner.create()) {
      r.run(
          () -> {
            chain(DEPTH, all, false);
            while (all.size() < DEPTH) {
              Async.yieldNow();
            }
            return null;
          });
    }
    assertThat(all).hasSize(DEPTH).allMatch(Task::isCancelled);
  }

  /**
   * As asyncio, a cascading cancellation is delivered depth first: gather(a, b) where a awaits a1:
   * a1's wait is given up before b's, so a1 runs its cleanup first.
   */
  @Test
  void cascadingCancellationIsDeliveredDepthFirstAsInAsyncio() {
    List<String> order = new ArrayList<>();
    VirtualTime.run(
        () -> {
          Task<Void> a1 =
              Async.spawn(
                  () -> {
                    try {
                      Async.sleep(Duration.ofHours(1));
                    } finally {
                      order.add("a1");
                    }
                  });
          Task<Void> a =
              Async.spawn(
                  () -> {
                    try {
                      a1.await();
                    } finally {
                      order.add("a");
                    }
                  });
          Task<Void> b =
              Async.spawn(
                  () -> {
                    try {
                      Async.sleep(Duration.ofHours(1));
                    } finally {
                      order.add("b");
                    }
                  });
          Task<List<Void>> g = Async.spawn(() -> Async.gather(a, b));
          for (int i = 0; i < 5; i++) {
            Async.yieldNow();
          }
          g.cancel();
          try {
            g.await();
          } catch (CancelledError expected) {
            // the gather's own cancellation
          }
          for (int i = 0; i < 5; i++) {
            Async.yieldNow();
          }
          return null;
        });
    assertThat(order).containsExactly("a1", "b", "a");
  }

  /** A Future whose cancel throws (a buggy third-party future). */
  static final class ThrowingFuture<T> extends CompletableFuture<T> {
    boolean refused;

    @Override
    public boolean cancel(boolean mayInterrupt) {
      if (!refused) {
        refused = true;
        throw new IllegalStateException("cancel refused");
      }
      return super.cancel(mayInterrupt);
    }
  }

  /**
   * gather(x, y): x's hook throws. y's request was already counted (cancelling() == 1), so it must
   * still be delivered: a queued delivery lost to another's failure left y sleeping on.
   */
  @Test
  void aThrowingHookDoesNotLoseTheOtherQueuedDeliveries() {
    VirtualTime.run(
        () -> {
          ThrowingFuture<Void> bad = new ThrowingFuture<>();
          Task<Void> x = Async.spawn(() -> Async.await(bad));
          Task<Void> y = Async.spawn(() -> Async.sleep(Duration.ofMillis(300)));
          Task<List<Void>> g = Async.spawn(() -> Async.gather(x, y));
          for (int i = 0; i < 5; i++) {
            Async.yieldNow();
          }
          assertThatThrownBy(g::cancel).hasMessageContaining("cancel refused");
          int yCount = y.cancelling();
          try {
            y.await();
          } catch (CancelledError e) {
            // delivered, as it must be
          }
          // counted => must be delivered
          assertThat(yCount == 0 || y.isCancelled())
              .as("y.cancelling()=" + yCount + " but cancelled=" + y.isCancelled())
              .isTrue();
          x.cancel(); // the second cancel goes through: x ends, and so does the gather
          try {
            g.await();
          } catch (Throwable e) {
            // how the gather ends is not the point here
          }
          return null;
        });
  }
}
