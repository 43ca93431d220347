package io.jasyncio;

/**
 * Carries a checked exception out of a task to code that awaits it. Task bodies may throw checked
 * exceptions ({@link java.util.concurrent.Callable#call()} does); {@code await} and {@link
 * Async#run} rethrow unchecked exceptions and errors unchanged and wrap checked ones in this, with
 * the original as {@link #getCause()}.
 */
public final class AsyncException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Wraps {@code cause}.
   *
   * @param message where the exception came from
   * @param cause the checked exception
   */
  public AsyncException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Rethrows {@code t} unchanged if it is unchecked, else wrapped in an {@code AsyncException}.
   * Declared to return an exception so callers can write {@code throw AsyncException.rethrow(t)}.
   *
   * @param t the throwable to rethrow
   * @return never returns normally
   */
  public static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new AsyncException(t.toString(), t);
  }
}
