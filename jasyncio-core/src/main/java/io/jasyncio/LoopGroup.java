package io.jasyncio;

import io.jasyncio.internal.LoopImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed group of event loops, each running on its own {@link Runner} and thread, to use every
 * core: one loop per core by default. Work is spread with {@link #submit(Callable)} (round robin)
 * or placed with {@link #submit(int, Callable)}; every entry point here is thread-safe and returns
 * a {@link CompletableFuture}, which a task of any loop awaits with {@link Async#await}.
 *
 * <pre>{@code
 * try (var group = LoopGroup.create()) {
 *   var a = group.submit(() -> work("a"));
 *   var b = group.submit(() -> work("b"));   // on the next loop
 *   System.out.println(a.join() + b.join());
 * }
 * }</pre>
 *
 * <h2>Loops do not share objects</h2>
 *
 * A task, promise or primitive belongs to the loop it was made on. Awaiting it from a task of
 * another loop throws {@link IllegalStateException} naming both loops; cross over with {@link
 * EventLoop#submit} (or this group's {@code submit}) and {@link Async#await}. Plain Java objects
 * shared between loops need the usual thread-safety: two loops run truly in parallel.
 *
 * <h2>Lifecycle</h2>
 *
 * The loops start in {@link #create}. {@link #close()} stops each loop's main task, cancels the
 * tasks still pending on it (their finally blocks run), reports failures nobody retrieved, and
 * joins the threads. Submissions after {@code close} throw {@link IllegalStateException}; a future
 * whose task was cancelled by {@code close} completes cancelled.
 */
public final class LoopGroup implements AutoCloseable {
  private final Runner[] runners;
  private final Thread[] threads;
  private final CompletableFuture<Void> stop = new CompletableFuture<>();
  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean closed;

  private LoopGroup(int n, boolean debug) {
    runners = new Runner[n];
    threads = new Thread[n];
    List<CompletableFuture<Void>> up = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Runner r = Runner.builder().debug(debug).build();
      runners[i] = r;
      CompletableFuture<Void> running = new CompletableFuture<>();
      up.add(running);
      threads[i] =
          Thread.ofPlatform()
              .name("jasyncio-loop-" + i)
              .start(
                  () -> {
                    try (r) {
                      r.run(
                          () -> {
                            running.complete(null);
                            Async.await(stop);
                          });
                    } catch (CancelledError stopped) {
                      // close() found the main task cancelled; nothing else to do
                    }
                  });
    }
    for (CompletableFuture<Void> f : up) {
      f.join();
    }
  }

  /**
   * A group of {@link Runtime#availableProcessors()} loops.
   *
   * @return the running group
   */
  public static LoopGroup create() {
    return create(Runtime.getRuntime().availableProcessors());
  }

  /**
   * A group of {@code loops} loops, debug mode as {@link Runner#create()} decides.
   *
   * @param loops how many, at least 1
   * @return the running group
   * @throws IllegalArgumentException if {@code loops} is less than 1
   */
  public static LoopGroup create(int loops) {
    if (loops < 1) {
      throw new IllegalArgumentException("loops must be at least 1: " + loops);
    }
    return new LoopGroup(loops, Runner.debugDefault());
  }

  /** The number of loops. */
  public int size() {
    return runners.length;
  }

  /**
   * Loop {@code i}. Only its thread-safe methods may be called from outside it.
   *
   * @param i from 0 to {@code size() - 1}
   * @return the loop
   * @throws IndexOutOfBoundsException if {@code i} is out of range
   */
  public EventLoop loop(int i) {
    return runners[Objects.checkIndex(i, runners.length)].loop();
  }

  /** The loops, in index order. */
  public List<EventLoop> loops() {
    List<EventLoop> out = new ArrayList<>(runners.length);
    for (Runner r : runners) {
      out.add(r.loop());
    }
    return List.copyOf(out);
  }

  /**
   * The loop that round-robin placement picks next (to hand a connection to, for example); each
   * call advances. Thread-safe.
   *
   * @return a loop of this group
   */
  public EventLoop nextLoop() {
    return runners[Math.floorMod(next.getAndIncrement(), runners.length)].loop();
  }

  /**
   * Runs {@code body} as a task on the next loop, round robin, from any thread or task. Cancelling
   * the future cancels the task.
   *
   * @param body the task body
   * @param <T> the result type
   * @return a future of the task's outcome
   * @throws IllegalStateException if the group is closed
   * @throws NullPointerException if {@code body} is null
   */
  public <T> CompletableFuture<T> submit(Callable<T> body) {
    Objects.requireNonNull(body, "body");
    checkOpen();
    return nextLoop().submit(body);
  }

  /**
   * Runs {@code body} as a task on loop {@code i}; see {@link #submit(Callable)}.
   *
   * @param i the loop's index
   * @param body the task body
   * @param <T> the result type
   * @return a future of the task's outcome
   * @throws IndexOutOfBoundsException if {@code i} is out of range
   * @throws IllegalStateException if the group is closed
   * @throws NullPointerException if {@code body} is null
   */
  public <T> CompletableFuture<T> submit(int i, Callable<T> body) {
    Objects.requireNonNull(body, "body");
    EventLoop loop = loop(i);
    checkOpen();
    return loop.submit(body);
  }

  /**
   * Runs {@code body} as a task on every loop (to set up per-loop state, for example) and completes
   * with the results in loop order once all are done; fails with the first failure (in loop order)
   * if any task failed.
   *
   * @param body the task body, run once per loop
   * @param <T> the result type
   * @return a future of the results, one per loop
   * @throws IllegalStateException if the group is closed
   * @throws NullPointerException if {@code body} is null
   */
  public <T> CompletableFuture<List<T>> runOnAll(Callable<T> body) {
    Objects.requireNonNull(body, "body");
    checkOpen();
    List<CompletableFuture<T>> fs = new ArrayList<>(runners.length);
    for (Runner r : runners) {
      fs.add(r.loop().submit(body));
    }
    return CompletableFuture.allOf(fs.toArray(CompletableFuture<?>[]::new))
        .handle((v, e) -> fs)
        .thenApply(
            list -> {
              List<T> out = new ArrayList<>(list.size());
              for (CompletableFuture<T> f : list) {
                out.add(f.join());
              }
              return out;
            });
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the loop group is closed");
    }
  }

  /** Whether {@link #close()} was called. Thread-safe. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Stops every loop: cancels its pending tasks, lets them finish, reports unretrieved failures,
   * and joins its thread. Idempotent. Call it from a thread that runs none of the group's loops.
   *
   * @throws IllegalStateException if called from a task or callback of one of the group's loops
   */
  @Override
  public void close() {
    LoopImpl current = LoopImpl.currentOrNull();
    for (Runner r : runners) {
      if (r.loop() == current) {
        throw new IllegalStateException(
            "a LoopGroup cannot be closed from one of its own loops; close it from the thread"
                + " that created it");
      }
    }
    closed = true;
    stop.complete(null);
    boolean interrupted = false;
    for (Thread t : threads) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "LoopGroup[" + runners.length + " loops" + (closed ? ", closed" : "") + "]";
  }
}
