package io.jasyncio;

import io.jasyncio.internal.Combinators;
import io.jasyncio.internal.LoopClock;
import io.jasyncio.internal.LoopImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * The entry point: run a program on an event loop, and the calls its tasks make.
 *
 * <pre>{@code
 * var results = Async.run(() -> Async.gather(
 *     () -> fetch("https://example.com"),
 *     () -> fetch("https://example.org")));
 * }</pre>
 *
 * <p>Calls marked <b>suspends</b> may switch to other tasks of the loop before they return; every
 * other call runs to completion without a switch, so code between two suspending calls is atomic
 * with respect to the loop's other tasks. A suspending call made outside a task (on a plain thread,
 * or in a loop callback) throws {@link IllegalStateException} at once, saying what to do instead. A
 * suspending call throws {@link CancelledError} when its task is cancelled.
 */
public final class Async {
  private Async() {}

  // ---- running a program ----

  /**
   * Runs {@code main} as the main task of a new event loop, closes the loop, and returns the result
   * (asyncio's {@code run}). Tasks still pending when {@code main} returns are cancelled and
   * allowed to finish; failures nobody retrieved are reported to the loop's exception handler. If
   * the calling thread is interrupted meanwhile, the main task is cancelled (its clean-up still
   * runs) and this throws {@link CancelledError}, with the interrupt status set again.
   *
   * @param main the main task's body
   * @param <T> the result type
   * @return what {@code main} returned
   * @throws AsyncException wrapping a checked exception from {@code main}; unchecked exceptions and
   *     errors are rethrown unchanged
   * @throws IllegalStateException if called from a task or callback of a running loop
   * @throws NullPointerException if {@code main} is null
   */
  public static <T> T run(Callable<T> main) {
    Objects.requireNonNull(main, "main");
    try (Runner r = Runner.create()) {
      return r.run(main);
    }
  }

  /**
   * Runs a main task that returns nothing; see {@link #run(Callable)}.
   *
   * @param main the main task's body
   */
  public static void run(AsyncRunnable main) {
    Objects.requireNonNull(main, "main");
    try (Runner r = Runner.create()) {
      r.run(main);
    }
  }

  // ---- tasks ----

  /**
   * Spawns a task on the current loop; it starts after the work already ready (asyncio's {@code
   * create_task}). Does not suspend. Keep the task (or use a {@link TaskGroup}): a failure nobody
   * awaits is reported to the loop's exception handler.
   *
   * @param body the task body
   * @param <T> the result type
   * @return the new task
   * @throws IllegalStateException if not called on a loop's thread
   */
  public static <T> Task<T> spawn(Callable<T> body) {
    return loopForSpawn().spawn(null, body, false);
  }

  /**
   * Spawns a named task; see {@link #spawn(Callable)}.
   *
   * @param name the name shown in errors and task listings
   * @param body the task body
   * @param <T> the result type
   * @return the new task
   */
  public static <T> Task<T> spawn(String name, Callable<T> body) {
    Objects.requireNonNull(name, "name");
    return loopForSpawn().spawn(name, body, false);
  }

  /**
   * Spawns a task that returns nothing; see {@link #spawn(Callable)}.
   *
   * @param body the task body
   * @return the new task
   */
  public static Task<Void> spawn(AsyncRunnable body) {
    return loopForSpawn().spawn(null, body);
  }

  /**
   * Spawns a task that runs at once, before the caller continues and before other ready work, until
   * its first suspension (asyncio 3.12's eager tasks). <b>Suspends</b> the caller while the new
   * task runs; the returned task is already done if it never suspended. Called from a loop
   * callback, the task is put first in the ready queue instead.
   *
   * @param body the task body
   * @param <T> the result type
   * @return the new task
   */
  public static <T> Task<T> spawnEager(Callable<T> body) {
    return loopForSpawn().spawn(null, body, true);
  }

  /**
   * Spawns a named eager task; see {@link #spawnEager(Callable)}.
   *
   * @param name the name shown in errors and task listings
   * @param body the task body
   * @param <T> the result type
   * @return the new task
   */
  public static <T> Task<T> spawnEager(String name, Callable<T> body) {
    Objects.requireNonNull(name, "name");
    return loopForSpawn().spawn(name, body, true);
  }

