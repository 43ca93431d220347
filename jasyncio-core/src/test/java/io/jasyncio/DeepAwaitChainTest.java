package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a task cancels what it awaits, which cancels what that awaits, and so on: a chain
 * thousands of tasks deep must not overflow the stack of whoever cancels (it used to: four frames
 * per level).
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
}
