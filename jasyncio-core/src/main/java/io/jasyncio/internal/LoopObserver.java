package io.jasyncio.internal;

/**
 * Hooks for tools that watch a loop (debug mode, introspection, flight recorder). Called on the
 * loop's thread; must be fast and must not suspend.
 */
public interface LoopObserver {
  /** A task was spawned. */
  default void taskSpawned(TaskImpl<?> task) {}

  /** A task starts or resumes running. */
  default void stepStarted(TaskImpl<?> task) {}
}
