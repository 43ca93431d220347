package io.jasyncio;

import java.util.Set;

/**
 * What {@link Async#wait} returns: the awaitables that are done and those still pending, each in
 * the order they were given.
 *
 * @param done the finished ones
 * @param pending the others
 * @param <T> the result type
 */
public record WaitResult<T>(Set<Awaitable<T>> done, Set<Awaitable<T>> pending) {
  /** Copies the sets, keeping their order. */
  public WaitResult {
    done = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(done));
    pending = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(pending));
  }
}