  private static LoopImpl loopForSpawn() {
    LoopImpl loop = LoopImpl.currentOrNull();
    if (loop == null) {
      throw new IllegalStateException(
          "Async.spawn must be called on an event loop's thread (from a task or callback); from"
              + " outside use Async.run(...) or EventLoop.submit(...)");
    }
    return loop;
  }

  /**
   * The task running this code.
   *
   * @return the current task
   * @throws IllegalStateException if not called from a task
   */
  public static Task<?> currentTask() {
    return LoopImpl.currentTask("Async.currentTask");
  }

  /**
   * The loop running this code (from a task or a callback).
   *
   * @return the running loop
   * @throws IllegalStateException if no loop runs on this thread
   */
  public static EventLoop currentLoop() {
    LoopImpl loop = LoopImpl.currentOrNull();
    if (loop == null) {
      throw new IllegalStateException(
          "no event loop runs on " + Thread.currentThread() + "; start one with Async.run(...)");
    }
    return loop;
  }

  /**
   * The tasks of the current loop that are not done.
   *
   * @return a snapshot, in spawn order
   */
  public static Set<Task<?>> allTasks() {
    return currentLoop().allTasks();
  }

  /**
   * A new promise on the current loop.
   *
   * @param <T> the result type
   * @return a pending promise
   */
  public static <T> Promise<T> promise() {
    return currentLoop().createPromise();
  }

  // ---- time ----

  /**
   * <b>Suspends</b> the current task for {@code delay}; other tasks run meanwhile. A zero delay
   * lets every ready task run once (asyncio's {@code sleep(0)}).
   *
   * @param delay zero or positive
   * @throws IllegalArgumentException if {@code delay} is negative
   * @throws CancelledError if the task is cancelled while sleeping
   */
  public static void sleep(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    // LoopImpl.sleep, inlined by hand: one frame less on every sleeping task's stack.
    LoopImpl.SleepTimer st = LoopImpl.armSleep(LoopImpl.saturatedNanos(delay));
    if (st != null) {
      try {
        st.task.suspend(st);
      } catch (Throwable e) {
        st.cancel();
        throw e;
      }
    }
  }

  /**
   * <b>Suspends</b> once, letting every task that is ready run before this one continues.
   *
   * @throws CancelledError if the task was cancelled
   */
  public static void yieldNow() {
    LoopImpl.currentTask("yieldNow").yieldNow();
  }

  // ---- threads ----

  /**
   * <b>Suspends</b> the current task while {@code work} runs on a new virtual thread, off the loop
   * (asyncio's {@code to_thread}); other tasks keep running. Context variables travel to the
   * worker. Cancelling the task interrupts the worker. See {@link Threads}.
   *
   * @param work blocking work
   * @param <T> the result type
   * @return what {@code work} returned
   * @throws CancelledError if the task is cancelled while it waits
   * @throws AsyncException wrapping a checked exception from {@code work}
   */
  public static <T> T toThread(Callable<T> work) {
    return Threads.toThread(work);
  }

  /**
   * {@link #toThread(Callable)} on a given executor (a platform pool for CPU-heavy work).
   *
   * @param executor where {@code work} runs
   * @param work the work
   * @param <T> the result type
   * @return what {@code work} returned
   */
  public static <T> T toThread(java.util.concurrent.Executor executor, Callable<T> work) {
    return Threads.toThread(executor, work);
  }

  // ---- combinators ----

  /**
   * <b>Suspends</b> until all bodies, each run as a task, have returned; returns their results in
   * argument order (asyncio's {@code gather}). If one fails, its exception is thrown at once and
   * the others keep running, as in asyncio; prefer {@link #taskGroup} to have them cancelled.
   * Cancelling the caller cancels them all.
   *
   * @param bodies the bodies
   * @param <T> the common result type
   * @return the results
   */
  @SafeVarargs
  public static <T> List<T> gather(Callable<? extends T>... bodies) {
    return gather(Arrays.asList(bodies));
  }

