package io.jasyncio;

import io.jasyncio.internal.LoopImpl;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * An event loop: runs tasks and callbacks one at a time, switching only where a task waits.
 *
 * <p><b>Threading.</b> Methods are for the loop's own thread (its tasks and callbacks) and throw
 * {@link IllegalStateException} elsewhere, except the ones documented as thread-safe: {@link
 * #callSoonThreadsafe}, {@link #submit}, {@link #time}, {@link #isRunning}, {@link #isClosed},
 * {@link #isDebug}.
 *
 * <p><b>Order.</b> Ready work runs first-in first-out in the order it became ready; timers fire
 * in deadline order, ties in scheduling order.
 *
 * <p>Obtain a loop from a {@link Runner} or, inside a task, with {@link Async#currentLoop()}.
 */
public sealed interface EventLoop permits LoopImpl {
  /**
   * Schedules {@code callback} to run on the loop after the work already ready. Callbacks must
   * not suspend; spawn a task for that.
   *
   * @param callback the callback
   * @return a handle that can cancel it
   * @throws NullPointerException if {@code callback} is null
   * @throws IllegalStateException if not on the loop's thread, or the loop is closed
   */
  Handle callSoon(Runnable callback);

  /**
   * Thread-safe {@link #callSoon}: may be called from any thread; wakes the loop if it is idle.
   *
   * @param callback the callback
   * @return a handle; cancelling it from any thread prevents the callback if it has not run
   * @throws NullPointerException if {@code callback} is null
   * @throws IllegalStateException if the loop is closed
   */
  Handle callSoonThreadsafe(Runnable callback);

  /**
   * Schedules {@code callback} after {@code delay}.
   *
   * @param delay zero or positive
   * @param callback the callback
   * @return a handle that can cancel it
   * @throws IllegalArgumentException if {@code delay} is negative
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if not on the loop's thread, or the loop is closed
   */
  TimerHandle callLater(Duration delay, Runnable callback);

  /**
   * Schedules {@code callback} at {@code when} on the loop's clock ({@link #time()}); a time in
   * the past runs it at the next timer check.
   *
   * @param when the deadline in nanoseconds of {@link #time()}
   * @param callback the callback
   * @return a handle that can cancel it
   * @throws NullPointerException if {@code callback} is null
   * @throws IllegalStateException if not on the loop's thread, or the loop is closed
   */
  TimerHandle callAt(long when, Runnable callback);

  /**
   * The loop's monotonic clock in nanoseconds (virtual in a test loop). Thread-safe.
   *
   * @return the current time; only differences are meaningful
   */
  long time();

  /**
   * Spawns a task on this loop (asyncio's {@code loop.create_task}); it starts after the work
   * already ready.
   *
   * @param body the task body
   * @param <T> the result type
   * @return the task
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalStateException if not on the loop's thread, or the loop is closed
   */
  <T> Task<T> spawn(Callable<T> body);

  /**
   * Spawns a named task.
   *
   * @param name the task's name
   * @param body the task body
   * @param <T> the result type
   * @return the task
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if not on the loop's thread, or the loop is closed
   */
  <T> Task<T> spawn(String name, Callable<T> body);

  /**
   * Runs {@code body} as a task on this loop from any thread and returns a future of its result
   * (asyncio's {@code run_coroutine_threadsafe}). Thread-safe. Cancelling the returned future
   * cancels the task.
   *
   * @param body the task body
   * @param <T> the result type
   * @return a future completed with the task's outcome
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalStateException if the loop is closed
   */
  <T> CompletableFuture<T> submit(Callable<T> body);

  /**
   * Creates a promise bound to this loop.
   *
   * @param <T> the result type
   * @return a pending promise
   */
  <T> Promise<T> createPromise();

  /**
   * Replaces the exception handler; {@code null} restores the default (log at ERROR).
   *
   * @param handler the handler or {@code null}
   */
  void setExceptionHandler(ExceptionHandler handler);

  /**
   * Passes an error to the exception handler. If the handler itself throws, both are logged.
   *
   * @param context what happened
   */
  void callExceptionHandler(ExceptionContext context);

  /** Whether debug mode is on. Thread-safe. */
  boolean isDebug();

  /**
   * Turns debug mode on or off.
   *
   * @param debug the new setting
   */
  void setDebug(boolean debug);

  /** Whether the loop is running a {@link Runner#run} call now. Thread-safe. */
  boolean isRunning();

  /** Whether the loop is closed. Thread-safe. */
  boolean isClosed();

  /**
   * The tasks of this loop that are not done, in spawn order.
   *
   * @return a snapshot
   */
  Set<Task<?>> allTasks();
}
