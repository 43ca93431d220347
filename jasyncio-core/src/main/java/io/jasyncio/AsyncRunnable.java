package io.jasyncio;

/**
 * A task body that returns nothing and may throw, the void twin of {@link
 * java.util.concurrent.Callable}.
 */
@FunctionalInterface
public interface AsyncRunnable {
  /**
   * Runs the body.
   *
   * @throws Exception anything; it becomes the task's exception
   */
  void run() throws Exception;
}
