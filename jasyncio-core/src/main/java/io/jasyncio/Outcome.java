package io.jasyncio;

/**
 * The outcome of one piece of work: a value or a failure (cancellation included). Returned by
 * {@link Async#gatherSettled}, asyncio's {@code gather(..., return_exceptions=True)}.
 *
 * @param <T> the value type
 */
public sealed interface Outcome<T> {
  /**
   * A value.
   *
   * @param value the value, may be {@code null}
   * @param <T> the value type
   */
  record Success<T>(T value) implements Outcome<T> {}

  /**
   * A failure; a {@link CancelledError} for cancelled work.
   *
   * @param error the failure
   * @param <T> the value type
   */
  record Failure<T>(Throwable error) implements Outcome<T> {
    /** Requires an error. */
    public Failure {
      java.util.Objects.requireNonNull(error, "error");
    }
  }

  /** Whether this is a {@link Success}. */
  default boolean isSuccess() {
    return this instanceof Success<T>;
  }

  /**
   * Returns the value, or rethrows the failure (checked ones wrapped in {@link AsyncException}).
   *
   * @return the value
   */
  default T getOrThrow() {
    return switch (this) {
      case Success<T> s -> s.value();
      case Failure<T> f -> throw AsyncException.rethrow(f.error());
    };
  }
}