  /**
   * {@link #gather(Callable[])} over a list.
   *
   * @param bodies the bodies
   * @param <T> the common result type
   * @return the results in order
   */
  @SuppressWarnings("unchecked")
  public static <T> List<T> gather(List<? extends Callable<? extends T>> bodies) {
    return (List<T>) Combinators.gather(spawnAll(bodies), false);
  }

  /**
   * <b>Suspends</b> until all the given tasks or promises are done; see {@link
   * #gather(Callable[])}.
   *
   * @param awaitables the awaitables
   * @param <T> the common result type
   * @return the results in order
   */
  @SafeVarargs
  @SuppressWarnings("unchecked")
  public static <T> List<T> gather(Awaitable<? extends T>... awaitables) {
    return (List<T>) Combinators.gather(Arrays.asList(awaitables), false);
  }

  /**
   * Like {@link #gather(Callable[])} but waits for every body and returns each outcome, failures
   * included (asyncio's {@code gather(..., return_exceptions=True)}). Cancelling the caller cancels
   * them all and then throws {@link CancelledError}.
   *
   * @param bodies the bodies
   * @param <T> the common result type
   * @return one outcome per body, in order
   */
  @SafeVarargs
  public static <T> List<Outcome<T>> gatherSettled(Callable<? extends T>... bodies) {
    return gatherSettled(Arrays.asList(bodies));
  }

  /**
   * {@link #gatherSettled(Callable[])} over a list.
   *
   * @param bodies the bodies
   * @param <T> the common result type
   * @return one outcome per body, in order
   */
  @SuppressWarnings("unchecked")
  public static <T> List<Outcome<T>> gatherSettled(List<? extends Callable<? extends T>> bodies) {
    return (List<Outcome<T>>) (List<?>) Combinators.gather(spawnAll(bodies), true);
  }

  private static <T> List<Task<? extends T>> spawnAll(
      List<? extends Callable<? extends T>> bodies) {
    Objects.requireNonNull(bodies, "bodies");
    LoopImpl.currentTask("gather");
    for (Callable<? extends T> c : bodies) {
      Objects.requireNonNull(c, "bodies must not contain null");
    }
    List<Task<? extends T>> tasks = new ArrayList<>(bodies.size());
    for (Callable<? extends T> c : bodies) {
      tasks.add(spawn(c));
    }
    return tasks;
  }

  /**
   * <b>Suspends</b> until the awaitables satisfy {@code mode} or {@code timeout} passes (asyncio's
   * {@code wait}). Never cancels them and never throws on timeout: look at {@link
   * WaitResult#pending()}.
   *
   * @param awaitables one or more tasks or promises of the current loop
   * @param mode when to return
   * @param timeout the longest wait, or {@code null} for none
   * @param <T> the result type
   * @return the done and pending sets
   * @throws IllegalArgumentException if {@code awaitables} is empty or {@code timeout} negative
   */
  public static <T> WaitResult<T> wait(
      Collection<? extends Awaitable<T>> awaitables, WaitMode mode, Duration timeout) {
    return Combinators.await(copyNonNull(awaitables), mode, timeoutNanos(timeout));
  }

  /**
   * {@link #wait(Collection, WaitMode, Duration)} with no timeout.
   *
   * @param awaitables the awaitables
   * @param mode when to return
   * @param <T> the result type
   * @return the done and pending sets
   */
  public static <T> WaitResult<T> wait(
      Collection<? extends Awaitable<T>> awaitables, WaitMode mode) {
    return wait(awaitables, mode, null);
  }

  /**
   * Iterates the awaitables in the order they finish (asyncio's {@code as_completed}); each {@code
   * next()} <b>suspends</b> until one more is done and returns it, done, so {@code result()} does
   * not wait.
   *
   * <pre>{@code
   * for (var t : Async.asCompleted(tasks, null)) System.out.println(t.result());
   * }</pre>
   *
   * @param awaitables the tasks or promises
   * @param timeout a limit for the whole iteration ({@code next()} then throws {@link
   *     TimeoutExpiredException}), or {@code null}
   * @param <T> the result type
   * @return a one-shot iterable
   */
  public static <T> Iterable<Awaitable<T>> asCompleted(
      Collection<? extends Awaitable<T>> awaitables, Duration timeout) {
    return Combinators.asCompleted(copyNonNull(awaitables), timeoutNanos(timeout));
  }

