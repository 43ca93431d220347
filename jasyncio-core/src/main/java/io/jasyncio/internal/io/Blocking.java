package io.jasyncio.internal.io;

import io.jasyncio.AsyncException;
import io.jasyncio.CancelledError;
import io.jasyncio.internal.CancelHook;
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
 * thrown, so that when the caller sees the cancellation nothing is left open.
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
    TaskImpl<?> me = LoopImpl.currentTask(what);
    LoopImpl loop = LoopImpl.currentOrNull();
    CompletableFuture<T> f = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("jasyncio-" + what)
        .start(
            () -> {
              try {
                f.complete(call.call());
              } catch (Throwable e) {
                f.completeExceptionally(e);
              }
            });
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
    CancelHook hook =
        release != null
            ? null
            : t -> {
              active[0] = false;
              return t.resume(TaskImpl.WAKE_CANCELLED);
            };
    try {
      me.suspend(hook);
    } catch (CancelledError c) {
      active[0] = false;
      if (release != null) {
        f.thenAccept(release); // at once if done, else on the worker thread when it is
      }
      throw c;
    }
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

  /** Rethrows an IOException wrapped by the runtime; other checked causes stay wrapped. */
  public static IOException unwrap(AsyncException e) {
    if (e.getCause() instanceof IOException io) {
      return io;
    }
    throw e;
  }
}
