package io.jasyncio.internal.io;

import io.jasyncio.Async;
import io.jasyncio.AsyncException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Runs a blocking call (file system, name resolution, process start) on a fresh virtual thread and
 * suspends only the calling task until it is done. A virtual thread costs about a microsecond to
 * start and, when it blocks in the kernel, the JDK compensates its carrier, so the loop's own
 * carrier is never blocked. Cancelling the waiting task interrupts the thread (file channels then
 * close, which is the point: nothing is left half-open) and the task sees CancelledError.
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

  /**
   * {@link #call(String, Callable)}, releasing the result with {@code release} when the waiting
   * task was cancelled before it arrived (an opened file, a started process): nothing leaks.
   */
  public static <T> T call(String what, Callable<T> call, Consumer<T> release) throws IOException {
    CompletableFuture<T> f = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("jasyncio-" + what)
        .start(
            () -> {
              T v;
              try {
                v = call.call();
              } catch (Throwable e) {
                f.completeExceptionally(e);
                return;
              }
              if (!f.complete(v) && release != null) {
                release.accept(v); // the waiter was cancelled: nobody will own it
              }
            });
    try {
      return Async.await(f);
    } catch (AsyncException e) {
      throw unwrap(e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
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
