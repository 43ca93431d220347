package io.jasyncio.internal.io;

import io.jasyncio.AsyncException;
import io.jasyncio.CancelledError;
import io.jasyncio.internal.CarrierThreads;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.TaskImpl;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Runs a blocking call (file system, name resolution, process start) on a fresh virtual thread and
 * suspends only the calling task until it is done. A virtual thread costs about a microsecond to
 * start and, when it blocks in the kernel, the JDK compensates its carrier, so the loop's own
 * carrier is never blocked.
 *
 * <p>Cancellation: a plain call is given up at once (the thread finishes on its own and its result
 * is dropped). A call that produces a resource ({@code release} given: an open file, a started
 * process) is waited for, uncancellably, and the resource released before {@link CancelledError} is
 * thrown, so that when the caller sees the cancellation nothing is left open. A call made with
 * {@link #callToEnd} is waited for too, and its result handed to a {@code keep} step on the calling
 * task (an {@code AsyncFile} puts the bytes of a cancelled read back in its buffer), so that when
 * the caller sees the cancellation the call has had its whole effect and nothing still runs.
 */
public final class Blocking {
  private Blocking() {}

  /**
   * <b>Suspends</b> the current task until {@code call} has run on a virtual thread.
   *
   * @throws IOException what the call threw, unwrapped
   */
  public static <T> T call(String what, Callable<T> call) throws IOException {
    return call(what, call, null);
  }

  /** {@link #call(String, Callable)}, releasing the result if the caller is cancelled. */
  public static <T> T call(String what, Callable<T> call, Consumer<T> release) throws IOException {
    // Unlike Threads.toThread, never interrupts: that would close an AsyncFile's FileChannel.
    if (release == null) {
      LoopImpl.currentTask(what); // before the work starts: no thread runs for a refused call
      return awaitGivingUp(what, startOnVirtualThread(what, call));
    }
    // A call that produces a resource is waited for even if the caller is cancelled, and a
    // cancelled caller's resource is released off the loop before CancelledError is thrown, so
    // nothing is left when the caller sees the cancellation.
    return callToEnd(what, call, v -> releaseOffLoop(what, v, release));
  }

  private static <T> void releaseOffLoop(String what, T resource, Consumer<T> release) {
    if (resource == null) {
      return;
    }
    try {
      callToEnd(
          what,
          () -> {
            release.accept(resource);
            return null;
          },
          null);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // not thrown: a Consumer throws no IOException
    }
  }

  /**
   * <b>Suspends</b> the current task until {@code call} has run on a virtual thread, and never
   * gives the call up: if the task is cancelled meanwhile, it goes on waiting (uncancellably) until
   * the call is done, then passes the call's result, if it succeeded, to {@code keep} on the
   * calling task, then throws {@link CancelledError}. The call's failure, if it failed, is added to
   * the CancelledError as suppressed.
   *
   * @param keep what to do with the result of a call whose caller was cancelled, or {@code null}
   * @throws IOException what the call threw, unwrapped, if the caller was not cancelled
   */
  public static <T> T callToEnd(String what, Callable<T> call, Consumer<? super T> keep)
      throws IOException {
    TaskImpl<?> me = LoopImpl.currentTask(what);
    LoopImpl loop = LoopImpl.currentOrNull();
    CompletableFuture<T> f = startOnVirtualThread(what, call);
    // Both only touched on the loop's side (by this task or by a loop callback), never at once.
    boolean[] done = {false};
    boolean[] suspended = {false};
    f.whenComplete(
        (v, e) ->
            loop.callSoonThreadsafe(
                () -> {
                  done[0] = true;
                  if (suspended[0]) {
                    suspended[0] = false;
                    me.resume(null);
                  }
                }));
    CancelledError cancelled = null;
    while (!done[0]) {
      suspended[0] = true;
      try {
        // No hook: a cancellation that arrives while waiting is delivered when the call is done;
        // one already pending is thrown at once, and the loop then waits again.
        me.suspend(null);
      } catch (CancelledError c) {
        cancelled = c;
      } finally {
        suspended[0] = false;
      }
    }
    if (cancelled != null) {
      T result;
      try {
        result = f.join();
      } catch (CompletionException e) {
        cancelled.addSuppressed(e.getCause());
        throw cancelled;
      }
      if (keep != null) {
        keep.accept(result);
      }
      throw cancelled;
    }
    return joinUnwrapped(f);
  }

  /** Runs {@code call} on a fresh virtual thread named after {@code what}. */
  public static <T> CompletableFuture<T> startOnVirtualThread(String what, Callable<T> call) {
    CompletableFuture<T> f = new CompletableFuture<>();
    CarrierThreads.offLoop()
        .name("jasyncio-" + what)
        .start(
            () -> {
              try {
                f.complete(call.call());
              } catch (Throwable e) {
                f.completeExceptionally(e);
              }
            });
    return f;
  }

  /** The result of a completed call; its IOException unwrapped, other failures rethrown. */
  private static <T> T joinUnwrapped(CompletableFuture<T> f) throws IOException {
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw AsyncException.rethrow(cause);
    }
  }

  /**
   * <b>Suspends</b> the current task until {@code f} (a call started by {@link
   * #startOnVirtualThread}) is done, and returns its result. A cancelled caller stops waiting at
   * once; the call goes on, and whoever holds {@code f} can await it again later.
   *
   * @throws IOException what the call threw, unwrapped
   */
  public static <T> T awaitGivingUp(String what, CompletableFuture<T> f) throws IOException {
    TaskImpl<?> me = LoopImpl.currentTask(what);
    if (!f.isDone()) {
      LoopImpl loop = LoopImpl.currentOrNull();
      boolean[] active = {true};
      f.whenComplete(
          (v, e) ->
              loop.callSoonThreadsafe(
                  () -> {
                    if (active[0]) {
                      active[0] = false;
                      me.resume(null);
                    }
                  }));
      try {
        me.suspend(
            t -> {
              active[0] = false;
              return t.resume(TaskImpl.WAKE_CANCELLED);
            });
      } finally {
        active[0] = false;
      }
    }
    return joinUnwrapped(f);
  }

  /** Rethrows an IOException wrapped by the runtime; other checked causes stay wrapped. */
  public static IOException unwrap(AsyncException e) {
    if (e.getCause() instanceof IOException io) {
      return io;
    }
    throw e;
  }
}
