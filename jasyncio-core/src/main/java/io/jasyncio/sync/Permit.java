package io.jasyncio.sync;

/**
 * What {@link Lock#lock()} and {@link Semaphore#permit()} return: the right to a lock or a permit,
 * given back by {@link #close()}, so that try-with-resources releases it on every path,
 * cancellation included.
 *
 * <pre>{@code
 * try (var held = lock.lock()) {
 *   // the lock is held here
 * }
 * }</pre>
 *
 * <p>Invariant: the underlying release runs at most once, however often {@code close} is called.
 */
public final class Permit implements AutoCloseable {
  private Runnable release;

  Permit(Runnable release) {
    this.release = release;
  }

  /**
   * Releases the lock or permit; later calls do nothing. Does not suspend.
   *
   * @throws IllegalStateException if called outside the owning loop's thread (the permit is then
   *     still held)
   */
  @Override
  public void close() {
    Runnable r = release;
    if (r != null) {
      r.run();
      release = null;
    }
  }

  /**
   * Whether {@link #close()} has released it.
   *
   * @return {@code true} once released
   */
  public boolean isReleased() {
    return release == null;
  }
}
