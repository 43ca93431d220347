package io.jasyncio.internal;

import io.jasyncio.ExceptionContext;
import java.util.List;
import java.util.Objects;

/**
 * Hooks for tools that watch a loop (debug mode, introspection, flight recorder). Called on the
 * loop's thread; must be fast and must not suspend.
 *
 * <p>A loop has one observer; the debug support installs one on every loop. A tool that wants its
 * own adds it with {@code loop.observer = LoopObserver.compose(loop.observer, mine)}.
 */
public interface LoopObserver {
  /** A task was spawned. */
  default void taskSpawned(TaskImpl<?> task) {}

  /** A task starts or resumes running. */
  default void stepStarted(TaskImpl<?> task) {}

  /** A task's step ended: it suspended, or its body returned or threw. */
  default void stepEnded(TaskImpl<?> task) {}

  /** A callback (a {@code callSoon}/{@code callLater} handle, not a task) starts running. */
  default void callbackStarted(Runnable callback) {}

  /** The callback that started last returned or threw. */
  default void callbackEnded(Runnable callback) {}

  /** The loop passes {@code context} to its exception handler. */
  default void exceptionReported(ExceptionContext context) {}

  /** The loop is closing and is about to cancel {@code pending}, the tasks still not done. */
  default void loopClosing(List<TaskImpl<?>> pending) {}

  /**
   * An observer that calls {@code first}, then {@code second}; either may be null.
   *
   * @return the combination, or the non-null one, or null if both are null
   */
  static LoopObserver compose(LoopObserver first, LoopObserver second) {
    if (first == null) {
      return second;
    }
    if (second == null) {
      return first;
    }
    return new Both(first, second);
  }

  /** Two observers called in order. */
  record Both(LoopObserver first, LoopObserver second) implements LoopObserver {
    /** Requires both. */
    public Both {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(second, "second");
    }

    @Override
    public void taskSpawned(TaskImpl<?> task) {
      first.taskSpawned(task);
      second.taskSpawned(task);
    }

    @Override
    public void stepStarted(TaskImpl<?> task) {
      first.stepStarted(task);
      second.stepStarted(task);
    }

    @Override
    public void stepEnded(TaskImpl<?> task) {
      first.stepEnded(task);
      second.stepEnded(task);
    }

    @Override
    public void callbackStarted(Runnable callback) {
      first.callbackStarted(callback);
      second.callbackStarted(callback);
    }

    @Override
    public void callbackEnded(Runnable callback) {
      first.callbackEnded(callback);
      second.callbackEnded(callback);
    }

    @Override
    public void exceptionReported(ExceptionContext context) {
      first.exceptionReported(context);
      second.exceptionReported(context);
    }

    @Override
    public void loopClosing(List<TaskImpl<?>> pending) {
      first.loopClosing(pending);
      second.loopClosing(pending);
    }
  }
}
