package io.jasyncio.sync;

/**
 * A {@link Semaphore} that may not be released more often than acquired (asyncio's {@code
 * BoundedSemaphore}): a release that would raise the count above the initial number of permits
 * throws, which catches double-release bugs at the call that makes them.
 *
 * <p>Invariant: {@code available()} never exceeds {@link #bound()}. Everything else, suspension,
 * fairness and cancellation included, is as for {@link Semaphore}.
 */
public final class BoundedSemaphore extends Semaphore {
  private final int bound;

  /**
   * Creates a bounded semaphore with {@code permits} permits, which is also its bound.
   *
   * @param permits the initial and largest count, zero or more
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public BoundedSemaphore(int permits) {
    super(permits, "BoundedSemaphore");
    this.bound = permits;
  }

  /**
   * The largest count: the number of permits given at construction.
   *
   * @return the bound
   */
  public int bound() {
    return bound;
  }

  /**
   * Gives a permit back, handing it to the longest-waiting task if there is one. Does not suspend.
   *
   * @throws IllegalStateException if every permit is already available (released more often than
   *     acquired), or not called on the loop's thread
   */
  @Override
  public void release() {
    check("release");
    if (available() >= bound) {
      throw new IllegalStateException(
          "BoundedSemaphore.release: released too many times (all "
              + bound
              + " permits are already available)");
    }
    handOn();
  }
}
