package io.jasyncio;

/**
 * A body that takes one argument (a {@link TaskGroup}, a {@link CancelScope}) and may throw.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface AsyncFunction<A, R> {
  /**
   * Runs the body.
   *
   * @param arg the argument
   * @return the result
   * @throws Exception anything; it propagates out of the enclosing call
   */
  R apply(A arg) throws Exception;
}