  /** Copies {@code awaitables}, rejecting a null collection or element by name first. */
  private static <A> List<A> copyNonNull(Collection<? extends A> awaitables) {
    Objects.requireNonNull(awaitables, "awaitables");
    List<A> copy = new ArrayList<>(awaitables.size());
    int i = 0;
    for (A a : awaitables) {
      if (a == null) {
        throw new NullPointerException("awaitables must not contain null (element " + i + ")");
      }
      copy.add(a);
      i++;
    }
    return copy;
  }

  private static long timeoutNanos(Duration timeout) {
    if (timeout == null) {
      return -1;
    }
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    return LoopImpl.saturatedNanos(timeout);
  }

  /**
   * <b>Suspends</b> until {@code awaitable} is done, giving up after {@code timeout}: it is then
   * cancelled, waited for, and {@link TimeoutExpiredException} is thrown (asyncio's {@code
   * wait_for}).
   *
   * @param awaitable the task or promise
   * @param timeout the limit
   * @param <T> the result type
   * @return the result
   */
  public static <T> T waitFor(Awaitable<T> awaitable, Duration timeout) {
    Objects.requireNonNull(awaitable, "awaitable");
    return timeout(timeout, awaitable::await);
  }

  /**
   * Runs {@code body} in the current task, cancelling it and throwing {@link
   * TimeoutExpiredException} if it takes longer than {@code timeout}; same as {@link
   * #timeout(Duration, Callable)}.
   *
   * @param body the work
   * @param timeout the limit
   * @param <T> the result type
   * @return the body's result
   */
  public static <T> T waitFor(Callable<T> body, Duration timeout) {
    return timeout(timeout, body);
  }

  /**
   * <b>Suspends</b> until {@code awaitable} is done, but does not cancel it when the caller is
   * cancelled: the caller gets {@link CancelledError}, the awaited work goes on (asyncio's {@code
   * shield}).
   *
   * @param awaitable the task or promise
   * @param <T> the result type
   * @return its result
   */
  public static <T> T shield(Awaitable<T> awaitable) {
    return Combinators.shield(awaitable);
  }

  /**
   * Spawns {@code body} as a task and {@linkplain #shield(Awaitable) shields} it.
   *
   * @param body the work to protect
   * @param <T> the result type
   * @return its result
   */
  public static <T> T shield(Callable<T> body) {
    return shield(spawn(body));
  }

  /**
   * <b>Suspends</b> until {@code stage} completes, on whatever thread completes it. Cancelling the
   * caller cancels {@code stage} when it is a {@link java.util.concurrent.Future}.
   *
   * @param stage a stage, for example a {@link java.util.concurrent.CompletableFuture}
   * @param <T> the result type
   * @return its value
   * @throws CancelledError if the stage was cancelled or the caller is
   * @throws AsyncException wrapping a checked failure of the stage
   */
  public static <T> T await(CompletionStage<T> stage) {
    return Combinators.awaitStage(stage);
  }

  // ---- structured concurrency ----

  /**
   * {@link #taskGroup(AsyncConsumer)} for a body that returns a value. (A separate name, because
   * Java cannot tell a one-argument lambda that returns a value from one that does not when both
   * overloads exist.)
   *
   * @param body spawns children and may do work of its own
   * @param <R> the body's result type
   * @return the body's result, once every child has ended
   * @throws ExceptionGroup holding every failure of the children and the body
   */
  public static <R> R taskGroupResult(AsyncFunction<TaskGroup, R> body) {
    return TaskGroup.run(body);
  }

  /**
   * Runs {@code body} with a {@link TaskGroup}; <b>suspends</b> at the end until every task spawned
   * into the group has ended. See {@link TaskGroup} for the failure and cancellation rules.
   *
   * <pre>{@code
   * Async.taskGroup(g -> {
   *   g.spawn(() -> download(a));
   *   g.spawn(() -> download(b));
   * });
   * }</pre>
   *
   * @param body spawns children and may do work of its own
   * @throws ExceptionGroup holding every failure of the children and the body
   */
  public static void taskGroup(AsyncConsumer<TaskGroup> body) {
    Objects.requireNonNull(body, "body");
    TaskGroup.run(
        g -> {
          body.accept(g);
          return null;
        });
  }

