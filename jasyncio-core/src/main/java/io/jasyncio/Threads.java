package io.jasyncio;

import io.jasyncio.internal.CancelHook;
import io.jasyncio.internal.CarrierThreads;
import io.jasyncio.internal.ContextMap;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.TaskImpl;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;

/**
 * Bridges between tasks and threads: run blocking work off the loop (asyncio's {@code to_thread}).
 * The other direction, a thread handing work to a loop, is {@link EventLoop#submit} (asyncio's
 * {@code run_coroutine_threadsafe}); awaiting any {@link java.util.concurrent.CompletionStage} from
 * a task is {@link Async#await}.
 *
 * <h2>The default executor</h2>
 *
 * {@link #toThread(Callable)} starts one virtual thread per call ({@link
 * Executors#newVirtualThreadPerTaskExecutor()}): blocking I/O, {@code Thread.sleep}, JDBC and the
 * like park the virtual thread and release its carrier, so thousands of concurrent calls cost
 * little and need no pool sizing (asyncio's default is a pool of {@code min(32, cpus + 4)} threads,
 * which queues the 33rd call). <b>CPU-heavy</b> work is the exception: a virtual thread that
 * computes for long occupies one of the JDK scheduler's carriers, which the event loops use too;
 * give such work its own platform pool with {@link #toThread(Executor, Callable)}. See {@code
 * docs/threads-and-context.md} for measurements.
 *
 * <h2>Cancellation</h2>
 *
 * Cancelling the awaiting task cancels the work: if it has not started it never runs; if it runs,
 * its thread is interrupted ({@link java.util.concurrent.Future#cancel(boolean) cancel(true)}),
 * which ends blocking I/O and sleeps that honour interruption. The task gets {@link CancelledError}
 * at once, without waiting for the thread to notice; whatever the work returns afterwards is
 * dropped. Work that must not be interrupted should mask it itself, or be awaited through {@link
 * Async#shield}.
 *
 * <h2>Context</h2>
 *
 * The work runs in a copy of the awaiting task's context: {@link ContextVar#get} there sees the
 * task's values; {@link ContextVar#set} there is undone when the work returns.
 */
public final class Threads {
  private static final ExecutorService DEFAULT =
      Executors.newThreadPerTaskExecutor(
          CarrierThreads.offLoop().name("jasyncio-to-thread-", 0).factory());

  private Threads() {}

  /**
   * The executor {@link #toThread(Callable)} uses: a new virtual thread per call, named {@code
   * jasyncio-to-thread-N}. Shared by the JVM; do not shut it down.
   *
   * @return the default executor
   */
  public static Executor defaultExecutor() {
    return DEFAULT;
  }

  /**
   * <b>Suspends</b> the calling task while {@code work} runs on a new virtual thread, and returns
   * its result; the loop runs its other tasks meanwhile.
   *
   * @param work blocking work; it must not call suspending jasyncio APIs (it runs on no loop)
   * @param <T> the result type
   * @return what {@code work} returned
   * @throws CancelledError if the calling task is cancelled (the work's thread is interrupted)
   * @throws AsyncException wrapping a checked exception of {@code work}; unchecked exceptions and
   *     errors are rethrown unchanged
   * @throws IllegalStateException if not called from a task
   * @throws NullPointerException if {@code work} is null
   */
  public static <T> T toThread(Callable<T> work) {
    return toThread(DEFAULT, work);
  }

  /**
   * <b>Suspends</b> the calling task while {@code work} runs on {@code executor}; see {@link
   * #toThread(Callable)}.
   *
   * @param executor where to run the work, for example a fixed pool for CPU-heavy work
   * @param work the work
   * @param <T> the result type
   * @return what {@code work} returned
   * @throws CancelledError if the calling task is cancelled (the work's thread is interrupted)
   * @throws java.util.concurrent.RejectedExecutionException if {@code executor} refuses the work
   * @throws AsyncException wrapping a checked exception of {@code work}
   * @throws IllegalStateException if not called from a task, or if {@code executor} ran the work
   *     inline on the loop's thread (a direct executor, a caller-runs policy): the work is then not
   *     run
   * @throws NullPointerException if an argument is null
   */
  public static <T> T toThread(Executor executor, Callable<T> work) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(work, "work");
    // Unlike Blocking.call (FileChannel I/O, closed by an interrupt), cancel interrupts the work.
    TaskImpl<?> me = LoopImpl.currentTask("toThread");
    LoopImpl loop = LoopImpl.currentOrNull();
    Work<T> w = new Work<>(loop, me, loop.currentContext(), work);
    executor.execute(w);
    try {
      me.suspend(w);
    } catch (CancelledError e) {
      w.cancel(true);
      throw e;
    }
    try {
      return w.get();
    } catch (ExecutionException e) {
      throw AsyncException.rethrow(e.getCause());
    } catch (InterruptedException e) {
      // get() of a done FutureTask never waits; keep the flag for whoever looks next
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * The work as a FutureTask (whose {@code cancel(true)} interrupts the thread running it) that
   * wakes the awaiting task through the loop's thread-safe entry when it is done, however that
   * happens. {@code active} is touched on the loop's thread only.
   */
  private static final class Work<T> extends FutureTask<T> implements CancelHook {
    private final LoopImpl loop;
    private final TaskImpl<?> task;
    private boolean active = true;

    Work(LoopImpl loop, TaskImpl<?> task, ContextMap context, Callable<T> work) {
      super(() -> callIn(context, work));
      this.loop = loop;
      this.task = task;
    }

    @Override
    protected void done() {
      try {
        loop.callSoonThreadsafe(
            () -> {
              if (active) {
                active = false;
                task.resume(null);
              }
            });
      } catch (IllegalStateException closed) {
        // the loop closed; its close cancelled the task long ago
      }
    }

    @Override
    public boolean cancelWait(TaskImpl<?> t) {
      active = false;
      cancel(true);
      return t.resume(TaskImpl.WAKE_CANCELLED);
    }

    @Override
    public String toString() {
      return "toThread(" + (isDone() ? "done" : "running") + ")";
    }
  }

  private static <T> T callIn(ContextMap context, Callable<T> work) throws Exception {
    if (LoopImpl.currentOrNull() != null) {
      // run inline by the executor, on the loop: it would block the loop, and see and change
      // the awaiting task's context instead of its copy
      throw new IllegalStateException(
          "toThread: the executor ran the work on an event loop's thread (a direct executor"
              + " such as Runnable::run, or a caller-runs rejection policy); give toThread an"
              + " executor that runs work on threads of its own");
    }
    ContextMap.ThreadContext prev =
        ContextMap.installThreadContext(new ContextMap.ThreadContext(context));
    try {
      return work.call();
    } finally {
      ContextMap.installThreadContext(prev);
    }
  }
}
