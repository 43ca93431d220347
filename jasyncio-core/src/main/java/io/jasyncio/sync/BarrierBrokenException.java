package io.jasyncio.sync;

/**
 * Thrown by {@link Barrier#await()} when the barrier is broken: {@link Barrier#abort()} was called,
 * or {@link Barrier#reset()} released the tasks waiting on it (asyncio's {@code
 * BrokenBarrierError}). Named apart from {@link java.util.concurrent.BrokenBarrierException}, which
 * is checked and belongs to thread barriers.
 */
public final class BarrierBrokenException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what broke the barrier
   */
  public BarrierBrokenException(String message) {
    super(message);
  }
}