  /**
   * Runs {@code body} in the current task; if it is not done after {@code delay}, it is cancelled
   * at its current suspension point and, once it has unwound, {@link TimeoutExpiredException} is
   * thrown (asyncio's {@code timeout}). Nests correctly: an outer expiry or a cancellation from
   * outside passes through an inner scope unconverted.
   *
   * @param delay the time allowed, zero or positive
   * @param body the work
   * @param <T> the result type
   * @return the body's result
   * @throws TimeoutExpiredException if the time ran out
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public static <T> T timeout(Duration delay, Callable<T> body) {
    Objects.requireNonNull(body, "body");
    return CancelScope.run(false, CancelScope.deadlineAfter(delay), s -> body.call());
  }

  /**
   * {@link #timeout(Duration, Callable)} for a body that returns nothing ({@code Async.timeout(d,
   * () -> Async.sleep(x))}).
   *
   * @param delay the time allowed
   * @param body the work
   * @throws TimeoutExpiredException if the deadline passed while the body ran and the body was
   *     cancelled
   */
  public static void timeout(Duration delay, AsyncRunnable body) {
    Objects.requireNonNull(body, "body");
    CancelScope.run(
        false,
        CancelScope.deadlineAfter(delay),
        s -> {
          body.run();
          return null;
        });
  }

  /**
   * {@link #timeout(Duration, Callable)} with access to the scope, to {@linkplain
   * CancelScope#reschedule reschedule} it or ask whether it {@linkplain CancelScope#expired
   * expired}.
   *
   * @param delay the time allowed
   * @param body the work, given the scope
   * @param <T> the result type
   * @return the body's result
   */
  public static <T> T timeout(Duration delay, AsyncFunction<CancelScope, T> body) {
    return CancelScope.run(false, CancelScope.deadlineAfter(delay), body);
  }

  /**
   * A timeout at an absolute deadline on the loop's clock ({@link EventLoop#time()}); {@link
   * Long#MAX_VALUE} means none (it can be set later with {@link CancelScope#reschedule}).
   *
   * @param deadline the deadline
   * @param body the work, given the scope
   * @param <T> the result type
   * @return the body's result
   */
  public static <T> T timeoutAt(long deadline, AsyncFunction<CancelScope, T> body) {
    return CancelScope.run(false, deadline, body);
  }

  /**
   * Runs {@code body}, cancelling it after {@code delay} and then returning quietly (Trio's {@code
   * move_on_after}).
   *
   * @param delay the time allowed
   * @param body the work
   * @return {@code true} if the body finished, {@code false} if the deadline cut it short
   */
  public static boolean moveOnAfter(Duration delay, AsyncRunnable body) {
    Objects.requireNonNull(body, "body");
    return moveOnAt(
        CancelScope.deadlineAfter(delay),
        s -> {
          body.run();
        });
  }

  /**
   * {@link #moveOnAfter(Duration, AsyncRunnable)} with access to the scope.
   *
   * @param delay the time allowed
   * @param body the work, given the scope
   * @return {@code true} if the body finished, {@code false} if the scope's cancellation ended it
   */
  public static boolean moveOnAfter(Duration delay, AsyncConsumer<CancelScope> body) {
    return moveOnAt(CancelScope.deadlineAfter(delay), body);
  }

  /**
   * A move-on scope at an absolute deadline; {@link LoopClock#NO_DEADLINE} ({@link Long#MAX_VALUE})
   * means none, leaving only {@link CancelScope#cancel()}.
   *
   * @param deadline the deadline on the loop's clock
   * @param body the work, given the scope
   * @return {@code true} if the body finished
   */
  public static boolean moveOnAt(long deadline, AsyncConsumer<CancelScope> body) {
    Objects.requireNonNull(body, "body");
    CancelScope[] seen = new CancelScope[1];
    CancelScope.run(
        true,
        deadline,
        s -> {
          seen[0] = s;
          body.accept(s);
          return null;
        });
    return !seen[0].cancelledCaught();
  }
}
