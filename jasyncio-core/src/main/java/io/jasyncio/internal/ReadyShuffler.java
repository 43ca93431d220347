package io.jasyncio.internal;

/**
 * Permutes the items of one batch of ready work (see {@link LoopImpl#shuffler}).
 *
 * <p>Called by the loop's baton holder each time a batch with two or more items is formed, with
 * exactly the items of that batch (tasks to start or resume, and callbacks, including timer
 * callbacks that just fell due), in first-in first-out order. It may reorder the array in place and
 * must not add, drop or duplicate items, call into the loop, or block. A task appears at most once
 * in a batch, so a task's own steps stay in program order whatever the permutation.
 */
@FunctionalInterface
public interface ReadyShuffler {
  /**
   * Reorders {@code items} in place.
   *
   * @param items the batch, in FIFO order; length two or more
   */
  void shuffle(Object[] items);
}
