package io.jasyncio;

/**
 * A body that takes one argument (a {@link TaskGroup}, a {@link CancelScope}), returns nothing and
 * may throw.
 *
 * @param <A> the argument type
 */
@FunctionalInterface
public interface AsyncConsumer<A> {
  /**
   * Runs the body.
   *
   * @param arg the argument
   * @throws Exception anything; it propagates out of the enclosing call
   */
  void accept(A arg) throws Exception;
}
