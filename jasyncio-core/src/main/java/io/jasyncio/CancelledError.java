package io.jasyncio;

/**
 * Thrown at a task's suspension point when the task is cancelled, and by {@code await} on a
 * cancelled task or promise (asyncio's {@code CancelledError}).
 *
 * <h2>Why an {@link Error}</h2>
 *
 * Cancellation must travel up through user code to the task boundary, running {@code finally}
 * blocks and closing resources on the way. Java code very often contains {@code catch (Exception
 * e)} around I/O or parsing; if this type were an {@code Exception} (as Kotlin's {@code
 * CancellationException} is) such a block would swallow the cancellation by accident and the task
 * would keep running. Python had the same problem and moved {@code CancelledError} out of {@code
 * Exception} in 3.8. Extending {@code Error} keeps it out of {@code catch (Exception e)} while
 * {@code finally} and try-with-resources still run. Code that really means to stop a cancellation
 * catches this type by name, and should then either rethrow it or call {@link Task#uncancel()}.
 *
 * <p>Stack traces are kept: they show where the task was waiting when it was cancelled.
 */
public final class CancelledError extends Error {
  private static final long serialVersionUID = 1L;

  /**
   * Creates a cancellation with a message (may be {@code null}).
   *
   * @param message what was cancelled and why, or {@code null}
   */
  public CancelledError(String message) {
    super(message);
  }

  /**
   * Creates a cancellation caused by another one, used when a cancellation is rethrown to an
   * awaiter.
   *
   * @param message what was cancelled, or {@code null}
   * @param cause the original cancellation, or {@code null}
   */
  public CancelledError(String message, Throwable cause) {
    super(message, cause);
  }
}
