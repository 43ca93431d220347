package io.jasyncio.test;

import io.jasyncio.internal.ReadyShuffler;
import java.util.SplittableRandom;

/**
 * Permutes each batch of ready work uniformly (Fisher-Yates) with a generator seeded once per loop,
 * so the same seed and the same program give the same sequence of permutations.
 */
final class SeededShuffler implements ReadyShuffler {
  private final SplittableRandom random;

  SeededShuffler(long seed) {
    this.random = new SplittableRandom(seed);
  }

  @Override
  public void shuffle(Object[] items) {
    for (int i = items.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Object t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
  }
}
