package io.jasyncio;

import io.jasyncio.internal.Bodies;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.SystemClock;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Owns one event loop and runs main tasks on it, one {@link #run} call at a time (asyncio's {@code
 * Runner}). Tasks left pending by one run continue in the next. {@link #close()} cancels what is
 * still pending, lets it finish, reports failures nobody retrieved, and ends the loop's threads.
 *
 * <pre>{@code
 * try (var runner = Runner.create()) {
 *   runner.run(() -> setUp());
 *   runner.run(() -> serve());
 * }
 * }</pre>
 *
 * <p>Thread-safety: {@code run} and {@code close} are called from ordinary (non-loop) threads, one
 * at a time.
 */
public final class Runner implements AutoCloseable {
  private final LoopImpl loop;

  private Runner(LoopImpl loop) {
    this.loop = loop;
  }

  /**
   * A runner with a new loop; debug mode follows the {@code jasyncio.debug} system property or the
   * {@code JASYNCIO_DEBUG} environment variable ({@code 1} or {@code true}).
   *
   * @return the runner
   */
  public static Runner create() {
    return builder().build();
  }

  /**
   * A builder for a runner with options.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Options of a {@link Runner}. */
  public static final class Builder {
    private Boolean debug;
    private ExceptionHandler handler;

    private Builder() {}

    /**
     * Turns debug mode on or off, overriding the system property and environment variable.
     *
     * @param on the setting
     * @return this builder
     */
    public Builder debug(boolean on) {
      this.debug = on;
      return this;
    }

    /**
     * Sets the loop's exception handler.
     *
     * @param h the handler
     * @return this builder
     * @throws NullPointerException if {@code h} is null
     */
    public Builder exceptionHandler(ExceptionHandler h) {
      this.handler = Objects.requireNonNull(h, "exceptionHandler");
      return this;
    }

    /**
     * Creates the runner and its loop.
     *
     * @return the runner
     */
    public Runner build() {
      LoopImpl loop = new LoopImpl(SystemClock.INSTANCE, debug != null ? debug : debugDefault());
      if (handler != null) {
        loop.setExceptionHandler(handler);
      }
      return new Runner(loop);
    }
  }

  static boolean debugDefault() {
    String p = System.getProperty("jasyncio.debug");
    if (p == null) {
      p = System.getenv("JASYNCIO_DEBUG");
    }
    return p != null && (p.equals("1") || p.equalsIgnoreCase("true"));
  }

  /** The loop this runner owns. */
  public EventLoop loop() {
    return loop;
  }

  /**
   * Runs {@code main} as a task and returns its result once it is done and the loop has paused.
   *
   * @param main the main task's body
   * @param <T> the result type
   * @return the result
   * @throws AsyncException wrapping a checked exception {@code main} threw; unchecked ones and
   *     errors (including {@link CancelledError}) are rethrown as they are
   * @throws IllegalStateException if called from a loop's thread, or the runner is closed or busy
   */
  public <T> T run(Callable<T> main) {
    return loop.runUntilComplete(main);
  }

  /**
   * Runs a main task that returns nothing.
   *
   * @param main the main task's body
   * @throws IllegalStateException as {@link #run(Callable)}
   */
  public void run(AsyncRunnable main) {
    Objects.requireNonNull(main, "main");
    loop.runUntilComplete(Bodies.callable(main));
  }

  /**
   * Cancels the tasks still pending, waits for them to finish, reports failures nobody retrieved to
   * the exception handler, and ends the loop's threads. Idempotent.
   */
  @Override
  public void close() {
    loop.close();
  }
}
