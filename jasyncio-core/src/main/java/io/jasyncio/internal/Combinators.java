package io.jasyncio.internal;

import io.jasyncio.AsyncException;
import io.jasyncio.Awaitable;
import io.jasyncio.CancelledError;
import io.jasyncio.Outcome;
import io.jasyncio.TimeoutExpiredException;
import io.jasyncio.WaitMode;
import io.jasyncio.WaitResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * gather, wait, asCompleted, shield and awaiting a {@link CompletionStage}: each one a listener on
 * the awaitables plus one {@link TaskImpl#suspend} of the calling task with its own {@link
 * CancelHook}, which is where their cancellation rules (asyncio's) live.
 */
public final class Combinators {
  private Combinators() {}

  static FutureImpl<?> impl(Awaitable<?> a, LoopImpl loop, String what) {
    Objects.requireNonNull(a, what + ": awaitables must not contain null");
    FutureImpl<?> f = (FutureImpl<?>) a;
    if (f.loop != loop) {
      throw new IllegalStateException(
          what
              + ": an awaitable belongs to another event loop (loop "
              + f.loop.loopId
              + ") than the calling task's (loop "
              + loop.loopId
              + "); cross loops with EventLoop.submit(...) and Async.await(CompletionStage)");
    }
    return f;
  }

  // ---- gather ----

  /**
   * Waits for all; returns results in input order. Without {@code settled}, the first failure (or
   * cancelled child) is thrown at once and the other children keep running, as in asyncio;
   * cancelling the caller cancels every child.
   */
  @SuppressWarnings("unchecked")
  public static <T> List<Object> gather(
      List<? extends Awaitable<? extends T>> aws, boolean settled) {
    TaskImpl<?> me = LoopImpl.currentTask("gather");
    List<FutureImpl<?>> fs = new ArrayList<>(aws.size());
    for (Awaitable<? extends T> a : aws) {
      fs.add(impl(a, me.loop, "gather"));
    }
    final class State implements CancelHook, Consumer<Awaitable<?>> {
      int remaining = fs.size();
      Throwable failure;
      boolean cancelRequested;
      boolean resolved;

      @Override
      public void accept(Awaitable<?> a) {
        FutureImpl<?> f = (FutureImpl<?>) a;
        remaining--;
        if (resolved) {
          if (!f.isCancelled()) {
            f.exception(); // asyncio marks later failures retrieved
          }
          return;
        }
        if (!settled) {
          if (f.isCancelled()) {
            // its own CancelledError (with the message it was cancelled with) as the cause
            failure = new CancelledError("a gathered " + f.describe() + " was cancelled");
            if (f.value instanceof Throwable why) {
              failure.initCause(why);
            }
          } else if (f.state == FutureImpl.FAILED) {
            f.markRetrieved();
            failure = (Throwable) f.value;
          }
          if (failure != null) {
            resolved = true;
            me.resume(null);
            return;
          }
        }
        if (remaining == 0) {
          resolved = true;
          me.resume(null);
        }
      }

      @Override
      public boolean cancelWait(TaskImpl<?> t) {
        cancelRequested = true;
        boolean any = false;
        for (FutureImpl<?> f : fs) {
          if (!f.isDone()) {
            any |= f.cancelFromAwaiter(t.cancelMessage());
          }
        }
        return any;
      }
    }
    State s = new State();
    int pending = 0;
    for (FutureImpl<?> f : fs) {
      if (!f.isDone()) {
        pending++;
      }
    }
    if (pending > 0) {
      // Register on all (done ones are scheduled at once), so the order of outcomes is the order
      // of completion callbacks, like asyncio's.
      for (FutureImpl<?> f : fs) {
        ((FutureImpl<Object>) f).addDoneCallback(s);
      }
      try {
        me.suspend(s);
      } catch (CancelledError e) {
        for (FutureImpl<?> f : fs) {
          f.removeListener(s);
        }
        throw e;
      }
    }
    if (s.failure != null) {
      if (s.failure instanceof CancelledError c) {
        me.sawCancel();
        throw c;
      }
      throw AsyncException.rethrow(s.failure);
    }
    if (s.cancelRequested) {
      me.sawCancel();
      throw new CancelledError("gather was cancelled");
    }
    List<Object> out = new ArrayList<>(fs.size());
    for (FutureImpl<?> f : fs) {
      if (settled) {
        out.add(outcome(f));
      } else {
        out.add(f.resultNow());
      }
    }
    return out;
  }

  static Outcome<Object> outcome(FutureImpl<?> f) {
    switch (f.state) {
      case FutureImpl.RESULT:
        return new Outcome.Success<>(f.value);
      case FutureImpl.FAILED:
        f.markRetrieved();
        return new Outcome.Failure<>((Throwable) f.value);
      default:
        return new Outcome.Failure<>(
            new CancelledError(f.describe() + " was cancelled", (Throwable) f.value));
    }
  }

  // ---- wait ----

  /** asyncio.wait: never cancels the awaitables; a timeout just returns what is done. */
  public static <T> WaitResult<T> await(
      List<? extends Awaitable<T>> aws, WaitMode mode, long timeoutNanos) {
    TaskImpl<?> me = LoopImpl.currentTask("wait");
    if (aws.isEmpty()) {
      throw new IllegalArgumentException("wait needs at least one awaitable");
    }
    Objects.requireNonNull(mode, "mode");
    List<FutureImpl<?>> fs = new ArrayList<>();
    for (Awaitable<T> a : aws) {
      fs.add(impl(a, me.loop, "wait"));
    }
    if (!satisfied(fs, mode)) {
      final class W implements CancelHook, Consumer<Awaitable<?>> {
        TimerHandleImpl timer;

        /** Cleared when the wait ends: a completion callback already queued must not resume. */
        boolean active = true;

        @Override
        public void accept(Awaitable<?> a) {
          if (active && satisfied(fs, mode)) {
            me.resume(null);
          }
        }

        @Override
        public boolean cancelWait(TaskImpl<?> t) {
          return t.resume(TaskImpl.WAKE_CANCELLED);
        }
      }
      W w = new W();
      for (FutureImpl<?> f : fs) {
        if (!f.isDone()) {
          f.addListener(w);
        }
      }
      if (timeoutNanos >= 0) {
        w.timer =
            me.loop.schedule(
                LoopImpl.deadline(me.loop.time(), timeoutNanos),
                () -> {
                  if (w.active) {
                    me.resume(null);
                  }
                });
      }
      try {
        me.suspend(w);
      } finally {
        w.active = false;
        if (w.timer != null) {
          w.timer.cancel();
        }
        for (FutureImpl<?> f : fs) {
          f.removeListener(w);
        }
      }
    }
    Set<Awaitable<T>> done = new LinkedHashSet<>();
    Set<Awaitable<T>> pending = new LinkedHashSet<>();
    for (Awaitable<T> a : aws) {
      (a.isDone() ? done : pending).add(a);
    }
    return new WaitResult<>(done, pending);
  }

  private static boolean satisfied(List<FutureImpl<?>> fs, WaitMode mode) {
    int done = 0;
    for (FutureImpl<?> f : fs) {
      if (f.isDone()) {
        done++;
        if (mode == WaitMode.FIRST_COMPLETED) {
          return true;
        }
        if (mode == WaitMode.FIRST_EXCEPTION && f.state == FutureImpl.FAILED) {
          return true;
        }
      }
    }
    return done == fs.size();
  }

  // ---- asCompleted ----

  /** Iterates the awaitables in completion order; {@code next()} suspends until one is done. */
  public static <T> Iterable<Awaitable<T>> asCompleted(
      List<? extends Awaitable<T>> aws, long timeoutNanos) {
    TaskImpl<?> creator = LoopImpl.currentTask("asCompleted");
    List<FutureImpl<?>> fs = new ArrayList<>();
    for (Awaitable<T> a : aws) {
      fs.add(impl(a, creator.loop, "asCompleted"));
    }
    long deadline =
        timeoutNanos < 0
            ? LoopClock.NO_DEADLINE
            : LoopImpl.deadline(creator.loop.time(), timeoutNanos);
    ArrayDeque<Awaitable<T>> finished = new ArrayDeque<>();
    TaskImpl<?>[] waiter = new TaskImpl<?>[1];
    @SuppressWarnings("unchecked")
    Consumer<Awaitable<?>> onDone =
        a -> {
          finished.add((Awaitable<T>) a);
          if (waiter[0] != null) {
            waiter[0].resume(null);
          }
        };
    for (FutureImpl<?> f : fs) {
      if (f.isDone()) {
        @SuppressWarnings("unchecked")
        Awaitable<T> done = (Awaitable<T>) f;
        finished.add(done); // already done: first, in input order
      } else {
        f.addListener(onDone);
      }
    }
    boolean[] iterated = {false};
    return () -> {
      if (iterated[0]) {
        // A second iterator would share 'finished' with the first and wait for awaitables the
        // first already took: it would hang.
        throw new IllegalStateException(
            "Async.asCompleted's result can be iterated once; call asCompleted again");
      }
      iterated[0] = true;
      return new Iterator<>() {
        int yielded;

        @Override
        public boolean hasNext() {
          return yielded < fs.size();
        }

        @Override
        public Awaitable<T> next() {
          if (!hasNext()) {
            throw new NoSuchElementException("every awaitable was already returned");
          }
          TaskImpl<?> me = LoopImpl.currentTask("asCompleted.next");
          while (finished.isEmpty()) {
            if (creator.loop.time() >= deadline) {
              throw new TimeoutExpiredException("asCompleted timed out", null);
            }
            TimerHandleImpl timer =
                deadline == LoopClock.NO_DEADLINE
                    ? null
                    : me.loop.schedule(deadline, () -> me.resume(null));
            waiter[0] = me;
            try {
              me.suspend(t -> t.resume(TaskImpl.WAKE_CANCELLED));
            } finally {
              waiter[0] = null;
              if (timer != null) {
                timer.cancel();
              }
            }
          }
          yielded++;
          return finished.poll();
        }
      };
    };
  }

  // ---- shield ----

  /** Waits for {@code a} without passing the caller's cancellation on to it. */
  public static <T> T shield(Awaitable<T> a) {
    TaskImpl<?> me = LoopImpl.currentTask("shield");
    FutureImpl<?> f = impl(a, me.loop, "shield");
    if (!f.isDone()) {
      f.addListener(me);
      try {
        me.suspend(
            t -> {
              f.removeListener(t);
              // Nobody will look at the inner outcome now: do not report it as lost.
              f.addListener(
                  (Consumer<Object>)
                      x -> {
                        if (f.state == FutureImpl.FAILED) {
                          f.markRetrieved();
                        }
                      });
              return t.resume(TaskImpl.WAKE_CANCELLED);
            });
      } catch (CancelledError e) {
        f.removeListener(me);
        throw e;
      }
    }
    return a.result();
  }

  // ---- CompletionStage ----

  /** Awaits a stage completed by any thread; cancelling the caller cancels a {@link Future}. */
  @SuppressWarnings("unchecked")
  public static <T> T awaitStage(CompletionStage<T> stage) {
    Objects.requireNonNull(stage, "stage");
    TaskImpl<?> me = LoopImpl.currentTask("await");
    if (stage instanceof java.util.concurrent.CompletableFuture<T> cf && cf.isDone()) {
      return unwrapNow(cf);
    }
    final class StageWait implements CancelHook {
      boolean active = true;
      Object value;
      Throwable error;

      @Override
      public boolean cancelWait(TaskImpl<?> t) {
        active = false;
        if (stage instanceof Future<?> f) {
          f.cancel(true);
        }
        return t.resume(TaskImpl.WAKE_CANCELLED);
      }
    }
    StageWait w = new StageWait();
    LoopImpl loop = me.loop;
    stage.whenComplete(
        (v, e) ->
            loop.callSoonThreadsafe(
                () -> {
                  if (w.active) {
                    w.active = false;
                    w.value = v;
                    w.error = e;
                    me.resume(null);
                  }
                }));
    me.suspend(w);
    if (w.error != null) {
      throw stageFailure(w.error);
    }
    return (T) w.value;
  }

  private static <T> T unwrapNow(java.util.concurrent.CompletableFuture<T> cf) {
    try {
      return cf.get();
    } catch (ExecutionException e) {
      throw stageFailure(e.getCause());
    } catch (CancellationException e) {
      throw stageFailure(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static RuntimeException stageFailure(Throwable e) {
    Throwable cause = e;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof CancellationException) {
      throw new CancelledError("the awaited CompletionStage was cancelled", cause);
    }
    return AsyncException.rethrow(cause);
  }
}
